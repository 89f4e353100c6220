"""/api/v1/agencies/{code}/second-review: which of an agency's decisions need a second reviewer (issue 11)."""

from __future__ import annotations

from litestar import Controller, get, put
from litestar.di import NamedDependency
from litestar.params import FromPath, RawBody

from gongshi.agencies.directory import find_agency
from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.internal_api.api.decisions import decode_body
from gongshi.publication import second_review


class SecondReviewRuleController(Controller):
    path = "/api/v1/agencies/{code:str}/second-review"
    tags = ("agencies",)

    @get("/", sync_to_thread=True, summary="The agency's second-review rule (the default if it set none)")
    def read_rule(
        self, code: FromPath[str], principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
    ) -> second_review.SecondReviewRuleOut:
        principal.require("agency.read")
        with wf.db.read() as session:
            return second_review.rule_out(find_agency(session, principal, code))

    @put("/", sync_to_thread=True, summary="Set the agency's second-review rule (head or admin; audited)")
    def set_rule(
        self,
        code: FromPath[str],
        body: RawBody,
        principal: NamedDependency[Principal],
        wf: NamedDependency[Workflow],
    ) -> second_review.SecondReviewRuleOut:
        principal.require(second_review.RULE_PERMISSION)
        rule = decode_body(body, second_review.SecondReviewRule)
        with wf.db.write() as session:
            agency = find_agency(session, principal, code)
            return second_review.set_rule(session, principal, agency, rule, wf.clock())


ROUTES = [SecondReviewRuleController]
