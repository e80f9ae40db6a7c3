"""Pages open on their exercise: the notebooks' reference sections are marked (dev/fold_reference.py),
packs fold them under their headings with a link to the exercise, and the app's page script does the
same (tests/browser checks it in Chromium)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

from jointwork.app.pages import TEMPLATE_DIR
from jointwork.render.pack import render_notebook

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def folding():
    spec = importlib.util.spec_from_file_location("fold_reference", REPO / "dev" / "fold_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def notebook(*cells: tuple[str, str]):
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_markdown_cell(source) if kind == "md" else nbformat.v4.new_code_cell(source)
        for kind, source in cells
    ]
    return nb


SAMPLE = notebook(
    ("md", "# 9. A product"),
    ("code", "wb = open_workbook(area_code, workspace, interactive)\nwb.header()"),
    ("md", "## The framework\n\nWhat it says."),
    ("code", "product.framework()"),
    ("md", "## The area's figures"),
    ("code", "wb.view(product.figures)"),
    ("md", "## Rate it"),
    ("code", "product.exercise(wb)"),
    ("md", "## Results"),
    ("code", "wb.view(product.results)"),
    ("md", "## More to do"),
    ("code", "product.action_exercise(wb)"),
    ("md", "## Sources"),
    ("code", "product.sources()"),
)


def tags(nb) -> list[list[str]]:
    return [cell.metadata.get("tags", []) for cell in nb.cells]


class TestMarking:
    def test_the_notebooks_are_marked(self, folding) -> None:
        assert folding.main(["--check"]) == 0, "run: python dev/fold_reference.py"

    def test_every_product_notebook_has_its_exercise_and_folds_its_reference(self, folding) -> None:
        for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, 4)
            assert sum("jw-exercise" in t for t in tags(nb)) == 1, path.name
            assert any("jw-reference" in t for t in tags(nb)), path.name

    def test_the_rule(self, folding) -> None:
        marked = folding.marked(SAMPLE)
        assert tags(marked) == [
            [], [],
            ["jw-reference"], ["jw-reference"],  # reference content
            ["jw-reference"], ["jw-reference"],  # before the exercise: folded too
            ["jw-exercise"], [],
            [], [],  # the area's results after the exercise stay open
            [], [],  # a second exercise too
            ["jw-reference"], ["jw-reference"],
        ]  # fmt: skip
        assert [c.metadata.get("jp-MarkdownHeadingCollapsed") for c in marked.cells if c.cell_type == "markdown"] == [
            None, True, True, None, None, None, True,
        ]  # fmt: skip
        assert tags(SAMPLE) == [[]] * len(SAMPLE.cells), "the notebook given is not changed"
        assert folding.marked(marked) == marked, "marking twice changes nothing"

    def test_other_tags_are_kept(self, folding) -> None:
        nb = notebook(("md", "## Sources"), ("code", "product.sources()"))
        nb.cells[1].metadata["tags"] = ["nbval-ignore-output"]
        assert tags(folding.marked(nb)) == [["jw-reference"], ["nbval-ignore-output", "jw-reference"]]


class TestPacks:
    def executed(self, folding):
        nb = folding.marked(SAMPLE)
        for cell, text in zip(
            [c for c in nb.cells if c.cell_type == "code"],
            ["<p>header</p>", "<table><tr><td>framework</td></tr></table>", "<p>figures</p>", "", "<p>results</p>",
             "", "<ol><li>a source</li></ol>"],
            strict=True,
        ):  # fmt: skip
            cell.outputs = [nbformat.v4.new_output("display_data", {"text/html": text})] if text else []
        return nb

    def test_reference_is_folded_under_its_heading(self, folding) -> None:
        body = render_notebook(self.executed(folding), 9, "A product").body
        boxes = re.findall(r'<details class="jw-reference">(.*?)</details>', body, re.S)
        assert len(boxes) == 3
        assert boxes[0].startswith("<summary><h3>The framework</h3>") and "<td>framework</td>" in boxes[0]
        assert "What it says." in boxes[0] and "figures" in boxes[1] and "a source" in boxes[2]
        assert "results" not in "".join(boxes) and "<p>results</p>" in body

    def test_a_link_leads_to_the_exercise(self, folding) -> None:
        body = render_notebook(self.executed(folding), 9, "A product").body
        assert body.index("<h2>9. A product</h2>") < body.index('<p class="jw-jump">') < body.index("<details")
        assert '<a href="#product-9-exercise">Jump to the exercise: Rate it</a>' in body
        assert '<span id="product-9-exercise"></span><h3>Rate it</h3>' in body

    def test_an_unmarked_notebook_is_as_it_was(self) -> None:
        body = render_notebook(SAMPLE, 9, "A product").body
        assert "<details" not in body and "jw-jump" not in body and "<h3>The framework</h3>" in body


class TestAppScript:
    def test_the_page_script_folds_and_links(self) -> None:
        script = (TEMPLATE_DIR / "static" / "jointwork.js").read_text(encoding="utf-8")
        assert ".celltag_jw-reference" in script and ".celltag_jw-exercise" in script
        assert 'link.href = "#jw-exercise"' in script and '"Jump to the exercise"' in script
        assert "[cell-index]" in script, "Voila wraps each cell: the wrapper is what moves"
        css = (TEMPLATE_DIR / "static" / "jointwork.css").read_text(encoding="utf-8")
        assert "details.jw-reference" in css and ".jw-jump a" in css
