"""The read side goes through the typed public record: PublicDecision in, the portal's schemas out."""

from __future__ import annotations

from typing import Any

import msgspec

from gongshi.portal.schemas import DisclosureOut, SearchResponse
from gongshi.storage.models import Disclosure
from tests.portal import rows

MARKER = "不应公开的备注甲乙丙"


def test_only_fields_of_the_public_struct_reach_any_output(wf: Any, portal: Any) -> None:
    # The read model's record is PublicDecision as JSON; a key beside its fields (an old or a
    # broken writer) is dropped when the record is decoded, on every output.
    party = {**rows.record()["party"], "note": MARKER}
    penalty = {"categories": ["fine"], "fine_yuan": "100.00", "confiscated_yuan": None, "note": MARKER}
    rows.insert(wf, "s000000000001", party=party, penalty=penalty)
    with wf.db.write() as s:
        d = s.get(Disclosure, "s000000000001")
        d.record = {**d.record, "reviewer_note": MARKER}
    with wf.db.read() as s:
        assert msgspec.json.encode(s.get(Disclosure, "s000000000001").record).count(MARKER.encode()) == 3
    rows.index(wf)
    outputs = [
        portal.get("/disclosures/s000000000001"),
        portal.get("/api/public/v1/disclosures/s000000000001"),
        portal.get("/api/public/v1/disclosures", params={"q": "保质期"}),
        portal.get("/api/public/v1/disclosures", params={"modified_since": "2000-01-01"}),
        portal.get("/disclosures.csv"),
        portal.get("/feed.atom"),
    ]
    for response in outputs:
        assert response.status_code == 200, response.url
        assert MARKER not in response.text, response.url
    assert portal.get("/api/public/v1/disclosures", params={"q": "甲乙丙"}).json()["total"] == 0
    assert "s000000000001" in outputs[2].text and "s000000000001" in outputs[3].text


def test_json_twins_are_exactly_their_response_structs(wf: Any, portal: Any) -> None:
    rows.insert(
        wf,
        "s000000000002",
        kind="licensing",
        penalty=None,
        license={"name": "食品经营许可证", "number": "JY1", "valid_from": "2026-01-01", "valid_until": None},
    )
    rows.insert(wf, "s000000000003")
    rows.index(wf)
    for url, shape in [
        ("/api/public/v1/disclosures/s000000000002", DisclosureOut),
        ("/api/public/v1/disclosures/s000000000003", DisclosureOut),
        ("/api/public/v1/disclosures?q=保质期", SearchResponse),
        ("/api/public/v1/disclosures?modified_since=2000-01-01", SearchResponse),
    ]:
        body = portal.get(url).content
        # Every key is a field of the Struct, in its order, and nothing is left out.
        assert msgspec.json.encode(msgspec.json.decode(body, type=shape)) == body, url
    licence = portal.get("/api/public/v1/disclosures/s000000000002").json()["license"]
    assert licence == {
        "name": "食品经营许可证",
        "number": "JY1",
        "valid_from": "2026-01-01",
        "valid_until": None,
    }


def test_amounts_are_decimals_shown_as_stored(wf: Any, portal: Any) -> None:
    rows.insert(
        wf,
        "s000000000004",
        penalty={"categories": ["fine", "confiscation"], "fine_yuan": "0.00", "confiscated_yuan": "0"},
    )
    rows.insert(
        wf,
        "s000000000005",
        penalty={"categories": ["confiscation"], "fine_yuan": None, "confiscated_yuan": "1200.50"},
    )
    zero = portal.get("/disclosures/s000000000004").text
    assert "罚款金额：0.00 元" in zero and "没收金额" not in zero
    some = portal.get("/disclosures/s000000000005").text
    assert "罚款金额" not in some and "没收金额：1200.50 元" in some
    penalty = portal.get("/api/public/v1/disclosures/s000000000004").json()["penalty"]
    assert penalty["fine_yuan"] == "0.00" and penalty["confiscated_yuan"] == "0"
