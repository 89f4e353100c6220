"""Large exports build their rows in producer processes (PostgreSQL): same file, clean failure."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import signal
import time
from datetime import date
from pathlib import Path
from typing import Any

import msgspec
import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from gongshi.auth.principal import Principal
from gongshi.cli import main
from gongshi.core.context import Workflow
from gongshi.credit import candidates, export
from gongshi.credit.candidates import RowContext
from gongshi.credit.export import run_export
from gongshi.credit.producer import ExportFailed, Producers
from gongshi.credit.templates import TEMPLATES
from gongshi.settings import Settings
from gongshi.storage.credit_models import CreditExport, CreditExportItem
from gongshi.storage.models import AuditEvent, Decision
from tests.credit.helpers import AGENCY, NATURAL, approved, head, sheets

ADMIN = Principal(actor="t", role="admin", agency_id=None)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The app's settings with one producer (the default is none), so the API export uses it too."""
    return Settings(
        database_url=database_url,
        data_dir=str(tmp_path),
        secret_key="test-secret-" + "x" * 20,
        export_producers=1,
    )


@pytest.fixture
def parallel(wf: Workflow, monkeypatch: pytest.MonkeyPatch) -> None:
    """Producers for any export, however small, and batches of two rows (so several per producer)."""
    if wf.db.is_sqlite:
        pytest.skip("producers join the exporter's snapshot: PostgreSQL only")
    monkeypatch.setattr(export, "PARALLEL_FROM", 0)
    monkeypatch.setattr(candidates, "BATCH", 2)


def _with_producers(wf: Workflow, n: int) -> Workflow:
    return dataclasses.replace(wf, settings=msgspec.structs.replace(wf.settings, export_producers=n))


def _decisions(client: Any, wf: Workflow) -> list[int]:
    """Rows of all four templates, one the validation rejects and one the leak gate stops."""
    ids = [approved(client, wf)]
    for i in range(3):
        ids.append(approved(client, wf, source_id=f"P-{i}", document_number=f"合市监罚〔2026〕{300 + i}号"))
    ids.append(approved(client, wf, party=NATURAL, source_id="N-1", document_number="合市监罚〔2026〕400号"))
    ids.append(
        approved(
            client,
            wf,
            kind="licensing",
            source_id="L-1",
            document_number="合市监许〔2026〕9号",
            title="食品经营许可决定书",
            result="准予食品经营许可。",
            penalty=None,
            license={"name": "食品经营许可证", "number": "JY13401000000001", "valid_from": "2026-11-20"},
        )
    )
    bad_code = {**NATURAL, "kind": "legal_person", "name": "某公司", "id_type": "uscc"}
    ids.append(approved(client, wf, source_id="B-1", party={**bad_code, "id_number": "91340100MA2N0000X1"}))
    ids.append(
        approved(
            client,
            wf,
            party=NATURAL,
            source_id="G-1",
            document_number="合市监罚〔2026〕500号",
            facts="经查，当事人张建国销售过期食品，证人王小燕目睹。",
            persons=[{"name": "王小燕", "role": "witness"}],
            penalty={
                "categories": ["warning"],
                "violation_type": "销售过期食品（证人王小燕，电话13805512345）",
            },
        )
    )
    return ids


def _export(wf: Workflow, producers: int) -> tuple[export.ExportResult, bytes]:
    out = io.BytesIO()
    result = run_export(
        _with_producers(wf, producers), ADMIN, AGENCY["code"], out=out, since=date(2026, 1, 1)
    )
    return result, out.getvalue()


def test_producers_write_the_file_the_exporting_process_writes(
    client: Any, wf: Workflow, parallel: None
) -> None:
    _decisions(client, wf)
    serial, serial_file = _export(wf, 0)
    assert serial.producers == [] and serial.rows == 6 and serial.rejected == 2
    for n in (1, 2):
        result, content = _export(wf, n)
        assert len(result.producers) == n
        assert all(p.cpu_seconds > 0 and p.peak_rss_mb > 0 for p in result.producers)
        assert sheets(content) == sheets(serial_file)
        assert (result.rows, result.rejected, result.counts) == (serial.rows, serial.rejected, serial.counts)
        assert result.errors == serial.errors
    with wf.db.read() as s:
        exports = s.scalars(select(CreditExport.id).order_by(CreditExport.id)).all()
        items = s.execute(select(CreditExportItem.export_id, CreditExportItem.decision_id)).all()
    contained = [sorted(d for e, d in items if e == export_id) for export_id in exports]
    assert len(contained) == 3 and contained[0] == contained[1] == contained[2]


def test_a_failing_producer_fails_the_export_and_records_nothing(
    client: Any,
    wf: Workflow,
    parallel: None,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ids = _decisions(client, wf)
    with wf.db.write() as s:  # a stored intake no decoder accepts: the producer of its batch fails
        s.execute(update(Decision).where(Decision.id == ids[4]).values(intake=b"{not json"))
    with caplog.at_level(logging.ERROR, "gongshi.credit"), pytest.raises(ExportFailed) as failed:
        _export(wf, 2)
    assert "导出失败" in failed.value.message
    assert "DecodeError" in caplog.text  # the producer's traceback, for the operator
    # Through the CLI: no file, not even the partial one it writes first.
    monkeypatch.setenv("GONGSHI_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("GONGSHI_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GONGSHI_EXPORT_PRODUCERS", "2")
    out = tmp_path / "out.xlsx"
    cli = CliRunner().invoke(main, ["export", "shuanggongshi", "--agency", AGENCY["code"], "-o", str(out)])
    assert cli.exit_code != 0 and "导出失败" in cli.output
    assert list(tmp_path.glob("out.xlsx*")) == []
    # Through the API: the error, and nothing recorded.
    resp = client.get("/api/v1/exports/shuanggongshi", params={"agency": AGENCY["code"]}, headers=head(wf))
    assert resp.status_code == 500 and resp.json()["error"]["code"] == "export_failed"
    with wf.db.read() as s:
        assert s.scalars(select(CreditExport)).all() == []
        assert s.scalars(select(CreditExportItem)).all() == []
        assert s.scalars(select(AuditEvent).where(AuditEvent.subject_type == "credit_export")).all() == []


def test_a_producer_that_dies_fails_the_export(
    wf: Workflow, parallel: None, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = RowContext(AGENCY["code"], AGENCY["name"], None, wf.policy(), 100_000, wf.today(), None, TEMPLATES)
    with wf.db.read() as s:
        snapshot = str(s.connection().exec_driver_sql("SELECT pg_export_snapshot()").scalar())
        with Producers(wf.db.url, snapshot, ctx, 2) as producers:
            pids = producers.pids
            os.kill(pids[1], signal.SIGKILL)
            # Dead before the work is sent: the send fails and its bytes stay buffered, which closing
            # must not raise about (a BrokenPipeError from close() when the kill landed first).
            deadline = time.monotonic() + 10
            while "State:\tZ" not in Path(f"/proc/{pids[1]}/status").read_text():
                assert time.monotonic() < deadline
                time.sleep(0.01)
            with caplog.at_level(logging.ERROR, "gongshi.credit"), pytest.raises(ExportFailed):
                list(producers.rows([1, 2, 3, 4]))
            assert "exit status -9" in caplog.text
    for pid in pids:  # both stopped and reaped
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
