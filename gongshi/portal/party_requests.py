"""Portal forms and pages for access and correction requests (issue 5).

The HTML forms post to the same services as the JSON endpoints of SPEC §7, and every page works
without JavaScript. The answer to an access request is the same whether or not anything matched.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, QueryParameter, RawBody
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from gongshi.core.context import Workflow
from gongshi.domain import text
from gongshi.domain.clock import local_time
from gongshi.domain.intake import field_from_validation
from gongshi.errors import GongshiError, InvalidInput, NotFound
from gongshi.parties import access, corrections, keys, schemas
from gongshi.portal.ratelimit import FORM, RateLimited, client_key, enforce
from gongshi.storage.models import Disclosure

Form = Annotated[dict[str, str], Body(media_type=RequestEncodingType.URL_ENCODED)]
Multipart = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]
NO_STORE = {"Cache-Control": "no-store"}
FIELD_LABELS = {
    "document_number": "决定文号",
    "name": "姓名或名称",
    "id_number": "证件号码",
    "contact": "联系方式",
    "scope": "申请内容",
    "disclosure_id": "公示信息编号",
    "description": "错误内容",
    "evidence": "证明材料说明",
    "file": "附件",
    "access_code": "访问码",
}


_LENGTH = re.compile(r"length (?P<op>>=|<=) (?P<n>[0-9]+)")


def _explain(label: str, message: str) -> str:
    """msgspec's reason in the words of the form (its own text is English and names `$.field`)."""
    if "missing required field" in message:
        return f"请填写“{label}”"
    found = _LENGTH.search(message)
    if found and found["op"] == ">=":
        return f"“{label}”至少要填写 {found['n']} 个字"
    if found:
        return f"“{label}”不能超过 {found['n']} 个字"
    return f"“{label}”的格式不正确，请检查后重新填写"


def _decode(raw: bytes | dict[str, Any], type_: type[Any]) -> Any:
    try:
        if isinstance(raw, bytes):
            return text.decode(raw, type_)
        return text.convert(raw, type_)
    except text.ForbiddenCharacter as exc:
        label = FIELD_LABELS.get(exc.field, exc.field)
        raise InvalidInput(
            f"“{label}”含有不允许的控制字符 U+{ord(exc.char):04X}", field=exc.field, code="invalid_character"
        ) from exc
    except msgspec.ValidationError as exc:
        field = field_from_validation(str(exc))
        label = FIELD_LABELS.get(field or "", field or "")
        raise InvalidInput(_explain(label, str(exc)), field=field) from exc
    except (msgspec.DecodeError, RecursionError) as exc:  # RecursionError: nested too deep
        raise InvalidInput(f"请求体不是有效的 JSON：{exc}", code="invalid_json") from exc


def _limit_document(request: Request[Any, Any, Any], wf: Workflow, document_number: str) -> None:
    """Attempts per document, whatever the address (a second bucket of the portal's form limit)."""
    buckets = request.app.state.rate_limits
    wait = buckets[FORM].take("doc:" + keys.document_hash(wf.settings.secret_key, document_number))
    if wait:
        raise RateLimited("该文号的申请过于频繁，请稍后再试", extra={"retry_after": max(1, int(wait) + 1)})


def _limit_tracking(request: Request[Any, Any, Any], tracking_no: str) -> None:
    """Status and code attempts per tracking number, whatever the address."""
    enforce(request, FORM)
    wait = request.app.state.rate_limits[FORM].take("tn:" + keys.normalize_tracking_no(tracking_no))
    if wait:
        raise RateLimited("查询过于频繁，请稍后再试", extra={"retry_after": max(1, int(wait) + 1)})


def _page(name: str, status: int = 200, **context: Any) -> Template:
    context.setdefault("local", local_time)
    return Template(f"portal/requests/{name}", context=context, status_code=status, headers=NO_STORE)


# ---------------------------------------------------------------------------------------------
# Access requests.


def _file_access(request: Request[Any, Any, Any], wf: Workflow, body: schemas.AccessRequestIn) -> Any:
    enforce(request, FORM)
    _limit_document(request, wf, body.document_number)
    with wf.db.write() as session:
        return access.file_request(wf, session, body)


@post(
    "/api/public/v1/requests/access",
    sync_to_thread=True,
    status_code=202,
    tags=["requests"],
    summary="A party asks for their own decision or case records; the answer never says whether it matched",
)
def api_access(
    request: Request[Any, Any, Any], body: RawBody, wf: NamedDependency[Workflow]
) -> Response[schemas.AccessReceived]:
    received = _file_access(request, wf, _decode(body, schemas.AccessRequestIn))
    return Response(received, status_code=202, headers=NO_STORE)


@get("/requests/access", sync_to_thread=False, include_in_schema=False)
def access_form(request: Request[Any, Any, Any]) -> Template:
    return _page("access_form.html", values={}, error=None)


@post("/requests/access", sync_to_thread=True, include_in_schema=False, status_code=200)
def access_submit(request: Request[Any, Any, Any], data: Form, wf: NamedDependency[Workflow]) -> Template:
    values = {k: v.strip() for k, v in data.items() if v.strip()}
    try:
        received = _file_access(request, wf, _decode(values, schemas.AccessRequestIn))
    except InvalidInput as exc:
        # The ID number is echoed back into the form like the other fields (a choice, not an oversight):
        # it is the requester's own, typed a moment ago, and the answer goes only to the same browser,
        # over HTTPS in deployment, with no-store (NO_STORE: no shared or back-button cache); the access
        # log keeps no bodies and a refused request stores nothing. Clearing it made the requester
        # retype 18 digits after every error, often an error in that very field, which breeds typos.
        return _page("access_form.html", 400, values=values, error=exc, labels=FIELD_LABELS)
    return _page("received.html", kind="access", received=received)


# ---------------------------------------------------------------------------------------------
# Correction requests.


@post(
    "/api/public/v1/requests/correction",
    sync_to_thread=True,
    status_code=202,
    tags=["requests"],
    summary="Anyone reports an error in a published disclosure (Art 19)",
)
def api_correction(
    request: Request[Any, Any, Any], body: RawBody, wf: NamedDependency[Workflow]
) -> Response[schemas.CorrectionReceived]:
    enforce(request, FORM)
    parsed = _decode(body, schemas.CorrectionRequestIn)
    with wf.db.write() as session:
        received = corrections.file_request(wf, session, parsed)
    return Response(received, status_code=202, headers=NO_STORE)


def _disclosure(session: Session, reference: str | None) -> Disclosure | None:
    if not reference or len(reference) > 500:
        return None
    d = corrections.find_disclosure(session, reference)
    return d if d is not None and d.status == "published" else None


@get("/requests/correction", sync_to_thread=False, include_in_schema=False)
def correction_form(
    request: Request[Any, Any, Any],
    wf: NamedDependency[Workflow],
    disclosure: FromQuery[str | None] = None,
    disclosure_id: Annotated[str | None, QueryParameter(name="disclosure_id")] = None,
) -> Template:
    # Links printed before the form read `disclosure` still carry `disclosure_id`: accept both.
    disclosure = disclosure or disclosure_id
    with wf.db.read() as session:
        target = _disclosure(session, disclosure)
    values = {"disclosure_id": target.public_id if target else (disclosure or "")}
    return _page(
        "correction_form.html",
        values=values,
        target=target,
        error=None,
        max_mb=corrections.MAX_EVIDENCE_BYTES // (1024 * 1024),
    )


def _upload(data: dict[str, Any]) -> schemas.EvidenceFile | None:
    upload = data.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    # Read one byte past the limit: enough to refuse, never the whole of an oversized file.
    content = upload.file.read(corrections.MAX_EVIDENCE_BYTES + 1)
    if not content:
        return None
    return schemas.EvidenceFile(
        filename=upload.filename,
        media_type=(upload.content_type or "").split(";")[0].strip(),
        content=content,
    )


@post(
    "/requests/correction",
    sync_to_thread=True,
    include_in_schema=False,
    status_code=200,
    request_max_body_size=corrections.MAX_EVIDENCE_BYTES + 256 * 1024,
)
def correction_submit(
    request: Request[Any, Any, Any], data: Multipart, wf: NamedDependency[Workflow]
) -> Template:
    enforce(request, FORM)
    values = {k: v.strip() for k, v in data.items() if isinstance(v, str) and v.strip()}
    try:
        parsed = _decode(values, schemas.CorrectionRequestIn)
        with wf.db.write() as session:
            received = corrections.file_request(wf, session, parsed, _upload(data))
    except GongshiError as exc:
        if isinstance(exc, RateLimited):
            raise
        with wf.db.read() as session:
            target = _disclosure(session, values.get("disclosure_id"))
        return _page(
            "correction_form.html",
            exc.status,
            values=values,
            target=target,
            error=exc,
            labels=FIELD_LABELS,
            max_mb=corrections.MAX_EVIDENCE_BYTES // (1024 * 1024),
        )
    return _page("received.html", kind="correction", received=received)


# ---------------------------------------------------------------------------------------------
# Following a request.


def _is_access(tracking_no: str) -> bool:
    return keys.is_access_tracking_no(tracking_no)


@get(
    "/api/public/v1/requests/{tracking_no:str}",
    sync_to_thread=True,
    tags=["requests"],
    summary="Status of a request; an access request also needs the requester's ID number",
)
def api_status(
    request: Request[Any, Any, Any],
    tracking_no: FromPath[str],
    wf: NamedDependency[Workflow],
    id_number: FromQuery[str | None] = None,
) -> Response[Any]:
    _limit_tracking(request, tracking_no)
    with wf.db.read() as session:
        if _is_access(tracking_no):
            out: Any = access.status(wf, session, tracking_no, id_number or "")
        else:
            out = corrections.status(session, tracking_no)
    return Response(out, headers=NO_STORE)


class RecordsIn(msgspec.Struct, kw_only=True, frozen=True, forbid_unknown_fields=True):
    id_number: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
    access_code: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


@post(
    "/api/public/v1/requests/{tracking_no:str}/records",
    sync_to_thread=True,
    status_code=200,
    tags=["requests"],
    summary="A granted party reads their records with the access code (every read is audited)",
)
def api_records(
    request: Request[Any, Any, Any], tracking_no: FromPath[str], body: RawBody, wf: NamedDependency[Workflow]
) -> Response[schemas.GrantedView]:
    _limit_tracking(request, tracking_no)
    parsed: RecordsIn = _decode(body, RecordsIn)
    with wf.db.write() as session:
        view = access.read_granted(
            wf, session, tracking_no, parsed.id_number, parsed.access_code, client=client_key(request)
        )
    return Response(view, headers=NO_STORE)


@get("/requests/status", sync_to_thread=False, include_in_schema=False)
def status_find(tracking_no: FromQuery[str] = "") -> Redirect:
    """The tracking-number box on the forms: on to that request's page."""
    cleaned = "".join(ch for ch in keys.normalize_tracking_no(tracking_no) if ch.isalnum() or ch == "-")[:40]
    return Redirect(f"/requests/{cleaned}" if cleaned else "/requests/access", status_code=303)


@get("/requests/{tracking_no:str}", sync_to_thread=False, include_in_schema=False)
def status_page(
    request: Request[Any, Any, Any], tracking_no: FromPath[str], wf: NamedDependency[Workflow]
) -> Template:
    if _is_access(tracking_no):
        return _page("access_status.html", tracking_no=tracking_no, st=None, error=None)
    _limit_tracking(request, tracking_no)
    with wf.db.read() as session:
        out = corrections.status(session, tracking_no)
    return _page("correction_status.html", st=out)


@post("/requests/{tracking_no:str}", sync_to_thread=True, include_in_schema=False, status_code=200)
def status_lookup(
    request: Request[Any, Any, Any], tracking_no: FromPath[str], data: Form, wf: NamedDependency[Workflow]
) -> Template:
    """The access request's status for its requester; with the access code, the granted records."""
    if not _is_access(tracking_no):
        raise NotFound("未找到该申请")
    _limit_tracking(request, tracking_no)
    id_number = data.get("id_number", "").strip()
    code = data.get("access_code", "").strip()
    try:
        if code:
            with wf.db.write() as session:
                view = access.read_granted(
                    wf, session, tracking_no, id_number, code, client=client_key(request)
                )
            return _page("granted.html", view=view, scope_labels=access.SCOPE_LABELS)
        with wf.db.read() as session:
            out = access.status(wf, session, tracking_no, id_number)
    except GongshiError as exc:
        if isinstance(exc, RateLimited):
            raise
        status: Any = None
        if code:
            try:
                with wf.db.read() as session:
                    status = access.status(wf, session, tracking_no, id_number)
            except GongshiError:
                status = None
        return _page("access_status.html", exc.status, tracking_no=tracking_no, st=status, error=exc)
    return _page("access_status.html", tracking_no=tracking_no, st=out, error=None)


# Route handlers and controllers this module adds to the portal app.
ROUTES: list[Any] = [
    api_access,
    access_form,
    access_submit,
    api_correction,
    correction_form,
    correction_submit,
    api_status,
    api_records,
    status_find,
    status_page,
    status_lookup,
]
