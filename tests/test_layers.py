"""The packages of gongshi form layers that only point down (issue 13).

Every `gongshi.X` module belongs to one layer below; a module may import (at any place in the file,
type-checking imports included) only from its own part or from a lower layer. Parts within one
layer may not import each other. Importing a lower layer is what makes a feature reusable; a cycle
is what made `publication` a hub that nobody could change alone.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "gongshi"

# Lowest first. A part is a subpackage or a top-level module of gongshi.
LAYERS: list[tuple[str, ...]] = [
    ("errors",),
    ("domain",),
    ("settings",),  # it reads the expiry rules file with domain's parser, once at start-up
    ("redaction",),
    ("storage",),
    ("auth",),
    ("core",),  # the workflow context, audit chain, calendar, outbox, registered steps
    # Features, each on the ones before it; they hook into each other by registration.
    ("publication",),
    ("agencies",),
    ("cases",),
    ("parties",),
    ("deadlines",),  # composes the due items of the features above into one board
    ("credit",),
    ("search",),
    ("worker",),
    # The two apps and what they share.
    ("app_state", "http_headers", "json_body", "access_log", "openapi_viewer"),
    ("openapi",),
    ("internal_api", "portal"),
    ("demo",),
    ("up",),
    ("cli",),
]
RANK = {part: i for i, layer in enumerate(LAYERS) for part in layer}


def part_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") >= 1 else module


def imports() -> list[tuple[str, str, str]]:
    """(file, importing part, imported part) for every import of gongshi inside gongshi."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE.parent)
        module = ".".join(rel.with_suffix("").parts)
        src = part_of(module)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if node.module == "gongshi":
                    targets = [f"gongshi.{a.name}" for a in node.names]
                elif node.module.startswith("gongshi."):
                    targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names if a.name.startswith("gongshi.")]
            assert not (isinstance(node, ast.ImportFrom) and node.level), f"{rel}: use absolute imports"
            found += [(str(rel), src, part_of(t)) for t in targets if part_of(t) != src]
    return found


def test_every_part_has_a_layer() -> None:
    parts = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    parts = {p for p in parts if (PACKAGE / p).is_dir() and (PACKAGE / p / "__init__.py").exists()}
    parts |= {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    assert parts - RANK.keys() == set(), "give each new package or module a layer in LAYERS"
    assert RANK.keys() - parts == set(), "LAYERS names a part that no longer exists"


def test_imports_only_point_down() -> None:
    wrong = sorted(
        f"{file}: {src} (layer {RANK[src]}) imports {dst} (layer {RANK[dst]})"
        for file, src, dst in imports()
        if RANK[dst] >= RANK[src]
    )
    assert wrong == []


def test_no_cycle_between_parts() -> None:
    """Implied by the test above; kept because it names the cycle when a layer list is edited."""
    graph: dict[str, set[str]] = defaultdict(set)
    for _, src, dst in imports():
        graph[src].add(dst)

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        return seen

    assert sorted(p for p in list(graph) if p in reach(p)) == []


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    """The check is not vacuous: an upward import is found where one is written."""
    assert any(src == "cli" and dst == "internal_api" for _, src, dst in imports())
    assert RANK["cli"] > RANK["internal_api"] > RANK["publication"] > RANK["core"] > RANK["storage"]
