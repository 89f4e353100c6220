"""What every input may hold: text gongshi can store and publish, dates it can compute with.

C0 control characters other than tab, LF and CR, DEL, the noncharacters U+FFFE/U+FFFF and lone
surrogates have no place in a decision, a case record or a request. XML 1.0 forbids most of them
(one in a title made /feed.atom unreadable for every reader), PostgreSQL refuses NUL in text and
JSONB, and a lone surrogate cannot be encoded to UTF-8. Inputs are refused with a 400 naming the
field; XML output additionally drops them, so that a row stored before this check (or written
by hand) can never break a feed.

Dates (and datetimes) must lie between workdays.EARLIEST_DAY and LATEST_DAY: a decision dated
9999-12-31 used to overflow the deadline computation (a 500 that failed the whole batch).

Every request body goes through `decode` or `convert` here: msgspec decodes and validates the
types, then one walk over the result looks at every string and date (Struct fields, list items,
dict keys and values). The walk raises a msgspec.ValidationError with msgspec's own
"- at `$.path`" suffix, so every caller's existing error handling names the field without
knowing about it; the subclasses tell a forbidden character (400) from a date out of range (422).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, TypeVar

import msgspec

from gongshi.domain.workdays import EARLIEST_DAY, LATEST_DAY

T = TypeVar("T")

FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Not an XML 1.0 Char (§2.2), or DEL, which XML allows but inputs refuse.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\x80-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class ForbiddenCharacter(msgspec.ValidationError):
    """A string holds a character gongshi refuses; `field` is the dotted path."""

    def __init__(self, field: str, char: str) -> None:
        self.field = field
        self.char = char
        where = f" - at `$.{field}`" if field else ""
        super().__init__(f"“{field or '内容'}”含有不允许的控制字符 U+{ord(char):04X}{where}")


class DateOutOfRange(msgspec.ValidationError):
    """A date gongshi cannot compute deadlines from; `field` is the dotted path."""

    def __init__(self, field: str, day: date) -> None:
        self.field = field
        self.day = day
        where = f" - at `$.{field}`" if field else ""
        super().__init__(
            f"“{field or '日期'}”{day.isoformat()} 超出可处理的日期范围"
            f"（{EARLIEST_DAY.isoformat()} 至 {LATEST_DAY.isoformat()}）{where}"
        )


def _leaves(value: object, path: str) -> Iterator[tuple[str, object]]:
    """(dotted path, value) of every string and date inside a decoded value."""
    if isinstance(value, str | date):
        yield path, value
    elif isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            yield from _leaves(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, dict):
        for key, item in value.items():
            at = f"{path}.{key}" if path else str(key)
            yield from _leaves(key, at)
            yield from _leaves(item, at)
    elif isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            yield from _leaves(item, f"{path}[{i}]")


def problem(value: object) -> msgspec.ValidationError | None:
    """The first forbidden character or out-of-range date in a decoded value, as an error."""
    for path, leaf in _leaves(value, ""):
        if isinstance(leaf, str):
            found = FORBIDDEN.search(leaf)
            if found:
                return ForbiddenCharacter(path, found.group())
        elif isinstance(leaf, date):
            day = leaf.date() if isinstance(leaf, datetime) else leaf
            if not EARLIEST_DAY <= day <= LATEST_DAY:
                return DateOutOfRange(path, day)
    return None


def forbidden_at(value: object) -> tuple[str, str] | None:
    """(dotted path, character) of the first string holding a forbidden character, or None."""
    for path, leaf in _leaves(value, ""):
        found = FORBIDDEN.search(leaf) if isinstance(leaf, str) else None
        if found:
            return path, found.group()
    return None


def check(value: T) -> T:
    """The value unchanged, or the first problem in it (ForbiddenCharacter, DateOutOfRange)."""
    found = problem(value)
    if found is not None:
        raise found
    return value


def decode(raw: bytes | str, type_: type[T]) -> T:
    """msgspec.json.decode with the text check; an empty body is an empty object."""
    return check(msgspec.json.decode(raw or b"{}", type=type_))


def decode_with(decoder: msgspec.json.Decoder[T], raw: bytes | str) -> T:
    """A prepared decoder's result, with the text check."""
    return check(decoder.decode(raw))


def convert(data: Any, type_: type[T], *, strict: bool = True) -> T:
    """msgspec.convert (form fields → Struct) with the text check."""
    return check(msgspec.convert(data, type_, strict=strict))


def xml_safe(value: str) -> str:
    """The string without the characters XML 1.0 cannot carry (escaping is the caller's)."""
    return _NOT_XML.sub("", value)
