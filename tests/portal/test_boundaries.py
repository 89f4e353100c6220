"""What the portal may touch (the published read model only) and how it looks (WCAG AA contrast)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The portal modules of the search/disclosure pages; the agency and request modules have their own rules.
PORTAL_MODULES = [
    "app.py",
    "apidocs.py",
    "context.py",
    "detail.py",
    "disclosures.py",
    "feeds.py",
    "labels.py",
    "listing.py",
    "prefs.py",
    "query.py",
    "ratelimit.py",
    "web.py",
]
FORBIDDEN_MODELS = {"Decision", "DecisionRevision", "AuditEvent", "OutboxEvent", "ApiToken", "User"}


@pytest.mark.parametrize("module", PORTAL_MODULES)
def test_portal_reads_only_the_published_read_model(module: str) -> None:
    tree = ast.parse((ROOT / "gongshi" / "portal" / module).read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "gongshi.storage.models":
            names = {alias.name for alias in node.names}
            assert names <= {"Disclosure"}, (module, names)
        if isinstance(node, ast.ImportFrom) and node.module:
            assert not node.module.startswith(("gongshi.internal_api", "gongshi.redaction")), (
                module,
                node.module,
            )
        if isinstance(node, ast.Attribute):
            assert node.attr not in {"intake", "redaction"}, (module, node.attr)
    assert not FORBIDDEN_MODELS & {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _luminance(hex_colour: str) -> float:
    value = hex_colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_colour_pairs_meet_wcag_aa() -> None:
    css = (ROOT / "gongshi" / "static" / "portal.css").read_text()
    var = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-fA-F]{3,6})", css))
    pairs = [
        ("fg", "bg"),
        ("fg", "page"),
        ("muted", "bg"),
        ("muted", "page"),
        ("accent", "bg"),
        ("accent", "page"),
        ("accent-dark", "bg"),
        ("danger", "bg"),
    ]
    for fg, bg in pairs:
        assert contrast(var[fg], var[bg]) >= 4.5, (fg, bg, contrast(var[fg], var[bg]))
    assert contrast("#ffffff", var["brand"]) >= 4.5  # header text
    assert contrast("#ffffff", var["accent"]) >= 4.5  # buttons
    assert contrast("#000000", var["mark"]) >= 4.5  # highlighted matches
    assert contrast("#5c3d00", "#fdecc8") >= 4.5  # 更正于 badge
    assert contrast(var["fg"], "#e4e7ec") >= 4.5  # badges
