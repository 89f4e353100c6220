"""`gongshi demo load`: data a county reviewer recognises (issue 12).

Loaded once per database with the clock at Wednesday 2026-11-25 (a working day), then checked for
what a reviewer would notice: document numbers of the right agency, facts dated before the
decision, telephone area codes of the agency's city, a deadline board with work overdue, due today
and due soon, timeliness figures from a believable history, and one login per real role.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.demo import DEMO_PASSWORD, LOGINS, demo_token, load_demo
from gongshi.demo.stories import CITIES, DEMO_AGENCIES, KIND_MARK, agency_ref
from gongshi.domain.intake import decode_intake
from gongshi.settings import Settings
from gongshi.storage.models import Agency, Decision, Disclosure, User

BY_CODE = {agency_ref(a).code: a for a in DEMO_AGENCIES}
DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
LANDLINE = re.compile(r"\b0\d{2,3}-\d{7,8}\b")


def test_demo_data_is_what_a_reviewer_recognises(settings: Settings, wf: Workflow, client: Any) -> None:
    lines = list(load_demo(settings, clock=wf.clock))
    with wf.db.read() as s:
        rows = s.execute(select(Decision, Agency).join(Agency, Agency.id == Decision.agency_id)).all()
        profiles = {a.code: a.profile for a in s.scalars(select(Agency))}
    assert len(rows) >= 250
    states = {d.state for d, _ in rows}
    assert {"published", "in_review", "withheld", "withdrawn", "returned", "approved"} <= states
    for d, agency in rows:
        demo = BY_CODE[agency.code]
        intake = decode_intake(d.intake)
        # 合市监罚 from 市场监管, 合环罚 from 生态环境…, with the decision's year.
        assert d.document_number.startswith(f"{demo.abbrev}{KIND_MARK[d.kind]}〔{d.decided_on.year}〕"), (
            d.document_number,
            agency.name,
        )
        for y, m, day in DATE.findall(intake.facts):
            assert date(int(y), int(m), int(day)) < d.decided_on, (intake.facts, d.decided_on)
        city = demo.city
        assert city.name in intake.facts and (intake.party.address or "").startswith(city.name)
        for number in [intake.party.phone or "", *LANDLINE.findall(intake.facts)]:
            if LANDLINE.fullmatch(number):
                assert number.startswith(city.area_code + "-"), (number, agency.name)
        assert d.decided_on <= wf.today()
    for code, profile in profiles.items():
        area = CITIES[BY_CODE[code].name[:3]].area_code
        assert profile["phone"].startswith(area + "-"), (code, profile["phone"])
    # One document number per decision.
    assert len({d.document_number for d, _ in rows}) == len(rows)
    # Every agency's queue has a doubt to answer and a decision waiting for its second review.
    for code in BY_CODE:
        mine = [d for d, agency in rows if agency.code == code]
        open_doubts = [
            d
            for d in mine
            if d.state == "in_review"
            and any(q.get("status", "open") == "open" for q in (d.redaction or {}).get("doubts", []))
        ]
        assert len(open_doubts) == 1, code
        assert sum(d.state == "second_review" for d in mine) == 1, code

    admin = {"Authorization": f"Bearer {demo_token(settings, 'admin')}"}
    board = client.get("/api/v1/deadlines", headers=admin).json()
    counts = {b: sum(len(a[b]) for a in board["agencies"]) for b in ("overdue", "due_today", "due_soon")}
    assert all(n > 0 for n in counts.values()), counts

    with wf.db.read() as s:
        on_time = [r for (r,) in s.execute(select(Disclosure.published_on_time))]
    assert on_time.count(True) > on_time.count(False) > 0  # mostly on time, some late

    for username, role, _, scoped in LOGINS:
        assert any(line.strip().startswith(username) for line in lines), lines
        client.cookies.clear()
        page = client.get("/console/login").text
        # The CSRF token lives in the server-side session; the login form carries it.
        csrf = re.search(r'name="_csrf_token" value="([^"]+)"', page)
        assert csrf, "login form carries a CSRF token"
        r = client.post(
            "/console/login",
            data={"username": username, "password": DEMO_PASSWORD, "_csrf_token": csrf.group(1)},
            follow_redirects=False,
        )
        assert r.status_code in (302, 303), (username, r.text[:300])
        with wf.db.read() as s:
            user = s.scalar(select(User).where(User.username == username))
            assert user is not None and user.role == role
            assert (user.agency_id is not None) == scoped
    with wf.db.read() as s:
        reviewers = s.scalars(select(User).where(User.role == "reviewer")).all()
    assert len(reviewers) == 2 and reviewers[0].agency_id == reviewers[1].agency_id  # four eyes, one agency
    # Loading again changes nothing.
    assert any("already loaded" in line for line in load_demo(settings, clock=wf.clock))
