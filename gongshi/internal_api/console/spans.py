"""Cut original text into plain and redacted segments, so the console can highlight each removal."""

from __future__ import annotations

from typing import Any

from msgspec import Struct


class Segment(Struct, frozen=True, kw_only=True):
    text: str
    span: dict[str, Any] | None = None


def field_value(intake: dict[str, Any], path: str) -> Any:
    """Value at a dotted path like "party.address" or "persons[0].name"."""
    value: Any = intake
    for part in path.replace("]", "").replace("[", ".").split("."):
        if isinstance(value, list):
            value = value[int(part)] if part.isdigit() and int(part) < len(value) else None
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def segments(text: str, spans: list[dict[str, Any]]) -> list[Segment]:
    out: list[Segment] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s["start"], -s["end"])):
        start, end = max(span["start"], pos), min(span["end"], len(text))
        if start >= end:
            continue
        if start > pos:
            out.append(Segment(text=text[pos:start]))
        out.append(Segment(text=text[start:end], span=span))
        pos = end
    if pos < len(text):
        out.append(Segment(text=text[pos:]))
    return out


def highlighted_fields(
    intake: dict[str, Any], spans: list[dict[str, Any]]
) -> list[tuple[str, list[Segment]]]:
    """(field path, segments) for every field that is text or has a span, in a reviewer-friendly order."""
    order = [
        "title",
        "party.name",
        "party.address",
        "party.phone",
        "party.id_number",
        "facts",
        "legal_basis",
        "result",
        "full_text",
    ]
    by_field: dict[str, list[dict[str, Any]]] = {}
    for span in spans:
        by_field.setdefault(span["field"], []).append(span)
    paths = order + sorted(p for p in by_field if p not in order)
    out = []
    for path in paths:
        value = field_value(intake, path)
        if isinstance(value, str) and value:
            out.append((path, segments(value, by_field.get(path, []))))
    return out
