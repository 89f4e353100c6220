"""Schemathesis against both OpenAPI schemas, in process, on a seeded database (issue 14 item 13).

Every documented operation is fuzzed with positive data (what the schema allows) and negative data
(what it forbids), a bounded number of derandomized examples each; half of the examples of an
operation with path parameters name a real record of the seeded database (a decision in some
state, a case and its entries and files, an agency and its report year, an access or correction
request), the other half whatever the schema allows. Every answer is checked:

- not_a_server_error: no 5xx;
- status_code_conformance: the status is documented for the operation;
- content_type_conformance: the Content-Type is documented for that status;
- response_headers_conformance: documented headers are present and valid;
- response_schema_conformance: the body matches the documented schema (the error shape included).

Checks not run, on purpose: negative_data_rejection and positive_data_acceptance (a Decimal is
documented as a string but msgspec also accepts a JSON number, and many schema-valid bodies are
rightly refused by rules across fields, e.g. 422), the stateful checks (use_after_free,
ensure_resource_availability: nothing is ever deleted through the API), ignored_auth (the
authorization matrix has its own tests in tests/internal_api/test_auth.py), max_response_time
(a shared 2-core machine).

The operations are driven with `APIOperation.as_strategy()` and Hypothesis directly rather than with
schemathesis' pytest plugin, whose lazy-fixture loader relies on a pytest internal
(`Function._nodeid`) that pytest 9.2 removed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import select

from gongshi.core.context import Workflow
from gongshi.demo import demo_token, load_demo
from gongshi.domain.intake import decode_intake
from gongshi.parties import access, corrections, schemas
from gongshi.portal import ratelimit
from gongshi.search import indexer
from gongshi.settings import Settings
from gongshi.storage.case_models import CaseAttachment, CaseEntry
from gongshi.storage.models import Agency, Decision, Disclosure
from gongshi.storage.portal_models import AnnualReport
from gongshi.storage.request_models import AccessRequest, CorrectionRequest

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
MAX_EXAMPLES = 12
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
Statuses = Counter[tuple[str, int]]


class Seeded:
    """The demo data set plus a few party requests, and the path parameters of its real records."""

    def __init__(self, settings: Settings, token: str, records: list[dict[str, Any]]) -> None:
        self.settings = settings
        self.token = token
        self.records = records


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    data = Path(tmp_path_factory.mktemp("contract"))
    s = Settings(
        database_url=f"sqlite:///{data / 'gongshi.sqlite3'}",
        data_dir=str(data),
        secret_key="contract-secret-" + "x" * 20,
    )
    for _ in load_demo(s, count=30):
        pass
    wf = Workflow.create(s)
    try:
        engine = indexer.engine_for(s, writer=True)
        try:
            indexer.reindex(wf, engine)
        finally:
            engine.close()
        return Seeded(s, demo_token(s, "admin"), _seed_requests_and_collect(wf))
    finally:
        wf.db.dispose()


def _seed_requests_and_collect(wf: Workflow) -> list[dict[str, Any]]:
    with wf.db.write() as session:
        # A request by the party of a real decision, so that it matches.
        party = next(
            (i.party, i.document_number)
            for i in (
                decode_intake(d.intake) for d in session.scalars(select(Decision).order_by(Decision.id))
            )
            if i.party.id_number
        )
        access.file_request(
            wf,
            session,
            schemas.AccessRequestIn(
                document_number=party[1],
                name=party[0].name,
                id_number=party[0].id_number or "",
                contact="13800000000",
            ),
        )
        disclosure = session.scalars(select(Disclosure).where(Disclosure.status == "published")).first()
        assert disclosure is not None
        corrections.file_request(
            wf,
            session,
            schemas.CorrectionRequestIn(disclosure_id=disclosure.public_id, description="处罚金额有误"),
        )
    records: list[dict[str, Any]] = []
    with wf.db.read() as session:
        records += [{"decision_id": i} for i in session.scalars(select(Decision.id))]
        for case_id, entry_id in session.execute(select(CaseEntry.case_id, CaseEntry.id)):
            records += [{"case_id": case_id}, {"case_id": case_id, "entry_id": entry_id}]
        for att in session.scalars(select(CaseAttachment)):
            for ref in (str(att.id), att.sha256):
                records.append({"case_id": att.case_id, "entry_id": att.entry_id, "ref": ref})
        for code, year in session.execute(
            select(Agency.code, AnnualReport.year).join(AnnualReport, AnnualReport.agency_id == Agency.id)
        ):
            records.append({"code": code, "year": year})
        records += [{"code": c} for c in session.scalars(select(Agency.code))]
        records += [{"request_id": i} for i in session.scalars(select(AccessRequest.id))]
        records += [{"request_id": i} for i in session.scalars(select(CorrectionRequest.id))]
        records += [{"tracking_no": t} for t in session.scalars(select(AccessRequest.tracking_no))]
        records += [{"tracking_no": t} for t in session.scalars(select(CorrectionRequest.tracking_no))]
        published = select(Disclosure.public_id).where(Disclosure.status == "published")
        records += [{"public_id": p} for p in session.scalars(published)]
    return records


def fuzz(
    schema: Any, headers: dict[str, str], records: list[dict[str, Any]], statuses: Statuses
) -> list[str]:
    """Every operation in both modes; one entry per operation and mode that failed a check."""
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in MODES:
            test = _operation_test(operation, mode, headers, records, statuses)
            try:
                test()
            except Unsatisfiable:
                # Nothing about the operation can be made invalid (no parameters, or only free-text
                # ones): there is no negative case to send.
                assert mode is GenerationMode.NEGATIVE, operation.label
            except (Exception, BaseExceptionGroup) as exc:  # a failed check, with the case that failed
                failures.append(f"{operation.label} [{mode.value}]\n{str(exc)[:3000]}")
    return failures


def _operation_test(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    records: list[dict[str, Any]],
    statuses: Statuses,
) -> Callable[[], None]:
    strategy = operation.as_strategy(generation_mode=mode, headers=headers or None)
    names = {p.name for p in operation.path_parameters}
    real = [r for r in records if set(r) == names] if names else []
    if real:
        on_records = st.sampled_from(real).flatmap(
            lambda path: operation.as_strategy(
                generation_mode=mode, headers=headers or None, path_parameters=path
            )
        )
        strategy = st.one_of(on_records, strategy)

    @settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def test(case: Any) -> None:
        response = case.call_and_validate(checks=CHECKS)
        statuses[operation.label, response.status_code] += 1

    return test  # type: ignore[no-any-return]


def _report(statuses: Statuses) -> str:
    by_op: dict[str, list[str]] = {}
    for (label, status), n in sorted(statuses.items()):
        by_op.setdefault(label, []).append(f"{status}×{n}")
    return "\n".join(f"{label}: {' '.join(counts)}" for label, counts in by_op.items())


def _assert_clean(failures: list[str], statuses: Statuses) -> None:
    print(_report(statuses))  # shown with -s, and with a failure
    assert not failures, f"{len(failures)} failing operation/mode pairs:\n\n" + "\n\n".join(failures)
    # The run reached real records and success answers, not only 404s.
    succeeded = {label for (label, status), _ in statuses.items() if status < 300}
    operations = {label for label, _ in statuses}
    assert len(succeeded) >= len(operations) * 2 // 3, _report(statuses)


def test_internal_api_matches_its_schema(seeded: Seeded) -> None:
    from gongshi.internal_api import create_app

    schema = schemathesis.openapi.from_asgi("/api/docs/openapi.json", create_app(seeded.settings))
    statuses: Statuses = Counter()
    failures = fuzz(schema, {"Authorization": f"Bearer {seeded.token}"}, seeded.records, statuses)
    _assert_clean(failures, statuses)


def test_portal_api_matches_its_schema(seeded: Seeded) -> None:
    from gongshi.portal.app import create_app

    off = {name: ratelimit.Limit(rate=0, burst=0) for name in ratelimit.DEFAULT_LIMITS}
    app = create_app(seeded.settings, rate_limits=off, warm_up=False)
    schema = schemathesis.openapi.from_asgi("/api/docs/openapi.json", app)
    statuses: Statuses = Counter()
    failures = fuzz(schema, {}, seeded.records, statuses)
    _assert_clean(failures, statuses)
