"""Concurrent appends to one case keep its chain linear (the case row is the lock)."""

from __future__ import annotations

import threading
from typing import Any

import msgspec

from gongshi.auth.principal import Principal
from gongshi.cases import chain, records
from gongshi.cases.entries import decode_entry
from tests.cases.factories import case, entry, open_case
from tests.factories import token


def test_parallel_appends_chain_in_order(client: Any, wf: Any) -> None:
    c = open_case(client, token(wf, "submitter"))
    with wf.db.read() as session:
        agency_id = records.load_case(
            session, Principal(actor="admin", role="admin", agency_id=None), c["id"]
        ).agency_id
    writer = Principal(actor="token:test", role="submitter", agency_id=agency_id)
    errors: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            for i in range(5):
                raw = msgspec.json.encode(entry("source", text=f"worker {worker} entry {i}"))
                with wf.db.write() as session:
                    case = records.load_case(session, writer, c["id"], for_update=True)
                    records.add_entry(session, writer, case, decode_entry(raw), wf.clock())
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=append, args=(w,)) for w in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with wf.db.read() as session:
        case = records.load_case(session, writer, c["id"])
        result = chain.verify(session, case, None)
    assert result.intact and result.entries == 30 and result.events == 31


def test_parallel_opening_of_one_case(client: Any, wf: Any) -> None:
    h = token(wf, "submitter")
    results: list[Any] = []

    def post() -> None:
        results.append(client.post("/api/v1/cases", json=case(), headers=h))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status_code for r in results) == [200] * 5 + [201]
    assert len({r.json()["id"] for r in results}) == 1
