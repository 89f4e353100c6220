"""Console errors name the field in Chinese, never by its path (officers[0].valid_until)."""

from __future__ import annotations

import pytest

from gongshi.internal_api.console.render import field_hint


@pytest.mark.parametrize(
    ("path", "hint"),
    [
        ("officers[0].valid_until", "（执法人员第 1 行的有效期至）"),
        ("$.bases[2].effective_on", "（执法依据第 3 行的施行日期）"),
        ("party.name", "（当事人的名称）"),
        ("penalty.fine_yuan", "（处罚的罚款金额）"),
        ("decided_on", "（决定日期）"),
        ("profile.somethingnew", ""),  # a part we cannot name: say nothing rather than show a key
        (None, ""),
        ("", ""),
    ],
)
def test_field_hint(path: str | None, hint: str) -> None:
    assert field_hint(path) == hint
