"""The short report (print view and Word) and the agreement (Word), opened and checked as a reader would."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
import yaml
from docx.oxml.ns import qn

from jointwork.core.areas import find_area
from jointwork.core.licence import ATTRIBUTION
from jointwork.papers import PAPERS, figures, get_paper
from jointwork.papers.agreement import SIGNATURE_LINES
from jointwork.papers.html import report_html
from jointwork.papers.report import area_report
from jointwork.papers.word import report_docx
from jointwork.products import PRODUCTS, Plan, get_product
from jointwork.render import document as doc

from conftest import FRESH_AREA, SAMPLES

SOUTHAMPTON = "E06000045"
agreement_docx = get_paper("agreement.docx").build
TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
TYPED = "<b>bold?</b> & =SUM(A1:A9)"


def sample_plan(**typed: str) -> Plan:
    data = yaml.safe_load((SAMPLES / f"{SOUTHAMPTON}.yaml").read_text(encoding="utf-8"))
    if "priority_why" in typed:
        data["health_priorities"]["priorities"][0]["why"] = typed["priority_why"]
    return Plan.model_validate(data)


def sample_responses():
    from jointwork.core.responses import ResponseStore

    return ResponseStore(SAMPLES.parent).area(SOUTHAMPTON)


def open_docx(data: bytes) -> docx.document.Document:
    assert data[:2] == b"PK", "a .docx file (a zip)"
    return docx.Document(io.BytesIO(data))


def all_text(document: docx.document.Document) -> str:
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(texts)


def headings(document: docx.document.Document) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


@pytest.fixture(scope="module")
def southampton_report() -> docx.document.Document:
    return open_docx(report_docx(find_area(SOUTHAMPTON), sample_plan(priority_why=TYPED), sample_responses()))


def test_the_report_has_word_headings_for_every_product_part(southampton_report) -> None:
    found = headings(southampton_report)
    assert found[0] == ("Title", "Southampton: joint working report")
    level_1 = [text for style, text in found if style == "Heading 1"]
    assert level_1 == ["The area"] + [p.short_title for p in PRODUCTS if p.report]
    level_2 = [text for style, text in found if style == "Heading 2"]
    for product in PRODUCTS:
        for part in product.report:
            assert part.title in level_2
    levels = [int(style.split()[1]) if style != "Title" else 0 for style, _ in found]
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), "no heading level is skipped"
    instructions = " ".join(e.text or "" for e in southampton_report.element.body.iter(qn("w:instrText")))
    assert "TOC" in instructions, "a table of contents field over the headings"


def contents_shown(document: docx.document.Document) -> list[tuple[float, str]]:
    """The table of contents field's result as it stands in the file: each line's indent (mm) and text."""
    lines: list[tuple[float, str]] = []
    state = "before"
    for paragraph in document.paragraphs:
        text = ""
        for element in paragraph._p.iter(qn("w:fldChar"), qn("w:instrText"), qn("w:t")):
            kind = element.get(qn("w:fldCharType"))
            if element.tag == qn("w:instrText") and "TOC" in (element.text or ""):
                state = "instruction"
            elif kind == "separate" and state == "instruction":
                state = "result"
            elif kind == "end" and state == "result":
                lines.append((paragraph.paragraph_format.left_indent or 0, text))
                return [(round(indent / 36000, 1), line) for indent, line in lines]
            elif element.tag == qn("w:t") and state == "result":
                text += element.text or ""
        if state == "result":
            lines.append((paragraph.paragraph_format.left_indent or 0, text))
    raise AssertionError("no complete table of contents field")


def test_the_contents_lists_the_headings_before_word_updates_it(southampton_report) -> None:
    shown = contents_shown(southampton_report)
    found = [
        (style, text)
        for style, text in headings(southampton_report)
        if style in ("Heading 1", "Heading 2", "Heading 3")
    ]
    assert [text for _, text in shown] == [text for _, text in found]
    assert [indent for indent, _ in shown] == [6.0 * (int(style.split()[1]) - 1) for style, _ in found]
    assert shown[0][1] == "The area" and len(shown) > 10


def test_the_report_says_where_the_area_is_and_what_kind_of_plan_it_is(southampton_report) -> None:
    text = all_text(southampton_report)
    area = find_area(SOUTHAMPTON)
    assert area.icb_names in text and area.region in text
    assert "illustrative" in text.lower()
    assert ATTRIBUTION in text


def test_report_tables_have_repeating_header_rows_that_fit_the_page(southampton_report) -> None:
    report = area_report(find_area(SOUTHAMPTON), sample_plan(), sample_responses())
    expected = [
        part
        for section in report.sections
        for block in section.blocks
        for part in block.parts
        if isinstance(part, doc.Table) and part.rows
    ]
    tables = southampton_report.tables
    assert len(tables) == len(expected) and len(tables) >= 10
    width = southampton_report.sections[0].page_width - 2 * southampton_report.sections[0].left_margin
    for table, part in zip(tables, expected, strict=True):
        header = table.rows[0]
        assert [c.text for c in header.cells] == list(part.columns)
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None, f"{part.caption}: header row repeats"
        assert sum(c.width for c in header.cells) <= width, f"{part.caption}: fits the text width"
        assert len(table.rows) == 1 + len(part.rows)


def test_report_charts_are_images_with_alternative_text(southampton_report) -> None:
    shapes = southampton_report.inline_shapes
    assert len(shapes) >= 5, "the area's figures, scores, grid, timeline and themes"
    for shape in shapes:
        alt = shape._inline.docPr.get("descr")
        assert alt and len(alt) > 40, "each chart says in words what it shows"
    titles = [shape._inline.docPr.get("title") for shape in shapes]
    assert any(t.startswith("Weakest factor") for t in titles), "active titles: the finding, not the topic"


def test_report_text_is_text_never_markup_or_contacts(southampton_report) -> None:
    text = all_text(southampton_report)
    assert TYPED in text, "what was typed is shown exactly"
    assert not [t for t in TAG.findall(text) if t not in ("<b>", "</b>")], "no raw HTML from the views"
    contacts = [s.contact for s in get_product(4).section_of(sample_plan()).stakeholders if s.contact]
    assert contacts and not [c for c in contacts if c in text], "contact details are left out"


def test_report_pages_are_a4_and_numbered(southampton_report) -> None:
    section = southampton_report.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    footer = section.footer.paragraphs[0]
    codes = " ".join(e.text for e in footer._p.iter(qn("w:instrText")))
    assert "PAGE" in codes and "NUMPAGES" in codes


def test_an_area_with_no_plan_gets_a_report_that_says_so() -> None:
    area = find_area(FRESH_AREA)
    document = open_docx(report_docx(area, None))
    text = all_text(document)
    assert "No plan has been saved for Birmingham" in text
    assert [t for s, t in headings(document) if s == "Heading 1"] == ["The area", get_product(2).short_title]
    assert ATTRIBUTION in text
    page = report_html(area, None).decode("utf-8")
    assert "No plan has been saved for Birmingham" in page and "<script" not in page


def test_the_agreement_has_a_signature_block_for_each_signatory() -> None:
    plan = sample_plan()
    saved = get_product(6).section_of(plan)
    document = open_docx(agreement_docx(find_area(SOUTHAMPTON), plan))
    found = headings(document)
    assert found[0] == ("Title", saved.agreement_title)
    after = [t for s, t in found[[t for _, t in found].index("Signatures") + 1 :] if s == "Heading 2"]
    assert after == list(saved.signatories) and len(after) == 3
    blocks = document.tables[-len(saved.signatories) :]
    for table in blocks:
        assert [row.cells[0].text for row in table.rows] == list(SIGNATURE_LINES)
        assert all(not row.cells[1].text for row in table.rows), "left blank to sign"
    text = all_text(document)
    assert "DRAFT" in text and "ILLUSTRATIVE" in text and "Our commitment:" in text
    assert not TAG.findall(text)


def test_no_agreement_yet_is_said_in_the_agreement() -> None:
    area = find_area(FRESH_AREA)
    for plan in (None, Plan(area_code=FRESH_AREA)):
        text = all_text(open_docx(agreement_docx(area, plan)))
        assert "nothing to sign" in text and "No signatories are named yet" in text
        assert "Birmingham local authority" in text, "the parties come from the area tables"


def test_the_print_view_is_one_escaped_page_with_repeating_table_headers() -> None:
    page = report_html(find_area(SOUTHAMPTON), sample_plan(priority_why=TYPED), sample_responses()).decode("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4" in page
    assert "&lt;b&gt;bold?&lt;/b&gt; &amp; =SUM(A1:A9)" in page and "<b>bold?" not in page
    assert "<script" not in page and "http://" not in page.split("<main>")[0], "nothing fetched"
    assert page.count("<thead>") >= 10 and "thead { display: table-header-group; }" in page
    for product in PRODUCTS:
        if product.report:
            assert f">{product.short_title}</h2>" in page.replace("&#x27;", "'")
    assert page.count("<svg") >= 5


def test_charts_are_drawn_in_the_analysis_function_palette() -> None:
    from afcharts.af_colours import get_af_colours

    assert figures.palette(2) == list(get_af_colours("duo"))
    assert figures.palette(3) == list(get_af_colours("categorical"))[:3]
    plan = sample_plan()
    charts = [
        part
        for product in PRODUCTS
        for report_part in product.report
        for part in report_part.show(plan, sample_responses()).parts
        if isinstance(part, doc.Chart)
    ]
    assert {c.kind for c in charts} >= {"bar", "quadrant", "timeline"}
    for chart in charts:
        png = figures.chart_png(chart)
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) < 250_000, "a small PNG"
    diagram = doc.Chart("diagram", "t", "d", doc.Table("t", (), ()))
    assert not figures.can_draw(diagram)
    with pytest.raises(ValueError, match="no data to draw"):
        figures.chart_png(diagram)


def test_the_papers_list_holds_the_report_and_agreement() -> None:
    names = [p.file_name for p in PAPERS]
    assert names[:3] == ["report.html", "report.docx", "agreement.docx"]
    assert get_paper("report.html").inline and not get_paper("report.docx").inline
    assert get_paper("agreement.docx").media_type.endswith("wordprocessingml.document")


def test_the_app_serves_the_report_and_agreement(sample_workspace: Path) -> None:
    from jointwork.app.downloads import make_download

    word = make_download(sample_workspace, SOUTHAMPTON, "report.docx")
    assert word.status == 200 and word.headers["Content-Disposition"] == 'attachment; filename="E06000045_report.docx"'
    assert "Southampton: joint working report" in all_text(open_docx(word.body))
    printed = make_download(sample_workspace, SOUTHAMPTON, "report.html")
    assert printed.status == 200 and printed.headers["Content-Disposition"].startswith("inline;")
    assert printed.headers["Content-Type"].startswith("text/html")
    agreement = make_download(sample_workspace, FRESH_AREA, "agreement.docx")
    assert agreement.status == 200 and "No plan has been saved" in all_text(open_docx(agreement.body))
    assert make_download(sample_workspace, "..%2F..%2F", "report.docx").status == 404
    assert make_download(sample_workspace, SOUTHAMPTON, "../plans/E06000045.yaml").status == 404
    assert not list(sample_workspace.rglob("*.docx")) and not list(sample_workspace.rglob("*.html"))
