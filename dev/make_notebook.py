"""Write a thin product notebook from a list of (kind, source, tags) cells.

Used by the developers to lay out a new product notebook consistently; afterwards the notebook
itself is the file to edit. ``write`` refuses to replace an existing notebook unless forced, so
hand edits are never overwritten::

    from make_notebook import PARAMETERS, write
    write(Path("notebooks/09_new.ipynb"), [("md", "# Title"), ("code", PARAMETERS, ["parameters"])])
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

PARAMETERS = """# Parameters: a batch run (papermill) replaces these values.
area_code: str = "E06000045"  # GSS code (or name) of the upper-tier local authority, e.g. Southampton
workspace: str = ""  # folder holding plans/; "" means $JOINTWORK_WORKSPACE or ./workspace
interactive: bool = True  # True: widgets for a workshop; False: static outputs from the saved plan"""


Cell = tuple[str, str, list[str]]


def build(cells: list[Cell]) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for kind, source, tags in cells:
        cell = nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        if tags:
            cell.metadata["tags"] = tags
        cell["id"] = f"cell-{len(nb.cells):02d}"
        nb.cells.append(cell)
    return nb


def write(path: Path, cells: list[Cell], force: bool = False) -> None:
    if path.exists() and not force:
        print(f"{path} exists; not overwritten")
        return
    nbformat.write(build(cells), str(path))
    print(f"wrote {path}")


if __name__ == "__main__":
    sys.exit("import this module and call write(path, cells); see docs/extending.md")
