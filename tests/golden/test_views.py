"""Golden views: every product notebook's outputs, rendered in this process from the sample plans
(no kernel), compared with stored snapshots in ``__snapshots__/``.

Reference cells (those that do not use the workbook) are recorded once per product; cells that show
the plan are recorded for each sample area. After an intended change, review and re-record with
``.venv/bin/python -m pytest tests/golden --snapshot-update`` and read the diff before committing.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from jointwork.core.paths import notebooks_dir
from jointwork.products import PRODUCTS

from conftest import SAMPLES

SAMPLE_CODES = sorted(p.stem for p in SAMPLES.glob("*.yaml"))
REFERENCE_AREA = "E06000045"


class HtmlSnapshot(SingleFileSnapshotExtension):
    file_extension = "html"
    _write_mode = WriteMode.TEXT


@pytest.fixture
def snapshot_html(snapshot: Any) -> Any:
    return snapshot.use_extension(HtmlSnapshot)


def code_cells(product) -> list[tuple[int, str, bool]]:
    """(index, source, is the parameters cell) of the notebook's code cells."""
    nb = json.loads((notebooks_dir() / product.notebook).read_text(encoding="utf-8"))
    return [
        (i, "".join(c["source"]), "parameters" in c["metadata"].get("tags", []))
        for i, c in enumerate(nb["cells"])
        if c["cell_type"] == "code"
    ]


def uses_plan(source: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "wb" for n in ast.walk(ast.parse(source)))


def run_cells(product, area_code: str, workspace: Path, *, plan_cells: bool) -> str:
    """Execute the notebook's code cells here, as a batch run would, and join what each one shows."""
    namespace: dict[str, Any] = {}
    parameters = {"area_code": area_code, "workspace": str(workspace), "interactive": False}
    parts = []
    for index, source, is_parameters in code_cells(product):
        if is_parameters:  # its defaults first, then what a batch run injects, as papermill does
            exec(compile(source, f"<cell {index}>", "exec"), namespace)  # noqa: S102
            namespace.update(parameters)
            continue
        tree = ast.parse(source)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, f"<cell {index}>", "exec"), namespace)  # noqa: S102 - the project's own notebooks
        shown = eval(compile(ast.Expression(last.value), f"<cell {index}>", "eval"), namespace) if last else None
        if shown is None or uses_plan(source) != plan_cells or source.startswith(("from ", "import ")):
            continue
        markup = shown._repr_html_() if hasattr(shown, "_repr_html_") else repr(shown)
        parts.append(f"<!-- cell {index}: {source.strip()} -->\n{markup}\n")
    return "".join(parts)


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_reference_views(product, sample_workspace: Path, snapshot_html: Any) -> None:
    assert run_cells(product, REFERENCE_AREA, sample_workspace, plan_cells=False) == snapshot_html


@pytest.mark.parametrize("code", SAMPLE_CODES)
@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_plan_views(product, code: str, sample_workspace: Path, snapshot_html: Any) -> None:
    assert run_cells(product, code, sample_workspace, plan_cells=True) == snapshot_html


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_an_area_without_a_plan(product, workspace: Path, snapshot_html: Any) -> None:
    assert run_cells(product, "E08000025", workspace, plan_cells=True) == snapshot_html


#: Instructions that only make sense with the notebook's code in front of you (JupyterLab).
CODE_ONLY_WORDS = ("parameters cell", "run every cell", "run it again", "run the notebook again", "show_contacts")


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_a_pack_gives_no_instructions_meant_for_code(product, sample_workspace: Path) -> None:
    import re

    shown = "".join(run_cells(product, code, sample_workspace, plan_cells=True) for code in SAMPLE_CODES)
    shown = re.sub(r"<!-- cell \d+:.*?-->", "", shown, flags=re.S)  # the cell's source, not what it shows
    assert not [words for words in CODE_ONLY_WORDS if words in shown]
