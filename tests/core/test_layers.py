"""The layering rule, read from the source: what each layer may import, and no cycles.

Every ``import`` and ``from … import`` under ``convviz/`` counts, also those inside
functions and under ``TYPE_CHECKING``, and so does an import by name at run time
(``importlib.import_module("convviz.…")``, ``__import__``). A layer may import only the
layers listed for it:

    core      → core (and the leaves: errors, version, collector)
    backends  → backends, core
    engine    → backends, core
    lane_text → engine, core
    api, info → engine, backends, core
    bench     → bench, api, info, engine, backends, core
    export    → core, engine, api, cli_options
    gui       → gui, bench, export, api, info, engine, lane_text, backends, core
    cli       → everything (it is the entrance)

and no module imports, directly or through others, a module that imports it.

Inside the app the screens stand in a declared order, lowest first. A screen is built
on the tiers below it and never imports a screen beside it or above it:

    base     widgets/ and the shared pieces: theme, files, i18n, appearance, menus, status
    lesson   lesson/: the component the others build on
    screens  image/ (embeds a lesson of its region), race/, lecture/ (rearranges the
             lesson's widgets for a lecture hall), bench/: side by side, none uses another
    shell    app, main_window, keys, deck_player, invariants, later: the window that puts the
             screens together, the deck that drives it and the checks that watch it

A piece two screens share moves down to ``widgets/`` (or below the app); a screen that
needs another's object takes it as an argument typed by what it uses. The app never
imports numba: compiling and threads belong to the backends.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "convviz"
LEAVES = {"errors", "version", "collector"}
ALLOWED = {
    "core": {"core"},
    "backends": {"backends", "core"},
    "engine": {"backends", "core"},
    "lane_text": {"engine", "core"},
    "api": {"engine", "backends", "core"},
    "info": {"engine", "backends", "core"},
    "bench": {"bench", "api", "info", "engine", "backends", "core", "cli_options"},
    "export": {"core", "engine", "api", "cli_options"},
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
    "collector": set(),
    "version": set(),
}

#: the app's tiers, lowest first; a module of the app imports its own unit (its screen's
#: package, or its tier where the tier is not split in screens) and the tiers below
GUI_TIERS = ("base", "lesson", "screens", "shell")
GUI_SCREENS = {"lesson": "lesson", "image": "screens", "race": "screens"}
GUI_SCREENS |= {"lecture": "screens", "bench": "screens", "widgets": "base"}
GUI_MODULES = {"theme": "base", "files": "base", "i18n": "base", "appearance": "base"}
GUI_MODULES |= {"menus": "base", "status": "base"}
GUI_MODULES |= {"app": "shell", "main_window": "shell", "keys": "shell"}
GUI_MODULES |= {"deck_player": "shell", "invariants": "shell", "later": "shell"}

#: imports against the declared order that are let through for now, as
#: (importer, imported) module pairs. Empty: every such import is a defect.
TOLERATED: frozenset[tuple[str, str]] = frozenset()

_DYNAMIC = {"import_module", "__import__"}


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


def _named_imports(tree: ast.AST, package: str) -> list[str]:
    """Every dotted name ``tree`` imports with an import statement."""
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names += [f"{base}.{a.name}" for a in node.names]  # a submodule, or base itself
    return names


def _dynamic_imports(tree: ast.AST) -> list[str]:
    """The names ``tree`` imports by a call: ``importlib.import_module("x")``,
    ``import_module("x")``, ``__import__("x")``. A call with a computed name charges
    the module with every convviz module it names in a string (a registry's table)."""
    names: list[str] = []
    computed = False
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if called not in _DYNAMIC:
            continue
        arg = node.args[0]
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            names.append(arg.value)
        else:
            computed = True
    if computed:
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if node.value.startswith("convviz.") and " " not in node.value:
                    names.append(node.value)
    return names


def imports_of(module: str) -> set[str]:
    """Our modules that ``module`` imports anywhere in its body."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for name in _named_imports(tree, package) + _dynamic_imports(tree):
        if name.split(".")[0] == "convviz":
            target = _resolve(name)
            if target and target != module:
                found.add(target)
    return found


def third_party_imports(module: str) -> set[str]:
    """The top-level packages other than ours that ``module`` imports."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    names = [n for n in _named_imports(tree, "") + _dynamic_imports(tree) if n]
    return {n.split(".")[0] for n in names} - {"convviz", ""}


GRAPH = {m: imports_of(m) for m in MODULES}


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) == 1:
        return "__init__"
    return parts[1]


def gui_unit(module: str) -> tuple[int, str]:
    """(tier rank, unit) of a module of the app: the unit is its screen's package, or
    its tier for the modules directly under ``convviz.gui``."""
    parts = module.split(".")
    if len(parts) == 2:  # convviz.gui itself
        return GUI_TIERS.index("base"), "base"
    if parts[2] in GUI_SCREENS:  # a sub-package: a screen is its own unit
        tier = GUI_SCREENS[parts[2]]
        return GUI_TIERS.index(tier), tier if tier == "base" else parts[2]
    if parts[2] not in GUI_MODULES:
        raise KeyError(f"{module}: declare its tier in GUI_SCREENS or GUI_MODULES")
    tier = GUI_MODULES[parts[2]]
    return GUI_TIERS.index(tier), tier


def violations(module: str, imported: set[str]) -> list[str]:
    """The modules of ``imported`` that ``module`` may not import, by the layer rule
    and, inside the app, by the order of its tiers."""
    layer = layer_of(module)
    allowed = ALLOWED[layer] | LEAVES | {layer}
    bad = {t for t in imported if t != "convviz" and layer_of(t) not in allowed}
    if layer not in ("__init__", "__main__", "cli") and "convviz" in imported:
        bad.add("convviz")  # reaching up to the package itself is upward
    if layer == "gui":
        rank, unit = gui_unit(module)
        for t in imported:
            if layer_of(t) == "gui":
                t_rank, t_unit = gui_unit(t)
                if t_unit != unit and t_rank >= rank:
                    bad.add(t)
    return sorted(t for t in bad if (module, t) not in TOLERATED)


def test_the_source_tree_is_read():
    assert {"convviz.core.spec", "convviz.backends.cuda", "convviz.gui.main_window"} <= set(MODULES)
    assert "convviz.core.spec" in GRAPH["convviz.api"]
    # the backends' registry imports its backends by name
    assert "convviz.backends.cuda" in GRAPH["convviz.backends"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_layers_below_it(module):
    bad = violations(module, GRAPH[module])
    assert not bad, f"{module} ({layer_of(module)}) may not import {bad}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer_of(m) == "gui"))
def test_the_app_imports_no_numba(module):
    assert "numba" not in third_party_imports(module), f"{module} imports numba"


def test_every_module_of_the_app_has_a_tier():
    for module in MODULES:
        if layer_of(module) == "gui":
            gui_unit(module)  # raises for a module of no declared tier


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


# -- the checker itself: planted defects are found --------------------------------------
def _plant(tmp_path, monkeypatch, module: str, source: str) -> set[str]:
    fake = tmp_path / (module.rpartition(".")[2] + ".py")
    fake.write_text(source)
    monkeypatch.setitem(MODULES, module, fake)
    return imports_of(module)


def test_a_forbidden_import_is_caught(tmp_path, monkeypatch):
    """An upward import written into core, inside a function, is found."""
    found = _plant(
        tmp_path, monkeypatch, "convviz.core.up", "def f():\n    from convviz.gui import theme\n"
    )
    assert "convviz.gui.theme" in found
    assert violations("convviz.core.up", found) == ["convviz.gui.theme"]


def test_a_lesson_importing_a_screen_above_it_is_caught(tmp_path, monkeypatch):
    source = "from convviz.gui.image.model import ImageModel\nfrom convviz.gui import theme\n"
    found = _plant(tmp_path, monkeypatch, "convviz.gui.lesson.planted", source)
    assert violations("convviz.gui.lesson.planted", found) == ["convviz.gui.image.model"]


def test_screens_side_by_side_and_the_shell_are_caught(tmp_path, monkeypatch):
    source = (
        "from convviz.gui.race.lane import LaneRow\n"  # beside
        "from convviz.gui.keys import LessonKeys\n"  # above
        "from convviz.gui.lesson.view import LessonView\n"  # below: allowed
        "from convviz.gui.image.model import ImageModel\n"  # its own screen: allowed
        "from convviz.gui.widgets.grid_view import GridView\n"  # base: allowed
    )
    found = _plant(tmp_path, monkeypatch, "convviz.gui.image.planted", source)
    assert violations("convviz.gui.image.planted", found) == [
        "convviz.gui.keys",
        "convviz.gui.race.lane",
    ]
    base = _plant(
        tmp_path, monkeypatch, "convviz.gui.widgets.planted", "import convviz.gui.lesson.model\n"
    )
    assert violations("convviz.gui.widgets.planted", base) == ["convviz.gui.lesson.model"]


def test_an_import_by_name_is_caught(tmp_path, monkeypatch):
    source = (
        "import importlib\n"
        "from importlib import import_module\n"
        "def f():\n"
        "    importlib.import_module('convviz.gui.image.mode')\n"
        "    import_module('convviz.gui.race.view')\n"
        "    return __import__('convviz.gui.bench.view')\n"
    )
    found = _plant(tmp_path, monkeypatch, "convviz.gui.lesson.by_name", source)
    assert violations("convviz.gui.lesson.by_name", found) == [
        "convviz.gui.bench.view",
        "convviz.gui.image.mode",
        "convviz.gui.race.view",
    ]


def test_an_import_by_a_computed_name_is_charged_with_the_names_it_holds(tmp_path, monkeypatch):
    source = (
        "import importlib\n"
        "TABLE = {'x': 'convviz.gui.theme', 'note': 'convviz.gui is the app'}\n"
        "def get(k):\n"
        "    return importlib.import_module(TABLE[k])\n"
    )
    found = _plant(tmp_path, monkeypatch, "convviz.backends.planted", source)
    assert found == {"convviz.gui.theme"}
    assert violations("convviz.backends.planted", found) == ["convviz.gui.theme"]


def test_numba_in_the_app_is_caught(tmp_path, monkeypatch):
    _plant(tmp_path, monkeypatch, "convviz.gui.lesson.jit", "def f():\n    import numba.cuda\n")
    assert "numba" in third_party_imports("convviz.gui.lesson.jit")


def test_a_module_of_no_tier_is_refused():
    with pytest.raises(KeyError, match="declare its tier"):
        gui_unit("convviz.gui.somewhere_new")
