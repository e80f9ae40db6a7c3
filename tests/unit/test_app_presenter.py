"""The presenter view (jointwork/app/presenter.py), without a browser: a product's findings from
the area's plan and responses, the disagreement between sectors first, one per screen, large type,
sector breakdowns hidden below three respondents as in the workbook, problems in words."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from jointwork.app import pages, presenter
from jointwork.products import get_product

STATIC = pages.TEMPLATE_DIR / "static"


class TestFindings:
    def test_the_disagreement_comes_first(self) -> None:
        titles = [part.title for part in presenter.findings(get_product(3))]
        assert titles[0] == "Where the sectors disagree"
        assert set(titles) == {part.title for part in get_product(3).report}

    def test_a_product_without_results_has_no_findings(self) -> None:
        assert presenter.findings(get_product(8)) == [part for part in get_product(8).report]


class TestPage:
    def test_one_finding_per_screen_from_the_responses(self, sample_workspace: Path) -> None:
        status, page = presenter.presenter_page("E06000045", "3", sample_workspace)
        assert status == 200
        headings = re.findall(r'<h2 id="finding-\d+">([^<]+)</h2>', page)
        assert headings[0] == "Where the sectors disagree" and len(headings) == len(get_product(3).report)
        assert page.count('<section class="slide') == len(headings) + 2  # a title and the other products
        assert "<h1>3. Successful joint working needs...: Southampton</h1>" in page
        assert 'href="/voila/render/03_successful_joint_working.ipynb?area=E06000045">Back to the workbook' in page
        assert "<script>" not in page and "static/presenter.js" in page

    def test_small_sectors_stay_hidden_as_in_the_workbook(self, sample_workspace: Path) -> None:
        from jointwork.core.responses import ResponseStore
        from jointwork.products import plan_store
        from jointwork.products.successful_joint_working import disagreements

        plan = plan_store(sample_workspace).load("E06000045")
        shown = disagreements(plan, responses=ResponseStore(sample_workspace).area("E06000045")).markup
        _, page = presenter.presenter_page("E06000045", "3", sample_workspace)
        first = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown)).strip()[:120]
        assert first in re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)), "the workbook's own view, as it is"

    def test_problems_in_words(self, workspace: Path) -> None:
        status, page = presenter.presenter_page("Atlantis", "3", workspace)
        assert status == 404 and "What is wrong:" in page and "Atlantis" in page
        status, page = presenter.presenter_page("E06000045", "99", workspace)
        assert status == 404 and "product" in page
        (workspace / "plans" / "E06000045.yaml").write_text("schema_version: 1\narea_code: nope\n", encoding="utf-8")
        status, page = presenter.presenter_page("E06000045", "3", workspace)
        assert status == 409 and "cannot be opened" in page


class TestProjectorFiles:
    def test_large_type_and_arrow_keys_in_plain_es5(self) -> None:
        css = (STATIC / "presenter.css").read_text(encoding="utf-8")
        assert "html { font-size: 26px; }" in css, "at least 24 px body text"
        script = (STATIC / "presenter.js").read_text(encoding="utf-8")
        code = re.sub(r"//[^\n]*|/\*.*?\*/", "", script, flags=re.S)
        for modern in ("=>", "`", "let ", "const ", "class ", "fetch(", "XMLHttpRequest"):
            assert modern not in code
        assert '"ArrowRight"' in script and '"ArrowLeft"' in script
        node = shutil.which("node") or shutil.which("nodejs")
        if node is not None:
            result = subprocess.run([node, "--check", str(STATIC / "presenter.js")], capture_output=True, text=True)
            assert result.returncode == 0, result.stderr
