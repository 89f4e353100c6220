"""The portal's OpenAPI table: each public operation's body type and the statuses it answers.

No operation needs a token. An operation with a path parameter answers 404, one with query
parameters or a body 400, one with a body 413 too; the search and the forms are rate-limited (429).
"""

from __future__ import annotations

from gongshi.openapi import ApiDocument, Op
from gongshi.parties import schemas
from gongshi.portal.party_requests import RecordsIn

API = "/api/public/v1"
_ATOM = {"application/atom+xml": {"schema": {"type": "string"}}}
_CSV = {"text/csv": {"schema": {"type": "string"}}}

OPS: dict[tuple[str, str], Op] = {
    ("GET", API + "/disclosures"): Op(errors=(429, 503)),
    ("GET", "/disclosures.csv"): Op(errors=(400, 429, 503), content=_CSV),
    ("GET", API + "/disclosures/{public_id}"): Op(errors=(410,)),
    ("GET", "/feed.atom"): Op(content=_ATOM),
    ("GET", "/agencies/{code}/feed.atom"): Op(content=_ATOM),
    ("GET", API + "/stats"): Op(errors=(503,)),
    ("POST", API + "/requests/access"): Op(body=schemas.AccessRequestIn, errors=(429,)),
    ("POST", API + "/requests/correction"): Op(body=schemas.CorrectionRequestIn, errors=(404, 422, 429)),
    ("GET", API + "/requests/{tracking_no}"): Op(errors=(429,)),
    ("POST", API + "/requests/{tracking_no}/records"): Op(body=RecordsIn, errors=(403, 429)),
}


def api_document() -> ApiDocument:
    return ApiDocument(ops=OPS)
