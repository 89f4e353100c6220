"""`gongshi export shuanggongshi` and `gongshi import`: the credit-platform commands (issue 15)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from gongshi.auth.principal import Principal
from gongshi.credit.templates import TEMPLATES

# The operator at the command line acts for every agency, like the admin role.
OPERATOR = Principal(actor="cli", role="admin", agency_id=None)


@click.group("export")
def export_group() -> None:
    """Exports for other systems."""


@export_group.command("shuanggongshi")
@click.option("--agency", "agency_code", required=True, help="机关统一社会信用代码")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y/%m/%d"]),
    default=None,
    help="重新导出此日期以来决定或变更的记录（默认：上次导出以来新增或变更的）",
)
@click.option("--template", type=click.Choice(TEMPLATES), default=None, help="只导出一个模板（CSV 必填）")
@click.option(
    "--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), default="xlsx", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="输出文件（默认按机关、模板和日期命名）",
)
def export_shuanggongshi(
    agency_code: str, since: object, template: str | None, fmt: str, output: Path | None
) -> None:
    """双公示 file for the credit platform; every export is recorded and audited."""
    from gongshi.core.context import Workflow
    from gongshi.credit.export import check_options, filename, run_export
    from gongshi.errors import GongshiError
    from gongshi.settings import load_settings

    wf = Workflow.create(load_settings())
    try:
        t, f = check_options(template, fmt)
        day: date | None = since.date() if since is not None else None  # type: ignore[attr-defined]
        path = output or Path(filename(agency_code, t, f, wf.today()))
        tmp = path.with_name(path.name + ".part")
        try:
            with tmp.open("wb") as out:
                result = run_export(wf, OPERATOR, agency_code, out=out, template=t, fmt=f, since=day)
        except BaseException:
            tmp.unlink(missing_ok=True)  # a failed export leaves no file behind, not even a partial one
            raise
        tmp.replace(path)
    except GongshiError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        wf.db.dispose()
    for e in result.errors:
        click.echo(f"未导出 {e.document_number}（决定 {e.decision_id}）{e.column}：{e.message}", err=True)
    click.echo(f"导出 {result.rows} 条到 {path}（批次 {result.export_id}）；未通过校验 {result.rejected} 条")


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", "agency_code", required=True, help="机关统一社会信用代码（决定所属机关）")
def import_command(file: Path, agency_code: str) -> None:
    """Store the rows of a 双公示 spreadsheet (XLSX or CSV) as decisions; bad rows are listed."""
    from gongshi.core.context import Workflow
    from gongshi.credit.importer import import_file, iter_errors_text
    from gongshi.errors import GongshiError
    from gongshi.settings import load_settings

    wf = Workflow.create(load_settings())
    try:
        with click.progressbar(length=1, label="读取并校验") as bar:
            state = {"done": 0}

            def progress(done: int, total: int) -> None:
                bar.length = max(total, 1)
                bar.update(done - state["done"])
                state["done"] = done

            result = import_file(wf, OPERATOR, agency_code, file.read_bytes(), file.name, progress)
    except GongshiError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        wf.db.dispose()
    for line in iter_errors_text(result):
        click.echo(line, err=True)
    bad = len({e.row for e in result.errors})
    click.echo(f"共 {result.rows} 行：新存入 {result.stored} 条，重复 {result.duplicates} 条，有误 {bad} 行")
