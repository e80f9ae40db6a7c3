"""Comparing executed notebooks: what legitimately differs between two runs is set aside first.

:func:`sanitise_notebook` removes timings, paths and random ids; :func:`notebooks_differ` lists
the cells where two executed notebooks still differ. The batch tests, the benchmark and
``dev/compare_outputs.py`` use them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_CLOCK = re.compile(r"\b\d{2}:\d{2}:\d{2}(\.\d+)?\b")


def sanitise_notebook(
    nb: dict[str, Any], replace: dict[str, str] | None = None, execution_counts: bool = False
) -> dict[str, Any]:
    """A copy of an executed notebook without what legitimately differs between two runs.

    Drops papermill's timings and input/output paths, nbclient's execution timestamps and the random
    id papermill gives the injected-parameters cell; replaces
    the given strings (e.g. output folders) and clock times. Execution counts are kept unless
    ``execution_counts`` is true (they match when the kernel is reset properly).
    """
    nb = json.loads(json.dumps(nb))
    papermill = nb.get("metadata", {}).get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        papermill.pop(key, None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        if "injected-parameters" in meta.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        for key in ("start_time", "end_time", "duration"):
            meta.get("papermill", {}).pop(key, None)
        if execution_counts and "execution_count" in cell:
            cell["execution_count"] = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
    text = json.dumps(nb, sort_keys=True)
    for old, new in sorted((replace or {}).items(), key=lambda kv: -len(kv[0])):
        text = text.replace(json.dumps(old)[1:-1], new)
    text = _CLOCK.sub("HH:MM:SS", text)
    return json.loads(text)


def notebooks_differ(a: Path, b: Path, replace: dict[str, str] | None = None) -> list[str]:
    """Where two executed notebooks differ after :func:`sanitise_notebook` (empty when identical)."""
    left = sanitise_notebook(json.loads(a.read_text(encoding="utf-8")), replace)
    right = sanitise_notebook(json.loads(b.read_text(encoding="utf-8")), replace)
    if left == right:
        return []
    problems = []
    if left.get("metadata") != right.get("metadata"):
        problems.append("notebook metadata")
    for i, (x, y) in enumerate(zip(left.get("cells", []), right.get("cells", []), strict=False)):
        if x != y:
            problems.append(f"cell {i}")
    if len(left.get("cells", [])) != len(right.get("cells", [])):
        problems.append("number of cells")
    return problems


def _cell_key(cell: dict[str, Any], index: int) -> str:
    return str(cell.get("id") or f"#{index}")


def output_differences(
    before: dict[str, Any], after: dict[str, Any], replace: dict[str, str] | None = None
) -> list[str]:
    """Where two executed notebooks' outputs differ, cell by cell (cell sources may differ).

    Both are sanitised first (:func:`sanitise_notebook`). Cells are matched by id (by position
    when a cell has none). Returns one line per code cell whose outputs differ, or that only one
    notebook has; empty when every output is the same.
    """
    left = sanitise_notebook(before, replace)
    right = sanitise_notebook(after, replace)
    left_cells = {_cell_key(c, i): (i, c) for i, c in enumerate(left.get("cells", [])) if c.get("cell_type") == "code"}
    right_cells = {
        _cell_key(c, i): (i, c) for i, c in enumerate(right.get("cells", [])) if c.get("cell_type") == "code"
    }
    problems = []
    for key, (index, cell) in left_cells.items():
        if key not in right_cells:
            problems.append(f"code cell {key} (cell {index}) is only in the first notebook")
        elif cell.get("outputs") != right_cells[key][1].get("outputs"):
            problems.append(f"code cell {key} (cell {index}): outputs differ")
    problems += [
        f"code cell {key} (cell {index}) is only in the second notebook"
        for key, (index, _) in right_cells.items()
        if key not in left_cells
    ]
    return problems
