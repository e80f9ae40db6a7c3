"""Mark each product notebook's reference sections and its exercise, so that every surface folds the
reference away (behind its heading) and opens on the exercise (the app's jointwork.js, the packs' render_notebook, and
JupyterLab's collapsed headings).

The rule, applied to each ``## `` section (a heading cell and the cells up to the next heading):

- a section whose code cells all show reference content, ``product.something()`` with no argument
  (a view that does not depend on the area's plan), is **reference**: its cells get the tag
  ``jw-reference`` and its heading cell ``jp-MarkdownHeadingCollapsed: true`` (JupyterLab folds it);
  so is every section before the exercise (background such as the area's figures), so that the page
  opens on its exercise;
- the heading of the first section with an exercise, ``product.something(wb...)``, gets the tag
  ``jw-exercise``: "Jump to the exercise" leads there.

Nothing else in the notebooks changes. Usage::

    python dev/fold_reference.py           # mark the notebooks
    python dev/fold_reference.py --check   # exit 1 and list the notebooks that are not marked so
"""

from __future__ import annotations

import argparse
import copy
import re
import sys
from pathlib import Path
from typing import Any

import nbformat

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
REFERENCE_TAG = "jw-reference"
EXERCISE_TAG = "jw-exercise"
COLLAPSED = "jp-MarkdownHeadingCollapsed"
REFERENCE_CALL = re.compile(r"^product\.\w+\(\)$")
EXERCISE_CALL = re.compile(r"^product\.\w+\(wb\)$")


def sections(nb: Any) -> list[list[int]]:
    """The cell indices of each ``## `` section, heading first."""
    found: list[list[int]] = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "):
            found.append([i])
        elif found:
            found[-1].append(i)
    return found


def marked(nb: Any) -> Any:
    """A copy of ``nb`` with its reference sections and its exercise marked (see the module docstring)."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        tags = [t for t in cell.metadata.get("tags", []) if t not in (REFERENCE_TAG, EXERCISE_TAG)]
        if tags:
            cell.metadata["tags"] = tags
        else:
            cell.metadata.pop("tags", None)
        cell.metadata.pop(COLLAPSED, None)
    exercise_marked = False
    for section in sections(nb):
        code = [nb.cells[i].source.strip() for i in section if nb.cells[i].cell_type == "code"]
        reference = [source for source in code if REFERENCE_CALL.match(source)]
        exercise = any(EXERCISE_CALL.match(source) for source in code)
        if code and (len(reference) == len(code) or (not exercise and not exercise_marked)):
            for i in section:
                nb.cells[i].metadata["tags"] = [*nb.cells[i].metadata.get("tags", []), REFERENCE_TAG]
            nb.cells[section[0]].metadata[COLLAPSED] = True
        elif not exercise_marked and exercise:
            heading = nb.cells[section[0]]
            heading.metadata["tags"] = [*heading.metadata.get("tags", []), EXERCISE_TAG]
            exercise_marked = True
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a notebook needs marking")
    args = parser.parse_args(argv)
    stale = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, 4)
        want = marked(nb)
        if [c.metadata for c in want.cells] != [c.metadata for c in nb.cells]:
            stale.append(path.name)
            if not args.check:
                nbformat.write(want, str(path))
                print(f"marked {path.name}")
    if args.check and stale:
        print("not marked (run python dev/fold_reference.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
