"""Demo data for `make run`: agencies, users, tokens and a few hundred decisions in every state.

The decisions come from `gongshi.demo.stories` and go through the real workflow: historical ones are
submitted, reviewed, published and sometimes withdrawn with the workflow's clock set to the day each
step happened, so the portal's timeliness figures are computed from a believable history. The
queue is dated relative to today, so the deadline board shows work overdue, due today and due soon.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import msgspec
from sqlalchemy import func, select

from gongshi.auth.credentials import create_user, hash_token
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.demo.stories import DEMO_AGENCIES, KIND_MARK, DemoAgency, agency_ref, story_intake
from gongshi.demo.story_catalogue import STORIES
from gongshi.domain.clock import SHANGHAI
from gongshi.domain.intake import Intake
from gongshi.domain.windows import PUBLISH_WORKING_DAYS
from gongshi.domain.workdays import WorkCalendar
from gongshi.publication import publisher, redaction_edits, review, second_review
from gongshi.publication.intake import submit_batch
from gongshi.settings import Settings
from gongshi.storage.db import upgrade
from gongshi.storage.models import Agency, ApiToken, Decision, User
from gongshi.worker import run_once

DEMO_PASSWORD = "gongshi-demo"
ADMIN = Principal(actor="demo", role="admin", agency_id=None)
# The second reviewer of what the agencies' second-review rule flags (another person than ADMIN).
SECOND = Principal(actor="demo-second", role="admin", agency_id=None)


def _approve(
    wf: Workflow, s: Any, decision_id: int, body: review.ApproveBody, *, second: bool = True
) -> None:
    """Approve as a reviewer would: each open doubt looked at (kept) first, as approval requires;
    a second reviewer approves too when the rule asks for one (unless `second` is False)."""
    d = s.get(Decision, decision_id)
    for q in (d.redaction or {}).get("doubts", []) if d is not None else []:
        if q.get("status", "open") == "open":
            keep = redaction_edits.EditBody(action="resolve_doubt", doubt_id=q["id"], resolution="keep")
            redaction_edits.edit(wf, s, ADMIN, decision_id, keep)
    if review.approve(wf, s, ADMIN, decision_id, body).state == "second_review" and second:
        review.approve(wf, s, SECOND, decision_id, review.ApproveBody(note="演示：复核同意"))


# The console logins, one per real role. Reviewers and the head belong to the first demo agency, so
# one reviewer's approval can be checked by the other and the head sees what only a head may do.
LOGINS: tuple[tuple[str, str, str, bool], ...] = (
    # username, role, display name, scoped to the first agency
    ("reviewer", "reviewer", "演示审核员", True),
    ("reviewer2", "reviewer", "演示第二审核员", True),
    ("head", "head", "演示机关负责人", True),
    ("admin", "admin", "演示系统管理员", False),
)


def demo_token(settings: Settings, name: str) -> str:
    """A stable demo token derived from this install's secret, so `make run` can print it every time."""
    return "gs_demo_" + hmac.new(settings.secret_key.encode(), name.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass
class Planned:
    """One demo decision and what happens to it."""

    agency: DemoAgency
    story_index: int
    decided: date
    # published | withdrawn | withheld (history); overdue | due_today | due_soon | waiting | returned |
    # scheduled (today's queue)
    fate: str
    published_on: date | None = None
    ruling_on: date | None = None
    withdrawn_on: date | None = None
    intake: Intake | None = None


def _workday_before(cal: WorkCalendar, day: date) -> date:
    while not cal.is_workday(day):
        day -= timedelta(days=1)
    return day


def _decided_for(cal: WorkCalendar, window: int, due: date, rng: random.Random) -> date:
    """A working day whose publication deadline (`window` working days later) is `due`."""
    fits = [
        d
        for d in (due - timedelta(days=k) for k in range(window, window * 2 + 20))
        if cal.is_workday(d) and cal.add_working_days(d, window).on == due
    ]
    return rng.choice(fits) if fits else _workday_before(cal, due - timedelta(days=window + window // 5 * 2))


# Queue fates and how many of each per agency (the rest of an agency's decisions are history).
_QUEUE = (
    ("overdue", 1),
    ("due_today", 1),
    ("due_soon", 2),
    ("waiting", 3),
    ("returned", 1),
    ("scheduled", 1),
)


def plan(count: int, today: date, cal: WorkCalendar, rng: random.Random) -> list[Planned]:
    """`count` decisions over the demo agencies: a queue dated from today, and about 14 months of history."""
    out: list[Planned] = []
    per_agency = max(12, count // len(DEMO_AGENCIES))
    # Agencies publish in a weekly batch (每周三集中公示); the batch days of the last 14 months.
    wednesdays = [today - timedelta(days=(today.weekday() - 2) % 7 + 7 * w) for w in range(1, 62)]
    batches = sorted(d for d in wednesdays if cal.is_workday(d) and d < today)
    for agency in DEMO_AGENCIES:
        stories = STORIES[agency.sector]
        queue = [fate for fate, n in _QUEUE for _ in range(n)]
        for i in range(per_agency):
            index = rng.randrange(len(stories))
            story = stories[index]
            window = PUBLISH_WORKING_DAYS[story.kind]
            fate = queue[i] if i < len(queue) else "history"
            if fate == "overdue":
                due = today
                for _ in range(rng.randint(1, 4)):
                    due = _workday_before(cal, due - timedelta(days=1))
                out.append(Planned(agency, index, _decided_for(cal, window, due, rng), fate))
            elif fate == "due_today":
                out.append(Planned(agency, index, _decided_for(cal, window, today, rng), fate))
            elif fate == "due_soon":
                due = cal.add_working_days(today, rng.randint(1, 2)).on
                out.append(Planned(agency, index, _decided_for(cal, window, due, rng), fate))
            elif fate in ("waiting", "returned", "scheduled"):
                decided = _workday_before(cal, today - timedelta(days=rng.randint(0, 3)))
                out.append(Planned(agency, index, decided, fate))
            else:
                decided = _workday_before(cal, today - timedelta(days=rng.randint(12, 420)))
                # Mostly on time, in the weekly batch when it falls inside the window; one in eight
                # waits past its window.
                due = cal.add_working_days(decided, window).on
                if rng.random() < 0.125:
                    late = cal.add_working_days(decided, rng.randint(window + 1, window + 6)).on
                    published = next((b for b in batches if b >= late), late)
                else:
                    earliest = cal.add_working_days(decided, 1).on
                    inside = [b for b in batches if earliest <= b <= due]
                    published = (
                        rng.choice(inside)
                        if inside
                        else cal.add_working_days(decided, rng.randint(1, window)).on
                    )
                if published >= today:
                    continue
                p = Planned(agency, index, decided, "published", published_on=published)
                if story.kind == "penalty" and rng.random() < 0.06:
                    ruling = published + timedelta(days=rng.randint(5, 60))
                    slow = rng.random() < 0.3
                    withdrawn = cal.add_working_days(ruling, 5 if slow else rng.randint(0, 2) or 1).on
                    if withdrawn < today:
                        p.fate, p.ruling_on, p.withdrawn_on = "withdrawn", ruling, withdrawn
                elif rng.random() < 0.04:
                    p.fate, p.published_on = "withheld", None
                out.append(p)
    _number(out, rng)
    _with_a_doubt(out)
    return out


# A sentence the engine cannot settle alone: 小吴 is a person the rules do not mask, and the name signal
# asks the reviewer about it. Added without drawing random numbers, so the rest of the demo is unchanged.
_DOUBTFUL = "据当事人陈述，库房钥匙平时由店员小吴保管。"


def _with_a_doubt(planned: list[Planned]) -> None:
    """Two of each agency's waiting decisions carry a doubt: the demo approves the first once (it then
    waits for its second review, 待复核) and leaves the second for the reviewer to resolve."""
    given: dict[str, int] = {}
    for p in sorted(planned, key=lambda p: (p.decided, p.agency.name)):
        if p.fate != "waiting" or p.intake is None or given.get(p.agency.name, 0) >= 2:
            continue
        given[p.agency.name] = given.get(p.agency.name, 0) + 1
        p.intake = msgspec.structs.replace(p.intake, facts=(p.intake.facts or "") + _DOUBTFUL)


def _number(planned: list[Planned], rng: random.Random) -> None:
    """Document numbers per agency, kind and year, running in decision order: 合市监罚〔2026〕37号."""
    counters: dict[tuple[str, str, int], int] = {}
    for i, p in enumerate(sorted(planned, key=lambda p: (p.decided, p.agency.name))):
        story = STORIES[p.agency.sector][p.story_index]
        mark = KIND_MARK[story.kind]
        key = (p.agency.abbrev, mark, p.decided.year)
        counters[key] = counters.get(key, rng.randint(1, 30)) + rng.randint(1, 4)
        p.intake = story_intake(
            rng,
            p.agency,
            story,
            p.decided,
            f"{p.agency.abbrev}{mark}〔{p.decided.year}〕{counters[key]}号",
            f"DEMO-{p.decided:%Y%m%d}-{i:04d}",
            sensitive=p.fate == "withheld",
        )


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), SHANGHAI).astimezone(UTC)


def load_demo(
    settings: Settings, count: int = 300, seed: int = 20261125, clock: Callable[[], datetime] | None = None
) -> Iterator[str]:
    upgrade(settings.database_url)
    wf = Workflow.create(settings)
    if clock is not None:
        wf.clock = clock
    token = demo_token(settings, "admin")
    with wf.db.write() as s:
        if s.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token))) is None:
            s.add(
                ApiToken(
                    token_hash=hash_token(token),
                    role="admin",
                    agency_id=None,
                    name="demo",
                    created_at=wf.clock(),
                    revoked_at=None,
                )
            )
        already = s.scalar(select(func.count()).select_from(Decision)) or 0
    if already:
        yield f"demo data already loaded ({already} decisions)"
    else:
        _load_decisions(wf, plan(count, wf.today(), wf.calendar.get(), random.Random(seed)))
        with wf.db.read() as s:
            counts = dict(s.execute(select(Decision.state, func.count()).group_by(Decision.state)).all())
        yield "demo decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    _logins(wf)
    from gongshi.demo.directory import load_directory

    yield from load_directory(wf)
    from gongshi.demo.cases import load_cases

    yield from load_cases(wf)
    first = DEMO_AGENCIES[0].name
    yield f"console logins at /console (password {DEMO_PASSWORD} for each):"
    for username, role, _, scoped in LOGINS:
        scope = first if scoped else "all agencies"
        yield f"  {username:<10} {role:<9} {scope}"
    yield f"admin API token: {token}"
    wf.db.dispose()


def _logins(wf: Workflow) -> None:
    """The demo logins; an older demo database's users are brought to their current roles."""
    code = agency_ref(DEMO_AGENCIES[0]).code
    with wf.db.write() as s:
        agency = s.scalar(select(Agency).where(Agency.code == code))
        for username, role, display, scoped in LOGINS:
            home = agency if scoped else None
            user = s.scalar(select(User).where(User.username == username))
            if user is None:
                create_user(
                    s, username=username, password=DEMO_PASSWORD, role=role, agency=home, display_name=display
                )
            elif user.role != role or user.agency_id != (home.id if home else None):
                user.role, user.agency_id = role, home.id if home else None


def _step(wf: Workflow, moment: datetime, action: Callable[[], Any]) -> Any:
    """Run one workflow step as if it were `moment`."""
    real = wf.clock
    wf.clock = lambda: moment
    try:
        return action()
    finally:
        wf.clock = real


def _submit(wf: Workflow, intakes: list[Intake]) -> None:
    with wf.db.write() as s:
        submit_batch(s, ADMIN, intakes, wf.calendar.get(), wf.clock())
    while publisher.redact_received(wf, 500):
        pass


def _in_review(wf: Workflow, source_ids: list[str]) -> list[int]:
    with wf.db.read() as s:
        return list(
            s.scalars(
                select(Decision.id)
                .where(Decision.source_id.in_(source_ids), Decision.state == "in_review")
                .order_by(Decision.id)
            )
        )


def _load_decisions(wf: Workflow, planned: list[Planned]) -> None:
    history = [p for p in planned if p.published_on is not None]
    by_day: dict[date, list[Planned]] = {}
    for p in history:
        assert p.published_on is not None
        by_day.setdefault(p.published_on, []).append(p)
    for day in sorted(by_day):
        group = by_day[day]
        intakes = [p.intake for p in group if p.intake]
        _step(wf, _at(day, 9), functools.partial(_submit, wf, intakes))
        reviewable = _in_review(wf, [i.source_id for i in intakes])

        def approve(ids: list[int] = reviewable) -> None:
            with wf.db.write() as s:
                for decision_id in ids:
                    _approve(wf, s, decision_id, review.ApproveBody(note="演示：同意发布"))

        _step(wf, _at(day, 11), approve)
        _step(wf, _at(day, 15), lambda: publisher.publish_due(wf, 1000))
    _withdraw_revoked(wf, history)
    _queue_today(wf, [p for p in planned if p.published_on is None])
    run_once(wf)  # expire what has run its time, raise today's deadline alerts


def _withdraw_revoked(wf: Workflow, history: list[Planned]) -> None:
    """Published decisions later revoked on review are withdrawn on the day the ruling came."""
    for p in sorted((p for p in history if p.withdrawn_on), key=lambda p: p.withdrawn_on or p.decided):
        assert p.intake is not None and p.withdrawn_on is not None

        def withdraw(p: Planned = p) -> None:
            assert p.intake is not None
            with wf.db.write() as s:
                decision_id = s.scalar(select(Decision.id).where(Decision.source_id == p.intake.source_id))
                if decision_id is None or s.get(Decision, decision_id).state != "published":  # type: ignore[union-attr]
                    return
                review.withdraw(
                    wf,
                    s,
                    ADMIN,
                    decision_id,
                    review.WithdrawBody(
                        reason="revoked",
                        ruling_received_on=p.ruling_on,
                        explanation="原行政执法决定已被行政复议机关依法撤销，现予撤下。",
                    ),
                )

        _step(wf, _at(p.withdrawn_on, 10), withdraw)


def _needs_second_review(s: Any, decision_id: int) -> bool:
    """Whether approving this decision (its doubts kept, as `_approve` does) asks for a second review."""
    d = s.get(Decision, decision_id)
    assert d is not None
    kept = any(q.get("status", "open") != "masked" for q in (d.redaction or {}).get("doubts", []))
    rule = second_review.rule_of(s.get(Agency, d.agency_id))
    return (kept and rule.kept_doubts) or bool(second_review.reasons(rule, d, second_review.party_kind(d)))


def _queue_today(wf: Workflow, queue: list[Planned]) -> None:
    """Today's queue: submitted over the last days, reviewed as far as each fate says."""
    _submit(wf, [p.intake for p in queue if p.intake])
    ids = dict(zip((p.intake.source_id for p in queue if p.intake), range(len(queue)), strict=True))
    with wf.db.read() as s:
        rows = s.execute(
            select(Decision.id, Decision.source_id, Decision.state).where(Decision.source_id.in_(ids))
        ).all()
    fate = {p.intake.source_id: p.fate for p in queue if p.intake}
    later = (wf.today() + timedelta(days=3)).isoformat()
    waits_for_second: set[int] = set()  # agencies with a decision left waiting for its second review
    for decision_id, source_id, state in rows:
        if state != "in_review":
            continue
        with wf.db.write() as s:
            agency_id = s.get(Decision, decision_id).agency_id  # type: ignore[union-attr]
            if fate[source_id] == "waiting" and agency_id not in waits_for_second:
                if _needs_second_review(s, decision_id):
                    # Approved once: the demo reviewers (reviewer, reviewer2) can give the second review.
                    _approve(wf, s, decision_id, review.ApproveBody(note="演示：初审同意"), second=False)
                    waits_for_second.add(agency_id)
            elif fate[source_id] == "returned":
                review.send_back(wf, s, ADMIN, decision_id, review.SendBackBody(note="演示：文号需核对"))
            elif fate[source_id] == "scheduled":
                _approve(wf, s, decision_id, review.ApproveBody(note="送达后发布", not_before=later))
            elif fate[source_id] == "withheld":
                review.withhold(
                    wf,
                    s,
                    ADMIN,
                    decision_id,
                    review.WithholdBody(reason="trade_secret", note="演示：涉及商业秘密"),
                )
