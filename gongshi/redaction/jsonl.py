"""JSON Lines in, one redaction result per line out (the `gongshi redact` command)."""

from __future__ import annotations

from typing import IO, Any

import msgspec

from gongshi.domain.intake import IntakeError, decode_intake
from gongshi.redaction.engine import redact
from gongshi.redaction.types import Policy

_encoder = msgspec.json.Encoder()


def _line(obj: dict[str, Any]) -> str:
    return _encoder.encode(obj).decode("utf-8") + "\n"


def redact_stream(inp: IO[str], out: IO[str], policy: Policy | None = None) -> int:
    """Redact every intake line of `inp` into `out`; returns the number of bad lines."""
    policy = policy or Policy()
    errors = 0
    for number, raw in enumerate(inp, start=1):
        if not raw.strip():
            continue
        try:
            intake = decode_intake(raw)
        except IntakeError as exc:
            errors += 1
            error = {"code": exc.code, "message": exc.message, "field": exc.field}
            out.write(_line({"line": number, "error": error}))
            continue
        result = redact(intake, policy)
        out.write(
            _line(
                {
                    "source_id": intake.source_id,
                    "status": result.status,
                    "reasons": result.reasons,
                    "public": result.public,
                    "redactions": result.redactions,
                    "doubts": result.doubts,
                }
            )
        )
    return errors
