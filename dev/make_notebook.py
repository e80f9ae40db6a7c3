"""Write a thin product notebook from a list of (kind, source, tags) cells.

Used by the developers to lay out notebooks consistently; the notebooks themselves are the
files to edit afterwards. Usage: python dev/make_notebook.py (writes the notebooks listed below
only when they do not exist yet, so hand edits are never overwritten).
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

PARAMETERS = '''# Parameters: a batch run (papermill) replaces these values.
area_code: str = "E06000045"  # GSS code (or name) of the upper-tier local authority, e.g. Southampton
workspace: str = ""  # folder holding plans/; "" means $JOINTWORK_WORKSPACE or ./workspace
interactive: bool = True  # True: widgets for a workshop; False: static outputs from the saved plan'''


def build(cells: list[tuple[str, str, list[str]]]) -> nbformat.NotebookNode:
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


def write(path: Path, cells: list[tuple[str, str, list[str]]], force: bool = False) -> None:
    if path.exists() and not force:
        print(f"{path} exists; not overwritten")
        return
    nbformat.write(build(cells), str(path))
    print(f"wrote {path}")


SUCCESSFUL_JOINT_WORKING = [
    ("md", """# 3. Successful joint working needs...

**What this exercise is for.** Local authority and health partners rate, side by side, how far the
factors that make joint working succeed are in place in their area today. The workbook then shows
where the partnership is strong, where it is weak, where the two sectors see things differently,
and records the actions the team agrees.

**Who should be in the room:** people from the local authority (early years, children's centre or
family hub leads) and from health (health visiting, midwifery, the ICB's place team, public health),
ideally several from each, so that each sector's view is clear.

**How long it takes:** about 90 minutes: 15 to read the factors, 40 to rate, 35 to discuss and agree actions.

**How to use it:** run every cell (Run > Run All Cells). Choose your area in the first code cell.
Each rating, note and action is saved to your team's plan as soon as you make it.""", []),
    ("code", PARAMETERS, ["parameters"]),
    ("code", "from jointwork import open_workbook\nfrom jointwork.products import successful_joint_working as product", []),
    ("code", "wb = open_workbook(area_code, workspace, interactive)\nwb.header()", []),
    ("md", """## The factors and the rating scale

The six principles of the Nuffield Partnership Assessment Tool frame the factors. Each factor shows
what every point of the four-point scale looks like, so that everyone rates against the same picture.""", []),
    ("code", "product.framework()", []),
    ("md", "## Barriers others met, then and now", []),
    ("code", "product.barriers_table()", []),
    ("md", "## Essential actions\n\nWhat partnerships did to put the factors into practice.", []),
    ("code", "product.essential_actions_table()", []),
    ("md", """## Rate the factors

Add each person taking part and their sector, then rate every factor as it is today, with a note
of the evidence. In a batch run this shows the ratings saved in the plan.""", []),
    ("code", "product.exercise(wb)", ["nbval-ignore-output"]),
    ("md", "## Scores by factor and sector", []),
    ("code", "wb.view(product.scores_table)", []),
    ("code", "wb.view(product.scores_chart)", []),
    ("md", """## Where the sectors disagree

A large gap between local authority and health respondents is worth talking through before
agreeing actions: it often means the two sides see different evidence.""", []),
    ("code", "wb.view(product.disagreements)", []),
    ("md", "## Actions for the weakest factors", []),
    ("code", "product.action_exercise(wb)", ["nbval-ignore-output"]),
    ("code", "wb.view(product.action_list)", []),
    ("md", "## Sources", []),
    ("code", "product.sources()", []),
]

NOTEBOOKS = {"03_successful_joint_working.ipynb": SUCCESSFUL_JOINT_WORKING}

if __name__ == "__main__":
    folder = Path(__file__).resolve().parents[1] / "notebooks"
    for name, cells in NOTEBOOKS.items():
        write(folder / name, cells, force="--force" in sys.argv)
