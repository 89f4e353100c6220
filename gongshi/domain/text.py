"""Text that gongshi can store and publish: one check for every input, one filter for XML output.

C0 control characters other than tab, LF and CR, DEL, the noncharacters U+FFFE/U+FFFF and lone
surrogates have no place in a decision, a case record or a request. XML 1.0 forbids most of them
(one in a title made /feed.atom unreadable for every reader), PostgreSQL refuses NUL in text and
JSONB, and a lone surrogate cannot be encoded to UTF-8. Inputs are refused with a 400 naming the
field; XML output additionally drops them, so that a row stored before this check (or written
by hand) can never break a feed.

Every request body goes through `decode` or `convert` here: msgspec decodes and validates the
types, then one walk over the result looks at every string (Struct fields, list items, dict keys
and values). The walk raises a msgspec.ValidationError with msgspec's own "- at `$.path`"
suffix, so every caller's existing error handling names the field without knowing about it.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

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


def forbidden_at(value: object, path: str = "") -> tuple[str, str] | None:
    """(dotted path, character) of the first string holding a forbidden character, or None."""
    if isinstance(value, str):
        found = FORBIDDEN.search(value)
        return (path, found.group()) if found else None
    if isinstance(value, msgspec.Struct):
        for name in value.__struct_fields__:
            hit = forbidden_at(getattr(value, name), f"{path}.{name}" if path else name)
            if hit:
                return hit
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            at = f"{path}.{key}" if path else str(key)
            hit = forbidden_at(key, at) or forbidden_at(item, at)
            if hit:
                return hit
        return None
    if isinstance(value, list | tuple | set | frozenset):
        for i, item in enumerate(value):
            hit = forbidden_at(item, f"{path}[{i}]")
            if hit:
                return hit
    return None


def check(value: T) -> T:
    """The value unchanged, or ForbiddenCharacter naming the first bad string."""
    hit = forbidden_at(value)
    if hit:
        raise ForbiddenCharacter(*hit)
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
