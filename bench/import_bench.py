"""Import of a 10,000-row 双公示 spreadsheet (XLSX), validation included, on PostgreSQL.

Run: .venv/bin/python bench/import_bench.py [--rows 10000] [--bad 100] [--sqlite]
     (PostgreSQL: GONGSHI_TEST_POSTGRES_URL or postgresql+psycopg://postgres@127.0.0.1:5432/test;
      creates and drops its own database). Reports wall and CPU time of the import alone, and
      then of a second upload of the same file (all duplicates).
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

from openpyxl import Workbook

sys.path.insert(0, os.path.dirname(__file__))
from _support import scratch_postgres

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.importer import import_file
from gongshi.credit.mapping import yuan_to_wan
from gongshi.credit.templates import headers, keys
from gongshi.demo.identifiers import make_resident_id, make_uscc
from gongshi.settings import Settings
from gongshi.storage.db import upgrade
from gongshi.storage.models import Agency

AGENCY = ("11340100003000001B", "合肥市市场监督管理局")
ADMIN = Principal(actor="bench", role="admin", agency_id=None)


def spreadsheet(rows: int, bad: int, seed: int = 1) -> bytes:
    """Legal and natural penalty sheets; `bad` rows carry a wrong credit-code check character."""
    rng = random.Random(seed)
    wb = Workbook(write_only=True)
    sheets = {t: wb.create_sheet(t) for t in ("legal_penalty", "natural_penalty")}
    for t, ws in sheets.items():
        ws.append(headers(t))  # type: ignore[arg-type]
    bad_rows = set(rng.sample(range(rows), bad))
    for i in range(rows):
        t = "legal_penalty" if i % 3 else "natural_penalty"
        fine = rng.choice([500, 2000, 5000, 30000, 120000])
        decided = date(2026, 1, 5) + timedelta(days=i % 300)
        row = {
            "party_name": f"合肥市某某商贸有限公司第{i}分公司" if t == "legal_penalty" else "张建国",
            "code_uscc": make_uscc(rng, "340100"),
            "legal_rep": "李明华",
            "id_type": "身份证",
            "id_number": make_resident_id(rng),
            "document_number": f"合市监罚〔2026〕{i + 1}号",
            "violation_type": "经营超过保质期的食品",
            "facts": (
                f"经查，当事人于2026年3月在经营场所销售超过保质期的食品{i % 40 + 1}件，"
                f"货值金额{fine // 10}元。"
            ),
            "legal_basis": "《中华人民共和国食品安全法》第三十四条第十项、第一百二十四条第一款第五项",
            "penalty_category": "警告;罚款",
            "result": f"警告，没收超过保质期的食品，并处罚款{fine}元。",
            "fine_wan": yuan_to_wan(fine),
            "decided_on": f"{decided:%Y/%m/%d}",
            "penalty_valid_until": "2099/12/31",
            "publish_until": f"{decided.replace(year=2027):%Y/%m/%d}",
            "authority": AGENCY[1],
            "authority_code": AGENCY[0],
            "source_unit": AGENCY[1],
            "source_unit_code": AGENCY[0],
        }
        if row["code_uscc"].startswith("92"):
            row["code_uscc"] = "91" + row["code_uscc"][2:-1]
            row["code_uscc"] += _check(row["code_uscc"])
        if i in bad_rows:
            row["code_uscc"] = row["code_uscc"][:-1] + ("0" if row["code_uscc"][-1] != "0" else "1")
            t = "legal_penalty"
        sheets[t].append([row.get(k) for k in keys(t)])  # type: ignore[arg-type]
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _check(body: str) -> str:
    from gongshi.redaction.identifiers import uscc_valid

    return next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if uscc_valid(body + c))


@contextmanager
def database(sqlite: bool) -> Iterator[str]:
    if sqlite:
        with tempfile.TemporaryDirectory() as d:
            url = f"sqlite:///{d}/bench.sqlite3"
            upgrade(url)
            yield url
    else:
        with scratch_postgres() as url:
            yield url


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--bad", type=int, default=100)
    ap.add_argument("--sqlite", action="store_true")
    args = ap.parse_args()
    content = spreadsheet(args.rows, args.bad)
    print(f"spreadsheet: {args.rows} rows ({args.bad} bad), {len(content) / 1e6:.1f} MB")
    with database(args.sqlite) as url:
        wf = Workflow.create(Settings(database_url=url, data_dir="/tmp", secret_key="x" * 40))
        with wf.db.write() as s:
            s.add(
                Agency(
                    code=AGENCY[0], name=AGENCY[1], region="340100", profile={}, created_at=datetime.now(UTC)
                )
            )
        for label in ("first upload", "same file again"):
            wall, cpu = time.perf_counter(), time.process_time()
            result = import_file(wf, ADMIN, AGENCY[0], content, "bench.xlsx")
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            print(
                f"{label}: stored {result.stored}, duplicates {result.duplicates}, "
                f"rows with errors {len({e.row for e in result.errors})} "
                f"in {wall:.1f} s wall, {cpu:.1f} s CPU ({'SQLite' if args.sqlite else 'PostgreSQL'})"
            )
        wf.db.dispose()


if __name__ == "__main__":
    main()
