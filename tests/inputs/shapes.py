"""Valid bodies built from an input type, and every place in it where text goes (msgspec.inspect).

The tests over "every text input" derive the fields from the types themselves, so a field added
later is covered without anyone remembering to add it here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec
from msgspec import inspect

Path = tuple[str | int, ...]


def _info(t: Any) -> inspect.Type:
    return t if isinstance(t, inspect.Type) else inspect.type_info(t)


def _members(t: inspect.Type) -> list[inspect.Type]:
    if isinstance(t, inspect.UnionType):
        return [m for m in t.types if not isinstance(m, inspect.NoneType)]
    return [t]


def minimal(t: Any) -> Any:
    """The smallest valid JSON value of a type: required fields only, first choices."""
    t = _info(t)
    if isinstance(t, inspect.UnionType):
        return minimal(_members(t)[0])
    if isinstance(t, inspect.StructType):
        out: dict[str, Any] = {t.tag_field: t.tag} if t.tag_field else {}
        out.update({f.encode_name: minimal(f.type) for f in t.fields if f.required})
        return out
    if isinstance(t, inspect.StrType):
        return "甲" * max(t.min_length or 0, 1)
    if isinstance(t, inspect.LiteralType):
        return t.values[0]
    if isinstance(t, inspect.DateType):
        return "2026-11-20"
    if isinstance(t, inspect.DateTimeType):
        return "2026-11-20T10:00:00+08:00"
    if isinstance(t, inspect.IntType):
        return max(t.ge or 1, 1)
    if isinstance(t, inspect.DecimalType | inspect.FloatType):
        return "1"
    if isinstance(t, inspect.BoolType):
        return False
    if isinstance(t, inspect.ListType | inspect.SetType | inspect.VarTupleType):
        return []
    if isinstance(t, inspect.DictType | inspect.AnyType):
        return {}
    raise NotImplementedError(t)


def text_sites(t: Any, path: Path = ()) -> Iterator[tuple[Path, inspect.StrType]]:
    """Every path at which the type holds a string (list items as index 0)."""
    t = _info(t)
    for m in _members(t):
        if isinstance(m, inspect.StrType):
            yield path, m
        elif isinstance(m, inspect.StructType):
            for f in m.fields:
                yield from text_sites(f.type, (*path, f.encode_name))
        elif isinstance(m, inspect.ListType | inspect.SetType | inspect.VarTupleType):
            yield from text_sites(m.item_type, (*path, 0))


def with_value(t: Any, base: Any, path: Path, value: Any) -> Any:
    """`base` (a valid body of type t) with `value` placed at `path`, creating what lies between."""
    if not path:
        return value
    t = _info(t)
    head, rest = path[0], path[1:]
    for m in _members(t):
        if isinstance(m, inspect.StructType) and isinstance(head, str):
            field = next((f for f in m.fields if f.encode_name == head), None)
            if field is None:
                continue
            body = dict(base) if isinstance(base, dict) else minimal(m)
            body[head] = with_value(field.type, body.get(head, minimal(field.type)), rest, value)
            return body
        if isinstance(m, inspect.ListType | inspect.SetType | inspect.VarTupleType) and head == 0:
            first = base[0] if isinstance(base, list) and base else minimal(m.item_type)
            return [with_value(m.item_type, first, rest, value)]
    raise LookupError(path)


def dotted(path: Path) -> str:
    """('persons', 0, 'name') → 'persons[0].name', the form errors use."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


BAD_CHARS = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1b", "\x1f", "\x7f", "\ufffe", "\uffff"]


def bad_text(site: inspect.StrType, n: int) -> str:
    """A string that fits the field's length limits and holds a forbidden character."""
    length = max(site.min_length or 0, 4)
    if site.max_length is not None:
        length = min(length, site.max_length)
    return (BAD_CHARS[n % len(BAD_CHARS)] + "合法文字甲乙丙")[:length]


def bad_bodies(t: Any, base: Any) -> Iterator[tuple[str, Any]]:
    """(field, body) for every text site of `t`, each body valid but for one forbidden character."""
    for n, (path, site) in enumerate(text_sites(t)):
        if site.pattern is not None:
            continue  # a pattern refuses control characters on its own; named by msgspec
        yield dotted(path), with_value(t, base, path, bad_text(site, n))


def encode(body: Any) -> bytes:
    return msgspec.json.encode(body)


def date_sites(t: Any, path: Path = ()) -> Iterator[tuple[Path, inspect.Type]]:
    """Every path at which the type holds a date or a datetime."""
    t = _info(t)
    for m in _members(t):
        if isinstance(m, inspect.DateType | inspect.DateTimeType):
            yield path, m
        elif isinstance(m, inspect.StructType):
            for f in m.fields:
                yield from date_sites(f.type, (*path, f.encode_name))
        elif isinstance(m, inspect.ListType | inspect.SetType | inspect.VarTupleType):
            yield from date_sites(m.item_type, (*path, 0))


def far_dates(t: Any, base: Any) -> Iterator[tuple[str, Any]]:
    """(field, body) for every date site of `t`, each at the far edge of the calendar."""
    for n, (path, site) in enumerate(date_sites(t)):
        day = "9999-12-31" if n % 2 == 0 else "0001-01-01"
        value = f"{day}T12:00:00+08:00" if isinstance(site, inspect.DateTimeType) else day
        yield dotted(path), with_value(t, base, path, value)
