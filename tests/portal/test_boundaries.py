"""What the portal may touch (the published read model, never the raw intake) and how it looks (WCAG AA)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.portal import reach

ROOT = Path(__file__).resolve().parents[2]
PORTAL_MODULES = reach.all_modules("gongshi.portal")

# The raw intake: the intake Structs (what agencies submit, what redaction takes as input) and their
# decoder, and the stored intake column (`Decision.intake`, `DecisionRevision.intake`).
INTAKE_MODULE = "gongshi.domain.intake"
INTAKE_TYPES = {"Intake", "AgencyRef", "Party", "Penalty", "License", "Person", "Sensitivity"}
INTAKE_DECODERS = {"_decoder", "decode_intake"}
INTAKE_ATTRIBUTE = "intake"

# The single exception, and why. A party whose access request was granted may read their own
# decision unredacted (their own name, ID number and address; third parties stay masked). That is
# `read_granted`: it opens the record only for a request in state granted, given the requester's
# ID number and the access code (both checked against keyed hashes), before the access expires, and
# writes an audit event for every read. The portal reaches the raw intake through it and nowhere else.
EXCEPTIONS = {"gongshi.parties.access.read_granted"}

# The storage models a portal module may name: the read model and the agency directory (Art 9).
READ_MODELS = {"Disclosure", "Agency"}
FORBIDDEN_MODELS = {"Decision", "DecisionRevision", "AuditEvent", "OutboxEvent", "ApiToken", "User"}


@pytest.fixture(scope="module")
def graph() -> reach.Graph:
    return reach.Graph()


def _reads_raw_intake(node: reach.Node) -> bool:
    """A function that names an intake type or decoder, or reads an `.intake` attribute."""
    named = {
        ref.removeprefix(INTAKE_MODULE + ".") for ref in node.refs if ref.startswith(INTAKE_MODULE + ".")
    }
    return node.is_function and bool(
        named & (INTAKE_TYPES | INTAKE_DECODERS) or INTAKE_ATTRIBUTE in node.attrs
    )


def _intake_readers(graph: reach.Graph) -> set[str]:
    return {name for name, node in graph.nodes.items() if _reads_raw_intake(node)}


def test_the_intake_types_are_the_ones_named_here() -> None:
    # A new intake Struct must be added to INTAKE_TYPES, or the walk below would not look for it.
    tree = ast.parse((ROOT / "gongshi" / "domain" / "intake.py").read_text())
    structs = {n.name for n in tree.body if isinstance(n, ast.ClassDef) and n.name != "IntakeError"}
    assert structs - {"_In"} == INTAKE_TYPES


@pytest.mark.parametrize("module", PORTAL_MODULES)
def test_no_portal_module_reaches_the_raw_intake(graph: reach.Graph, module: str) -> None:
    """Every function, route and import the module can run, transitively through gongshi."""
    assert set(graph.nodes) >= EXCEPTIONS, "an exception names a function that no longer exists"
    reached = graph.paths(module, stop=EXCEPTIONS)
    leaks = sorted(_intake_readers(graph) & set(reached))
    assert not leaks, " -> ".join(reach.chain(reached, leaks[0]))


def test_the_exception_is_the_only_way_and_is_really_used(graph: reach.Graph) -> None:
    # Without the exception the walk does find the raw intake, through read_granted: the walk sees
    # such paths, and the exception is not a stale name.
    readers = _intake_readers(graph)
    reached = graph.paths("gongshi.portal.party_requests", stop=set())
    for reader in sorted(readers & set(reached)):
        path = reach.chain(reached, reader)
        assert "gongshi.parties.access.read_granted" in path, path
    assert readers & set(reached)
    # And the walk sees the workflow's own use of the intake (publishing redacts it).
    assert readers & set(graph.paths("gongshi.publication.publisher", stop=set()))


@pytest.mark.parametrize("module", PORTAL_MODULES)
def test_portal_modules_name_only_the_read_model(module: str) -> None:
    path = reach.module_file(module)
    assert path is not None
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "gongshi.storage.models":
            names = {alias.name for alias in node.names}
            assert names <= READ_MODELS, (module, names)
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
