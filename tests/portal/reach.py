"""What code can run from a module: a static reference graph over gongshi's functions, by ast.

Nodes are a module's top-level code (`gongshi.x`), its functions and classes (`gongshi.x.f`,
`gongshi.x.C`) and methods (`gongshi.x.C.m`). A node points at every gongshi definition its code
names: calls, annotations, defaults, decorators, and the modules it imports. The graph errs towards
more edges, never fewer:

- an import reaches the imported module's top level; a name is reached where code uses it, resolved
  through the module's imports (anywhere in the module, re-exports followed);
  `a.b.c` on a module or class is resolved attribute by attribute;
- naming a class reaches all its methods and its bases (a method called on an instance of it, e.g.
  `wf.policy()` with `wf: Workflow`, is then reached through the annotation or the constructor);
- a function registered by a gongshi decorator is reached from every other function of the
  decorator's module (a registry calls what it holds: `core.steps.redacted` runs every step);
- an attribute on something not resolvable (a parameter, a row) is kept as a bare attribute name,
  so `decision.intake` is seen wherever it is written.

What it cannot see: names built at run time (`getattr(row, "intake")`, `importlib`), and SQL
written as text (`text("SELECT intake …")`); gongshi has neither on the read side, and review
has to keep it so.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "gongshi"


def module_file(name: str) -> Path | None:
    path = ROOT.joinpath(*name.split("."))
    if (path / "__init__.py").is_file():
        return path / "__init__.py"
    if path.with_suffix(".py").is_file():
        return path.with_suffix(".py")
    return None


def all_modules(under: str = "gongshi") -> list[str]:
    base = ROOT.joinpath(*under.split("."))
    names = []
    for path in sorted(base.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


@dataclass
class Node:
    name: str
    module: str
    is_function: bool
    refs: set[str] = field(default_factory=set)  # resolved gongshi names
    attrs: set[str] = field(default_factory=set)  # attributes on unresolved bases, e.g. "intake"


class Module:
    """One parsed module: its definitions and what each local name refers to."""

    def __init__(self, name: str) -> None:
        path = module_file(name)
        assert path is not None, name
        self.name = name
        self.is_package = path.name == "__init__.py"
        self.tree = ast.parse(path.read_text(), str(path))
        self.defs: dict[str, ast.AST] = {}
        self.imports: dict[str, str] = {}
        for stmt in self.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.defs[stmt.name] = stmt
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("gongshi"):
                        local = alias.asname or alias.name.split(".")[0]
                        self.imports[local] = alias.name if alias.asname else local
            elif isinstance(node, ast.ImportFrom):
                source = self.absolute(node)
                if source.startswith("gongshi"):
                    for alias in node.names:
                        self.imports[alias.asname or alias.name] = f"{source}.{alias.name}"

    def absolute(self, node: ast.ImportFrom) -> str:
        if not node.level:
            return node.module or ""
        package = self.name.split(".") if self.is_package else self.name.split(".")[:-1]
        base = package[: len(package) - node.level + 1]
        return ".".join(base + ([node.module] if node.module else []))


class Graph:
    """The reference graph of every module under gongshi/ (migrations left out)."""

    def __init__(self) -> None:
        self.modules = {name: Module(name) for name in all_modules()}
        self.nodes: dict[str, Node] = {}
        for module in self.modules.values():
            self._add_module(module)
        self._link_registries()

    # --- resolution ---------------------------------------------------------------------------

    def resolve(self, dotted: str, seen: frozenset[str] = frozenset()) -> str | None:
        """The defining name of `gongshi.a.b.Name` (through re-exports), or the module itself."""
        if dotted in self.modules or dotted in self.nodes or dotted in seen:
            return dotted
        head, _, last = dotted.rpartition(".")
        owner = self.resolve(head, seen | {dotted}) if head else None
        if owner is None:
            return None
        if owner in self.modules:
            module = self.modules[owner]
            if last in module.defs:
                return f"{owner}.{last}"
            if f"{owner}.{last}" in self.modules:
                return f"{owner}.{last}"
            if last in module.imports:
                return self.resolve(module.imports[last], seen | {dotted})
            return None
        candidate = f"{owner}.{last}"
        return candidate if candidate in self.nodes else None

    def _name(self, module: Module, expr: ast.expr) -> str | None:
        """The gongshi name an expression (`x`, `x.y.z`) stands for, if it is one."""
        if isinstance(expr, ast.Name):
            if expr.id in module.defs:
                return f"{module.name}.{expr.id}"
            if expr.id in module.imports:
                return self.resolve(module.imports[expr.id])
            return None
        if isinstance(expr, ast.Attribute):
            base = self._name(module, expr.value)
            return self.resolve(f"{base}.{expr.attr}") if base else None
        return None

    # --- building -----------------------------------------------------------------------------

    def _collect(self, module: Module, node: Node, roots: list[ast.AST]) -> None:
        for root in roots:
            for sub in ast.walk(root):
                if isinstance(sub, (ast.Name, ast.Attribute)):
                    target = self._name(module, sub)
                    if target is not None:
                        node.refs.add(target)
                    elif isinstance(sub, ast.Attribute):
                        node.attrs.add(sub.attr)
                elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                    # An import runs the imported modules' top level; what it names is reached
                    # only where the code uses it (the names above).
                    for alias in sub.names:
                        source = alias.name if isinstance(sub, ast.Import) else module.absolute(sub)
                        full = source if isinstance(sub, ast.Import) else f"{source}.{alias.name}"
                        node.refs.update(m for m in (full, source) if m in self.modules)

    def _add_function(self, module: Module, name: str, fn: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        node = self.nodes[name] = Node(name, module.name, True)
        self._collect(module, node, [*fn.body, fn.args, *([fn.returns] if fn.returns else [])])

    def _add_class(self, module: Module, name: str, cls: ast.ClassDef) -> None:
        node = self.nodes[name] = Node(name, module.name, False)
        body: list[ast.AST] = [*cls.bases, *cls.keywords]
        for stmt in cls.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                method = f"{name}.{stmt.name}"
                self._add_function(module, method, stmt)
                node.refs.add(method)
                body += stmt.decorator_list
            else:
                body.append(stmt)
        self._collect(module, node, body)

    def _add_module(self, module: Module) -> None:
        top = self.nodes[module.name] = Node(module.name, module.name, False)
        # Defined first, so that names resolve to definitions before any body is read.
        for stmt in module.tree.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.nodes[f"{module.name}.{stmt.name}"] = Node(
                    f"{module.name}.{stmt.name}", module.name, False
                )
        rest: list[ast.AST] = []
        for stmt in module.tree.body:
            qualified = f"{module.name}.{getattr(stmt, 'name', '')}"
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._add_function(module, qualified, stmt)
                rest += stmt.decorator_list
            elif isinstance(stmt, ast.ClassDef):
                self._add_class(module, qualified, stmt)
                rest += stmt.decorator_list
            else:
                rest.append(stmt)
        self._collect(module, top, rest)
        parts = module.name.split(".")
        top.refs.update(".".join(parts[:i]) for i in range(1, len(parts)))

    def _link_registries(self) -> None:
        for module in self.modules.values():
            for stmt in module.tree.body:
                if not isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for decorator in stmt.decorator_list:
                    target = self._name(module, decorator)
                    if target is None or target not in self.nodes:
                        continue
                    registry = self.nodes[target].module
                    for other in self.nodes.values():
                        if other.module == registry and other.is_function and other.name != target:
                            other.refs.add(f"{module.name}.{stmt.name}")

    # --- walking ------------------------------------------------------------------------------

    def edges(self, name: str) -> Iterator[str]:
        node = self.nodes.get(name)
        if node is None:
            return
        for ref in node.refs:
            yield ref
            owner = ref
            # Using `gongshi.a.b.f` means `gongshi.a.b` was imported: its top level ran.
            while owner not in self.modules and "." in owner:
                owner = owner.rpartition(".")[0]
            if owner != ref:
                yield owner

    def of_module(self, module: str) -> list[str]:
        """The module's top level and every function, class and method defined in it."""
        return [name for name, node in self.nodes.items() if node.module == module]

    def paths(self, module: str, stop: set[str]) -> dict[str, str | None]:
        """Breadth-first from all of `module`, not entering `stop`: node → the node it was reached from.

        Any function of a module may run (a route, a helper another module calls), so the walk
        starts from each of them, not only from the top level.
        """
        starts = self.of_module(module) or [module]
        parent: dict[str, str | None] = dict.fromkeys(starts)
        queue = deque(starts)
        while queue:
            current = queue.popleft()
            if current in stop:
                continue
            for nxt in self.edges(current):
                if nxt not in parent:
                    parent[nxt] = current
                    queue.append(nxt)
        return parent


def chain(parent: dict[str, str | None], end: str) -> list[str]:
    out: list[str] = []
    current: str | None = end
    while current is not None:
        out.append(current)
        current = parent[current]
    return out[::-1]
