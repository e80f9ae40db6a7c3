"""The printable pre-read (jointwork/render/preread.py, jointwork/papers/preread.py): built from the
questionnaire each product declares in the registry, for products 3 and 2; A4, self-contained, typed
text as text; the paper in the batch and the app; `jointwork preread`."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from jointwork.app.downloads import make_download
from jointwork.cli import main
from jointwork.core.areas import find_area
from jointwork.core.responses import ResponseStore
from jointwork.papers import PAPERS, get_paper
from jointwork.products import get_product, plan_store
from jointwork.render.pack import offline_problems
from jointwork.render.preread import RoundInfo, preread_html

AREA = find_area("E06000045")


@pytest.fixture(scope="module")
def sample_plan():
    from conftest import SAMPLES

    return plan_store(SAMPLES.parent).load(AREA.code)


def page(number: int, plan, round_info: RoundInfo | None = None) -> str:
    return preread_html(get_product(number), AREA, plan, round_info, today=date(2026, 12, 2))


class TestProduct3:
    def test_every_question_with_its_scale_and_what_each_point_looks_like(self, sample_plan) -> None:
        q = get_product(3).questionnaire
        html = page(3, sample_plan)
        questions = q.questions()
        assert f"<h2>The questions ({len(questions)})</h2>" in html
        for number, question in enumerate(questions, start=1):
            assert f"<h3>{number}. {question.title}</h3>".replace("'", "&#x27;") in html
        assert html.count('<table class="descriptors">') == len(questions)
        for point, label in q.points():
            assert f'<tr><th scope="row">{point}</th><td>{label}</td></tr>' in html, "the rating scale"
            assert f"&#9744; {point} {label}</span>" in html, "a box to tick"
        first = questions[0]
        assert all(text in html for text in first.descriptors.values())
        assert html.count('<div class="note"><span class="label">Evidence:</span>') == len(questions)
        assert html.count('<h2 class="group">') == len({x.group for x in questions})

    def test_the_area_the_round_and_who_answers(self, sample_plan) -> None:
        html = page(3, sample_plan, RoundInfo("Baseline, December 2026", "2026-12-01"))
        assert "Pre-read for Southampton (E06000045)" in html and AREA.describe() in html
        assert "<strong>Round:</strong> Baseline, December 2026 (opened 2026-12-01)" in html
        assert "&#9744; Local authority" in html and "Your name (optional):" in html
        assert "printed 2026-12-02" in html
        blank = page(3, sample_plan)
        assert '<span class="label">Round:</span> <span class="blank wide">' in blank

    def test_a4_and_self_contained(self, sample_plan) -> None:
        html = page(3, sample_plan)
        assert "@page { size: A4;" in html and "<script" not in html and "<link" not in html
        assert offline_problems(html) == []


class TestProduct2:
    def test_ranking_with_the_areas_figures(self, sample_plan) -> None:
        q = get_product(2).questionnaire
        html = page(2, sample_plan)
        assert html.count('<span class="label">Your rank:</span>') == len(q.questions())
        assert "1 for the most important" in html and f"up to {len(q.questions())}; no two the same" in html
        assert "<h3>The area&#x27;s figures</h3>" in html
        figures = get_product(2).preread[0].show(sample_plan).markup
        assert re.sub(r"\s+", " ", figures)[:200].split(">")[0] in html, "the product's own view of the area"


class TestInputs:
    def test_typed_text_is_text(self, sample_plan) -> None:
        html = page(3, sample_plan, RoundInfo("<script>alert(1)</script>"))
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_a_product_without_a_questionnaire_says_so(self, sample_plan) -> None:
        with pytest.raises(ValueError, match="4. Who to engage with asks no individual answers"):
            page(4, sample_plan)


class TestPapers:
    def test_one_pre_read_per_product_with_a_questionnaire(self) -> None:
        assert [p.file_name for p in PAPERS if p.file_name.startswith("preread")] == [
            "preread-2.html",
            "preread-3.html",
        ]
        data = get_paper("preread-3.html").build(find_area("E08000025"), None)  # no plan: a blank one
        assert b"Pre-read for Birmingham (E08000025)" in data

    def test_the_app_opens_it_ready_to_print(self, sample_workspace: Path) -> None:
        reply = make_download(sample_workspace, "E06000045", "preread-3.html")
        assert reply.status == 200 and reply.headers["Content-Type"].startswith("text/html")
        assert reply.headers["Content-Disposition"] == 'inline; filename="E06000045_preread-3.html"'
        assert reply.headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert (
            make_download(sample_workspace, "E06000045", "workbook.xlsx")
            .headers["Content-Disposition"]
            .startswith("attachment")
        )


class TestCommandLine:
    def test_writes_the_pre_read_of_a_round(self, sample_workspace: Path, tmp_path: Path, capsys) -> None:
        ResponseStore(sample_workspace).open_round("E06000045", "successful_joint_working", "Spring check")
        out = tmp_path / "p3.html"
        argv = ["preread", "Southampton", "--product", "3", "--round", "Spring check", "--out", str(out)]
        assert main([*argv, "--workspace", str(sample_workspace)]) == 0
        assert "<strong>Round:</strong> Spring check" in out.read_text(encoding="utf-8")
        assert f"to {out} (print it on A4)" in capsys.readouterr().out

    def test_unknown_round_and_product_without_questions(self, sample_workspace: Path, tmp_path: Path, capsys) -> None:
        argv = ["preread", "E06000045", "--workspace", str(sample_workspace), "--out", str(tmp_path / "x.html")]
        assert main([*argv, "--product", "3", "--round", "nope"]) == 1
        assert "round" in capsys.readouterr().err
        assert main([*argv, "--product", "5"]) == 1
        assert "pre-reads exist for products 2, 3" in capsys.readouterr().err
        assert not (tmp_path / "x.html").exists()
