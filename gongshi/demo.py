"""Demo data for `make run`: agencies, users, tokens and a few hundred generated decisions in every state."""

from __future__ import annotations

import hashlib
import hmac
import random
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import msgspec
from sqlalchemy import func, select

from gongshi.auth.credentials import create_user, hash_token
from gongshi.auth.principal import Principal
from gongshi.publication import review
from gongshi.publication.context import Workflow
from gongshi.publication.intake import submit_batch
from gongshi.settings import Settings
from gongshi.storage.db import upgrade
from gongshi.storage.models import ApiToken, Decision, User
from gongshi.worker import run_once

DEMO_PASSWORD = "gongshi-demo"
ADMIN = Principal(actor="demo", role="admin", agency_id=None)


def demo_token(settings: Settings, name: str) -> str:
    """A stable demo token derived from this install's secret, so `make run` can print it every time."""
    return "gs_demo_" + hmac.new(settings.secret_key.encode(), name.encode(), hashlib.sha256).hexdigest()[:32]


# A few agencies, as in a county or city deployment; each generated decision is filed under one.
DEMO_AGENCIES = (
    ("合肥市市场监督管理局", "340100"),
    ("合肥市生态环境局", "340100"),
    ("合肥市城市管理局", "340100"),
    ("芜湖市市场监督管理局", "340200"),
    ("芜湖市交通运输局", "340200"),
    ("蚌埠市应急管理局", "340300"),
)


def _agency_code(name: str, region: str) -> str:
    """A stable, valid credit code of a government organ (11…) for a demo agency."""
    from gongshi.testing.corpus import make_uscc

    rng = random.Random(name)
    while not (code := make_uscc(rng, region)).startswith("11"):
        pass
    return code


def _demo_intakes(count: int, seed: int) -> list[Any]:
    """Generated decisions of the demo agencies only (the generator files them under ~60 agencies)."""
    from gongshi.domain.intake import AgencyRef
    from gongshi.testing.corpus import demo_intakes

    agencies = {name: AgencyRef(code=_agency_code(name, region), name=name) for name, region in DEMO_AGENCIES}
    out: list[Any] = []
    batch = seed
    while len(out) < count:
        for it in demo_intakes(2000, batch):
            if it.agency.name in agencies and len(out) < count:
                out.append(msgspec.structs.replace(it, agency=agencies[it.agency.name]))
        batch += 1
    return out


def load_demo(settings: Settings, count: int = 300, seed: int = 20261125) -> Iterator[str]:

    upgrade(settings.database_url)
    wf = Workflow.create(settings)
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
        # The demo reviewer is an admin so one login sees every demo agency.
        if s.scalar(select(User).where(User.username == "reviewer")) is None:
            create_user(
                s,
                username="reviewer",
                password=DEMO_PASSWORD,
                role="admin",
                agency=None,
                display_name="演示审核员",
            )
        already = s.scalar(select(func.count()).select_from(Decision)) or 0
    if already:
        yield f"demo data already loaded ({already} decisions)"
    else:
        _load_decisions(wf, _demo_intakes(count, seed), random.Random(seed))
        with wf.db.read() as s:
            counts = dict(s.execute(select(Decision.state, func.count()).group_by(Decision.state)).all())
        yield "demo decisions: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
    from gongshi.agencies.demo import load_directory

    yield from load_directory(wf)
    from gongshi.cases.demo import load_cases

    yield from load_cases(wf)
    yield f"console login: reviewer / {DEMO_PASSWORD}"
    yield f"admin API token: {token}"
    wf.db.dispose()


def _load_decisions(wf: Workflow, intakes: list, rng: random.Random) -> None:  # type: ignore[type-arg]
    with wf.db.write() as s:
        submit_batch(s, ADMIN, intakes, wf.calendar.get(), wf.clock())
    run_once(wf)  # redaction: received → in_review / withheld
    with wf.db.read() as s:
        in_review = list(
            s.scalars(select(Decision.id).where(Decision.state == "in_review").order_by(Decision.id))
        )
    # Leave about a third waiting for review, so the queue and the deadline board have work on them.
    for decision_id in in_review:
        roll = rng.random()
        with wf.db.write() as s:
            if roll < 0.55:
                review.approve(wf, s, ADMIN, decision_id, review.ApproveBody(note="演示：同意发布"))
            elif roll < 0.60:
                later = (wf.today() + timedelta(days=3)).isoformat()
                review.approve(
                    wf, s, ADMIN, decision_id, review.ApproveBody(note="送达后发布", not_before=later)
                )
            elif roll < 0.65:
                review.send_back(wf, s, ADMIN, decision_id, review.SendBackBody(note="演示：文号需核对"))
            elif roll < 0.68:
                review.withhold(
                    wf,
                    s,
                    ADMIN,
                    decision_id,
                    review.WithholdBody(reason="trade_secret", note="演示：涉及商业秘密"),
                )
    run_once(wf)  # publish the approved ones
    with wf.db.read() as s:
        published = list(
            s.scalars(select(Decision.id).where(Decision.state == "published").order_by(Decision.id))
        )
    for decision_id in published[: max(1, len(published) // 20)]:
        with wf.db.write() as s:
            review.withdraw(
                wf,
                s,
                ADMIN,
                decision_id,
                review.WithdrawBody(
                    reason="revoked",
                    ruling_received_on=wf.today(),
                    explanation="原行政执法决定已被行政复议机关依法撤销，现予撤下。",
                ),
            )
