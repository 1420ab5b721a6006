"""The layering rule, read from the source: what each layer may import, and no cycles.

Every ``import`` and ``from … import`` under ``convviz/`` counts, also those
inside functions. A layer may import only the layers listed for it:

    core      → core (and the leaves: errors, version)
    backends  → backends, core
    engine    → backends, core
    lane_text → engine, core
    api, info → engine, backends, core
    bench     → bench, api, info, engine, backends, core
    export    → core, api, cli_options
    gui       → gui, bench, export, api, info, engine, lane_text, backends, core
    cli       → everything (it is the entrance)

and no module imports, directly or through others, a module that imports it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "convviz"
LEAVES = {"errors", "version"}
ALLOWED = {
    "core": {"core"},
    "backends": {"backends", "core"},
    "engine": {"backends", "core"},
    "lane_text": {"engine", "core"},
    "api": {"engine", "backends", "core"},
    "info": {"engine", "backends", "core"},
    "bench": {"bench", "api", "info", "engine", "backends", "core", "cli_options"},
    "export": {"core", "api", "cli_options"},
    "cli_options": {"core"},
    "gui": {"gui", "bench", "export", "api", "info", "engine", "lane_text", "backends", "core"},
    "cli": {
        "cli_options",
        "bench",
        "export",
        "api",
        "info",
        "engine",
        "lane_text",
        "backends",
        "core",
        "gui",
    },
    "__main__": {"cli"},
    "__init__": {"api"},
    "errors": set(),
    "version": set(),
}


def _modules() -> dict[str, Path]:
    mods = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        mods[".".join(parts)] = path
    return mods


MODULES = _modules()


def _resolve(name: str) -> str:
    """The longest prefix of ``name`` that is a module of ours."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name


def imports_of(module: str) -> set[str]:
    """Our modules that ``module`` imports anywhere in its body."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names = [f"{base}.{a.name}" for a in node.names]  # a submodule, or base itself
        else:
            continue
        for name in names:
            if name.split(".")[0] == "convviz":
                target = _resolve(name)
                if target and target != module:
                    found.add(target)
    return found


GRAPH = {m: imports_of(m) for m in MODULES}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def test_the_source_tree_is_read():
    assert {"convviz.core.spec", "convviz.backends.cuda", "convviz.gui.main_window"} <= set(MODULES)
    assert "convviz.core.spec" in GRAPH["convviz.api"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_layers_below_it(module):
    layer = layer_of(module)
    allowed = ALLOWED[layer] | LEAVES | {layer}
    bad = sorted(t for t in GRAPH[module] if t != "convviz" and layer_of(t) not in allowed)
    assert not bad, f"{module} ({layer}) may not import {bad}"
    if layer not in ("__init__", "__main__", "cli"):
        # reaching up to the package itself (``from convviz import __version__``) is upward
        assert "convviz" not in GRAPH[module], f"{module} imports the top-level package"


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in GRAPH:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_a_forbidden_import_is_caught(tmp_path, monkeypatch):
    """The checker itself: an upward import written into core is found."""
    fake = tmp_path / "up.py"
    fake.write_text("def f():\n    from convviz.gui import theme\n")
    monkeypatch.setitem(MODULES, "convviz.core.up", fake)
    assert "convviz.gui.theme" in imports_of("convviz.core.up")
