"""Decision documents in (issue 15): POST /api/v1/documents:extract and the console confirm form."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body
from sqlalchemy import select

from gongshi.auth.principal import Principal
from gongshi.core.context import Workflow
from gongshi.credit.documents import Extracted, extract_file
from gongshi.internal_api.api.imports import Multipart, _upload
from gongshi.json_body import check_field
from gongshi.storage.models import Agency

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _agency(wf: Workflow, principal: Principal, code: Any = None) -> tuple[str, str]:
    """The agency the document is for: the caller's own, or (admin) the one named."""
    check_field("agency", code)
    with wf.db.read() as session:
        if principal.agency_id is not None:
            agency = session.get(Agency, principal.agency_id)
        elif isinstance(code, str) and code.strip():
            agency = session.scalar(select(Agency).where(Agency.code == code.strip()))
        else:
            agency = None
        return (agency.code, agency.name) if agency else ("", "")


def _extract(wf: Workflow, principal: Principal, data: dict[str, Any]) -> Extracted:
    principal.require("decision.read")
    content, filename = _upload(data)
    code, name = _agency(wf, principal, data.get("agency"))
    result = extract_file(content, filename, code, "")
    if name and result.intake["agency"]["name"] != name:
        if result.intake["agency"]["name"]:
            result.warnings.append(
                f"文书落款机关“{result.intake['agency']['name']}”与当前机关“{name}”不一致，请核对"
            )
        result.intake["agency"]["name"] = name
    return result


@post(
    "/api/v1/documents:extract",
    sync_to_thread=True,
    status_code=200,
    tags=["documents"],
    summary="Read a decision document (.docx or text PDF) into a draft intake object to confirm",
)
def extract_document(
    data: Multipart, principal: NamedDependency[Principal], wf: NamedDependency[Workflow]
) -> dict[str, Any]:
    result = _extract(wf, principal, data)
    return {"intake": result.intake, "warnings": result.warnings}


ROUTES = [extract_document]
