"""The house layout (issue 13): no source file over 500 lines, and web/ grouped by concern without import cycles.

The import graph is read from the source with ``ast`` (every import, also those inside functions and under
``TYPE_CHECKING``), so a cycle fails here even when lazy imports would hide it at run time; each web module is
also imported fresh in a subprocess, alone, so none depends on another having been imported first."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
WEB = SRC / "oirld" / "web"
MAX_LINES = 500
#: the web folders from the bottom layer up: a module imports only from its own folder and those before it here
#: (README, Layout); the wiring modules of the core import from all of them
LAYERS = ("core", "middleware", "common", "sparql", "linkeddata", "vocab", "reconcile")
WIRING = {"oirld.web", "oirld.web.app", "oirld.web.state", "oirld.web.settings"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def web_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(WEB.rglob("*.py"))}


def imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of ``modules`` that ``path`` imports, anywhere in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [f"{source}.{a.name}" if f"{source}.{a.name}" in modules else source for a in node.names]
        else:
            continue
        found |= {t for t in targets if t in modules and t != name}
    return found


def graph() -> dict[str, set[str]]:
    modules = web_modules()
    return {name: imports(path, modules) for name, path in modules.items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 3 and parts[2] in LAYERS:
        return parts[2]
    return "core"  # oirld.web, its top-level modules, and svg/ (which imports nothing else of web/)


def test_no_source_file_over_500_lines():
    long = {str(p.relative_to(SRC)): n for p in sorted(SRC.rglob("*.py"))
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, f"split these (house style: about {MAX_LINES} lines is the cue): {long}"


def test_web_modules_have_no_import_cycle():
    edges = graph()
    assert len(edges) > 30 and edges["oirld.web.app"]  # the walk found the package and read its imports
    assert find_cycle(edges) is None, " -> ".join(find_cycle(edges) or [])


def test_cycle_finder_sees_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_web_folders_import_only_their_own_layer_and_those_below():
    rank = {name: i for i, name in enumerate(LAYERS)}
    wrong = sorted(f"{m} -> {t}" for m, targets in graph().items() if m not in WIRING
                   for t in targets if t not in WIRING and rank[layer(t)] > rank[layer(m)])
    assert not wrong, wrong
    packages = {layer(m) for m in web_modules()}
    assert packages == set(LAYERS), packages  # every folder of the README's table exists, and no other


def test_each_web_module_imports_alone_in_a_fresh_interpreter():
    names = sorted(web_modules())
    script = (
        "import importlib, sys\n"
        "failed = []\n"
        f"for name in {names!r}:\n"
        "    for loaded in [m for m in sys.modules if m == 'oirld' or m.startswith('oirld.')]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {exc!r}')\n"
        "for name in ('oirld.web.sparql.workers', 'oirld.web.reconcile.transliterate'):\n"
        "    for loaded in [m for m in sys.modules if m.startswith(('oirld', 'fastapi', 'starlette'))]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
        "    if 'fastapi' in sys.modules:\n"
        "        failed.append(f'{name} loads FastAPI (worker processes and oirld add import it alone)')\n"
        "print('\\n'.join(failed))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "", done.stdout


def private_imports(path: Path) -> list[str]:
    """``from <oirld module> import _name`` in ``path``, anywhere in the file: a name another module needs is part of
    its API, so it is public and in its ``__all__`` (dunder names such as ``__version__`` are the package's API)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom):
            continue
        if node.level:
            source = ".".join(package.split(".")[: len(package.split(".")) - (node.level - 1)] + ([node.module] if node.module else []))
        else:
            source = node.module or ""
        if source != "oirld" and not source.startswith("oirld."):
            continue
        found += [f"{name}:{node.lineno} imports {a.name} from {source}" for a in node.names
                  if a.name.startswith("_") and not (a.name.startswith("__") and a.name.endswith("__"))]
    return found


def test_no_module_imports_a_private_name_of_another():
    wrong = [hit for p in sorted(SRC.rglob("*.py")) for hit in private_imports(p)]
    assert not wrong, wrong


def test_private_import_finder_sees_relative_and_absolute_imports(tmp_path, monkeypatch):
    pkg = tmp_path / "oirld" / "sub"
    pkg.mkdir(parents=True)
    (pkg / "m.py").write_text("from .other import _hidden, shown\nfrom oirld.x import _y\nfrom .. import __version__\n"
                              "from re import _compile\ndef f():\n    from ..z import _lazy\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "SRC", tmp_path)
    assert sorted(private_imports(pkg / "m.py")) == ["oirld.sub.m:1 imports _hidden from oirld.sub.other",
                                                    "oirld.sub.m:2 imports _y from oirld.x",
                                                    "oirld.sub.m:6 imports _lazy from oirld.z"]


@pytest.mark.parametrize("code", [
    "from oirld.web import ServeSettings; ServeSettings(row_cap=5)",
    "import oirld.web.settings",
    "from oirld.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass",
    "from oirld.cli import main\ntry:\n    main(['build', '--help'])\nexcept SystemExit:\n    pass",
])
def test_settings_and_the_cli_help_do_not_load_fastapi(code):
    """The CLI's fast commands, and whatever only builds the server's settings, do not pay for the web stack (regression:
    ``from oirld.web import ServeSettings`` loaded the app, and ``oirld.web.settings`` the ASGI middleware)."""
    script = f"import sys\n{code}\nprint(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'starlette')))\n"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-2000:]
