"""The Word report printed to PDF by LibreOffice (headless): how many pages, and no table cut off.

Needs LibreOffice (Debian's ``libreoffice-writer-nogui``) and ``pdftotext`` (``poppler-utils``); the
test skips, saying so, where either is missing (``make test`` does not install them).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from jointwork.core.areas import find_area
from jointwork.papers.report import area_report
from jointwork.papers.word import WIDE_COLUMNS, report_docx
from jointwork.products import Plan
from jointwork.render import document as doc

from conftest import FRESH_AREA, SAMPLES

SOUTHAMPTON = "E06000045"
MAX_PAGES = 12  # "at most about 10 pages" for a sample plan
RIGHT_MARGIN_PT = 20 / 25.4 * 72  # new_document's 20 mm margins, in points


def tool(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip(f"{' or '.join(names)} is not installed (apt-get install libreoffice-writer-nogui poppler-utils)")


def to_pdf(docx: bytes, folder: Path) -> Path:
    office = tool("soffice", "libreoffice")
    tool("pdftotext")
    source = folder / "report.docx"
    source.write_bytes(docx)
    profile = (folder / "profile").as_uri()  # its own profile: never the user's, never shared with a running one
    subprocess.run(
        [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", str(folder),
         str(source)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    return folder / "report.pdf"


def words_with_boxes(pdf: Path) -> tuple[list[tuple[float, float, str]], float]:
    """Each word's right edge and page width, from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', out).group(1))
    words = [(float(x), width, w) for x, w in re.findall(r'xMax="([\d.]+)"[^>]*>([^<]*)</word>', out)]
    return words, width


def page_count(pdf: Path) -> int:
    info = (
        subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout if shutil.which("pdfinfo") else ""
    )
    found = re.search(r"Pages:\s+(\d+)", info)
    if found:
        return int(found.group(1))
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.count("\f")


def plain(text: str) -> str:
    """Text with its spacing made single and hyphens left out (pdftotext joins a word broken at a hyphen)."""
    return " ".join(text.replace("-", " ").split())


def sample_responses():
    from jointwork.core.responses import ResponseStore

    return ResponseStore(SAMPLES.parent).area(SOUTHAMPTON)


def sample_plan() -> Plan:
    return Plan.model_validate(yaml.safe_load((SAMPLES / f"{SOUTHAMPTON}.yaml").read_text(encoding="utf-8")))


def test_the_sample_report_prints_on_a_few_pages_with_no_table_cut_off(tmp_path: Path) -> None:
    area, plan = find_area(SOUTHAMPTON), sample_plan()
    pdf = to_pdf(report_docx(area, plan, sample_responses()), tmp_path)
    pages = page_count(pdf)
    assert 3 <= pages <= MAX_PAGES, f"{pages} pages"
    words, width = words_with_boxes(pdf)
    beyond = [w for x, _, w in words if x > width - RIGHT_MARGIN_PT + 1]
    assert not beyond, f"text runs past the right margin: {beyond[:10]}"
    text = plain(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    report = area_report(area, plan, sample_responses())
    wide = [
        part
        for section in report.sections
        for block in section.blocks
        for part in block.parts
        if isinstance(part, doc.Table) and part.rows and len(part.columns) > WIDE_COLUMNS
    ]
    assert len(wide) >= 3, "the sample has wide tables to check"
    printed = {w for _, _, w in words}
    for table in wide:
        last = str(table.columns[-1]).split()
        missing = [w for w in last if w not in printed]
        assert not missing, f"{table.caption}: its last column ({' '.join(last)!r}) is printed, each word whole"
    assert plain(report.title) in text


def test_the_report_of_an_area_with_no_plan_prints_on_two_pages_or_so(tmp_path: Path) -> None:
    area = find_area(FRESH_AREA)
    pdf = to_pdf(report_docx(area, None), tmp_path)
    assert 1 <= page_count(pdf) <= 4
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    assert f"No plan has been saved for {area.name}" in text


def test_the_print_view_prints_on_a4_with_no_text_past_the_margin(tmp_path: Path) -> None:
    """report.html printed by Chromium (headless), as a reader's browser prints it."""
    from jointwork.papers.html import report_html

    browser = tool("chromium", "chromium-browser")
    tool("pdftotext")
    page = tmp_path / "report.html"
    page.write_bytes(report_html(find_area(SOUTHAMPTON), sample_plan(), sample_responses()))
    pdf = tmp_path / "printed.pdf"
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--user-data-dir={tmp_path / 'chromium'}", f"--print-to-pdf={pdf}", page.as_uri()],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    assert 3 <= page_count(pdf) <= MAX_PAGES
    words, width = words_with_boxes(pdf)
    assert round(width) == 595, "A4"
    margin = 12 / 25.4 * 72  # the print view's @page side margins
    assert not [w for x, _, w in words if x > width - margin + 1], "no text past the right margin"
    text = plain(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout)
    assert plain("Engagement action") in text and plain("What they said") in text
