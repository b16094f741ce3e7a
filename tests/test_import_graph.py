"""The package's import graph: no cycles, and the core never imports the rules.

Every module under ``budgetlint/`` is parsed with :mod:`ast`; every ``import``
and ``from … import`` anywhere in it counts, including the lazy ones inside
functions and those under ``if TYPE_CHECKING``.  The rules (``rules/``,
installed as ``budgetlint.rules``) are loaded by the engine through the
``budgetlint.rules`` entry-point group only, like any plug-in.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "budgetlint"
RULES = "budgetlint.rules"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, is_package: bool, level: int, name: str | None) -> str:
    if level == 0:
        return name or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (level - 1)] if level > 1 else base
    return ".".join(base + ([name] if name else []))


def _imports(module: str, path: Path, known: set[str]) -> set[str]:
    """Modules of the package that ``module`` imports (``from . import x`` counts as importing ``x``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module)
            # ``from pkg import sub`` imports the submodule; ``from mod import name`` imports the module
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            if not t.startswith("budgetlint"):
                continue
            if t == RULES or t.startswith(RULES + "."):
                out.add(t)
                continue
            # the longest known module the name refers to (``from .x import y`` where y is a function)
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != module:
                out.add(t)
    return out


def _graph() -> dict[str, set[str]]:
    mods = _modules()
    known = set(mods)
    return {m: _imports(m, p, known) for m, p in mods.items()}


def test_every_module_is_parsed():
    mods = _modules()
    assert "budgetlint.engine" in mods and "budgetlint.model" in mods and len(mods) > 20


def test_core_never_imports_the_rules():
    offenders = sorted(f"{m} imports {t}" for m, deps in _graph().items() for t in deps if t == RULES or t.startswith(RULES + "."))
    assert not offenders, "the core must load rules through the entry-point group only:\n" + "\n".join(offenders)


def test_no_import_cycles():
    graph = _graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for dep in sorted(graph.get(m, ())):
            if dep not in graph:
                continue
            if state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_model_imports_nothing_of_the_package():
    assert _graph()["budgetlint.model"] == set()


def test_identity_imports_only_the_model():
    assert _graph()["budgetlint.identity"] <= {"budgetlint.model"}
