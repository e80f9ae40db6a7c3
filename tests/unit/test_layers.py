"""The package's imports run one way: core < render < forms < workshop < products < papers < run/session < app < cli.

Read from the source (every ``import``, at module level or inside a function, except those under
``if TYPE_CHECKING:``), so a cycle or an upward import fails here before it can bite at run time.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "jointwork"

#: Each layer may import its own layer and those before it in this list.
LAYERS = ["core", "render", "forms", "workshop", "products", "papers", "run", "app", "cli"]
LAYER_OF = {
    "core": "core",
    "render": "render",
    "forms": "forms",
    "workshop": "workshop",
    "products": "products",
    "papers": "papers",
    "session": "run",
    "intake": "run",
    "run": "run",
    "app": "app",
    "cli": "cli",
    "build": "build",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path) -> set[str]:
    """The jointwork modules ``path`` imports (resolved), outside ``if TYPE_CHECKING:`` blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("jointwork"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.startswith("jointwork"):
                for alias in node.names:  # "from . import x" may name a submodule
                    candidate = f"{target}.{alias.name}"
                    found.add(candidate if _exists(candidate) else target)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return {m for m in found if m != name}


def _exists(module: str) -> bool:
    path = PACKAGE.parent.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {name: {m for m in imports_of(path) if m in modules} for name, path in modules.items()}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return LAYER_OF.get(parts[1]) if len(parts) > 1 else None


def test_no_import_cycles() -> None:
    edges = graph()
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt] if nxt in path else [node, nxt])
            elif nxt not in state:
                walk(nxt, path + [nxt])
        state[node] = 2

    for start in sorted(edges):
        if start not in state:
            walk(start, [start])
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_layers_import_downwards_only() -> None:
    wrong = []
    for module, targets in graph().items():
        here = layer(module)
        if here is None:
            continue
        for target in targets:
            there = layer(target)
            if there is None:
                wrong.append(f"{module} imports the package root {target}")
            elif here == "build" or there == "build":
                if there == "build" and here not in {"build", "cli"}:
                    wrong.append(f"{module} imports the data builds ({target}); only the CLI may")
                if here == "build" and there not in {"build", "core"}:
                    wrong.append(f"{module} (a data build) imports {target}; builds use core only")
            elif LAYERS.index(there) > LAYERS.index(here):
                wrong.append(f"{module} ({here}) imports {target} ({there}), a layer above it")
    assert not wrong, "\n".join(sorted(wrong))


def test_products_do_not_import_each_other() -> None:
    wrong = []
    for module, targets in graph().items():
        parts = module.split(".")
        if len(parts) < 3 or parts[1] != "products":
            continue
        for target in targets:
            other = target.split(".")
            if len(other) >= 3 and other[1] == "products" and other[2] != parts[2]:
                wrong.append(f"{module} imports {target}")
            if target == "jointwork.products":
                wrong.append(f"{module} imports the registry")
    assert not wrong, "\n".join(wrong)


def test_a_workshop_kernel_never_imports_the_builds_or_the_server() -> None:
    code = (
        "import sys, jointwork; from jointwork import open_workbook; import jointwork.products; "
        "import jointwork.app.kernel; "
        "print(sorted(m for m in sys.modules if m.startswith(('jointwork.build', 'jointwork.app.server', 'voila'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize("module", ["jointwork.core.store", "jointwork.core.plan", "jointwork.core.areas"])
def test_core_loads_without_products(module: str) -> None:
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.startswith('jointwork.products')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout
