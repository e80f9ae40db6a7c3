"""Word documents (python-docx) from document parts: the short report ``report.docx``, and the pieces
the agreement (:mod:`.agreement`) is made of.

What makes them work as Word documents: Word's own heading styles (so the navigation pane and the
table of contents field work), a table of contents field Word fills in when the document opens,
tables with a header row that repeats on each page and columns sized to fit the page, charts as
images (:mod:`.figures`) with alternative text, A4 pages numbered in the footer, and the
attribution line. Every text is written as text: nothing typed is read as markup or as a field.
"""

from __future__ import annotations

import io
import numbers
import weakref
from typing import Any

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from ..render import document as doc
from . import figures
from .report import Report, area_report

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MARGIN_MM = 20
TEXT_WIDTH_MM = 210 - 2 * MARGIN_MM
WIDE_COLUMNS = 6  # tables with more columns than this are set in smaller type
NOTICE_LABELS = {"info": "Note", "warning": "Please note", "error": "Problem"}


# ---- the document ----------------------------------------------------------------------------
def new_document(title: str, footer_text: str) -> WordDocument:
    """A blank A4 document with 2 cm margins, Arial, the title in its properties and page numbers
    ("<footer_text> - page N of M") in the footer."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10.5)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Arial")
    for name in ("Title", *(f"Heading {n}" for n in range(1, 7))):
        style = document.styles[name]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
    document.core_properties.title = title
    document.core_properties.author = "jointwork"
    footer = section.footer.paragraphs[0]
    footer.style = document.styles["Footer"]
    footer.add_run(f"{footer_text} - page ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    add_field(footer, "NUMPAGES", "1")
    return document


def add_field(paragraph: Any, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES, TOC ...) in ``paragraph``, showing ``shown`` until Word updates it."""

    def char(kind: str) -> Any:
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(char("begin"))
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    paragraph.add_run()._r.append(code)
    paragraph.add_run()._r.append(char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(char("end"))


def add_contents(document: WordDocument) -> Any:
    """A table of contents field over headings 1 to 3, which Word fills in when the document opens;
    returns the field's paragraph, for :func:`list_contents` to fill in once the headings are written."""
    add_paragraph(document, "Contents", "TOC Heading")
    paragraph = document.add_paragraph()
    add_field(
        paragraph,
        'TOC \\o "1-3" \\h \\z \\u',
        "The table of contents appears when Word updates the fields (it offers to when the document opens).",
    )
    update = OxmlElement("w:updateFields")
    update.set(qn("w:val"), "true")
    document.settings.element.append(update)
    return paragraph


CONTENTS_LEVELS = ("Heading 1", "Heading 2", "Heading 3")


def list_contents(document: WordDocument, field: Any) -> None:
    """Show the document's headings 1 to 3 as the contents field's result, indented by level and without
    page numbers, so that a reader whose program does not update fields still sees the contents; Word
    replaces them with its own table, page numbers included, when it updates the field."""
    levels = {style_id(document, name): n for n, name in enumerate(CONTENTS_LEVELS, 1)}
    entries = [
        (levels[p.style], "".join(t.text or "" for t in p.iter(qn("w:t"))))
        for p in document.element.body.iter(qn("w:p"))
        if p.style in levels
    ]
    if not entries:
        return
    shown, end = field.runs[-2], field.runs[-1]  # the placeholder text, then the field's end mark

    def indent(paragraph: Any, level: int) -> None:
        paragraph.paragraph_format.left_indent = Mm(6 * (level - 1))
        paragraph.paragraph_format.space_after = Pt(2)

    shown.text = entries[0][1]
    indent(field, entries[0][0])
    paragraph = field
    for level, text in entries[1:]:
        new = OxmlElement("w:p")
        paragraph._p.addnext(new)
        paragraph = Paragraph(new, field._parent)
        paragraph.add_run(text)
        indent(paragraph, level)
    paragraph._p.append(end._r)  # the field ends after the last entry


#: Each open document's paragraph style ids by style name (python-docx searches every style for each lookup).
_STYLE_IDS: weakref.WeakKeyDictionary[Any, dict[str, str | None]] = weakref.WeakKeyDictionary()


def add_paragraph(document: WordDocument, text: str = "", style: str | None = None) -> Any:
    """``document.add_paragraph(text, style)``, the style's id found once per document."""
    paragraph = document.add_paragraph(text)
    if style is not None:
        paragraph._p.style = style_id(document, style)
    return paragraph


def style_id(document: WordDocument, style: str) -> str | None:
    """The id of the paragraph style named ``style`` in ``document`` (found once per document)."""
    ids = _STYLE_IDS.setdefault(document.part, {})
    if style not in ids:
        ids[style] = document.part.get_style_id(style, WD_STYLE_TYPE.PARAGRAPH)
    return ids[style]


def add_heading(document: WordDocument, text: str, level: int) -> Any:
    """``document.add_heading(text, level)``: the title at level 0, else Word's "Heading <level>" (1 to 9)."""
    if not 0 <= level <= 9:
        raise ValueError(f"a heading's level is 0 to 9, not {level}")
    return add_paragraph(document, text, "Title" if level == 0 else f"Heading {level}")


def to_bytes(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---- parts -----------------------------------------------------------------------------------
def add_part(document: WordDocument, part: doc.Part, heading_level: int | None = None) -> None:
    """One document part, in Word's own styles (a heading at ``heading_level``, default its own level)."""
    if isinstance(part, doc.Heading):
        add_heading(document, part.text, min(9, max(1, heading_level or part.level)))
    elif isinstance(part, doc.Paragraph):
        add_text(document, part.text)
    elif isinstance(part, doc.Notice):
        paragraph = add_paragraph(document, style="Intense Quote")
        paragraph.add_run(f"{NOTICE_LABELS.get(part.kind, 'Note')}: ").bold = True
        paragraph.add_run(part.text)
    elif isinstance(part, doc.Bullets):
        for item in part.items:
            add_paragraph(document, item, "List Bullet")
    elif isinstance(part, doc.Table):
        add_table(document, part)
    elif isinstance(part, doc.Chart):
        add_chart(document, part)
    else:
        add_text(document, part.text)


def add_text(document: WordDocument, text: str) -> None:
    """Text as paragraphs, one for each of its lines."""
    for line in text.splitlines() or [text]:
        if line.strip():
            document.add_paragraph(line.strip())


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def column_widths(table: doc.Table, total_mm: float = TEXT_WIDTH_MM - 0.5, char_mm: float = 1.75) -> list[float]:
    """Column widths in mm that fill the text width (less half a millimetre for Word's rounding).

    Each column first gets room for its longest word (so that no word is split across lines, if the
    page allows), then a share of what is left in proportion to how much more its cells have to say.
    ``char_mm`` is the width of an average character of the table's type.
    """
    least, wanted = [], []
    for column in table.columns:
        texts = [str(column)] + [cell_text(row.get(column)) for row in table.rows]
        longest_word = max((len(word) for text in texts for word in text.split()), default=1)
        lengths = sorted(len(text) for text in texts[1:])
        typical = lengths[len(lengths) * 3 // 4] if lengths else 0
        least.append(min(longest_word, 24) * char_mm + 3.2)
        wanted.append(max(min(typical, 70) * char_mm + 3.2, least[-1]))
    if sum(least) >= total_mm:
        return [w * total_mm / sum(least) for w in least]
    spare = total_mm - sum(least)
    extra = [w - m for w, m in zip(wanted, least, strict=True)]
    if sum(extra) <= spare:  # everything fits on one line: share out the rest evenly by what is wanted
        return [w * total_mm / sum(wanted) for w in wanted]
    return [m + spare * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def _repeat_header(row: Any) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    no_split = OxmlElement("w:cantSplit")
    no_split.set(qn("w:val"), "true")
    properties.append(no_split)


CELL_MARGIN_TWIPS = 68  # 1.2 mm each side of a cell's text (Word's default is 1.9 mm)


def _narrow_cell_margins(word_table: Any) -> None:
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(CELL_MARGIN_TWIPS))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    word_table._tbl.tblPr.append(margins)


def add_table(document: WordDocument, table: doc.Table) -> None:
    """The table's caption, then the table with a header row repeated on each page."""
    caption = add_paragraph(document, style="Caption")
    caption.paragraph_format.keep_with_next = True  # never a caption at the foot of a page, its table overleaf
    caption.add_run(table.caption).bold = True
    if not table.rows:
        document.add_paragraph(table.empty)
        return
    word_table = document.add_table(rows=1 + len(table.rows), cols=len(table.columns))
    word_table.style = document.styles["Table Grid"]
    word_table.alignment = WD_TABLE_ALIGNMENT.LEFT
    word_table.autofit = False
    _narrow_cell_margins(word_table)
    size = Pt(8) if len(table.columns) > WIDE_COLUMNS else Pt(9)
    char_mm = 1.75 if len(table.columns) > WIDE_COLUMNS else 1.95
    # rounded down, so never wider than the page
    widths = [Emu(int(w * 36000)) for w in column_widths(table, char_mm=char_mm)]
    _repeat_header(word_table.rows[0])
    for index, width in enumerate(widths):
        word_table.columns[index].width = width
    for r, row in enumerate([None, *table.rows]):
        cells = word_table.rows[r].cells
        for index, column in enumerate(table.columns):
            value = column if row is None else row.get(column)
            cell = cells[index]
            cell.width = widths[index]
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(cell_text(value))
            run.font.size = size
            run.bold = row is None
            if row is not None and isinstance(value, numbers.Number) and not isinstance(value, bool):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph()


def add_chart(document: WordDocument, chart: doc.Chart) -> None:
    """The chart as an image with alternative text and its description; one without a drawing
    (a diagram) as its data table."""
    if not figures.can_draw(chart):
        add_text(document, f"{chart.title}. {chart.description}")
        add_table(document, chart.data)
        return
    paragraph = document.add_paragraph()
    shape = paragraph.add_run().add_picture(io.BytesIO(figures.chart_png(chart)), width=Mm(figures.WIDTH_IN * 25.4))
    properties = shape._inline.docPr
    properties.set("descr", figures.alt_text(chart))
    properties.set("title", chart.title)
    description = add_paragraph(document, style="Caption")
    description.add_run(chart.description)


# ---- the report ------------------------------------------------------------------------------
def report_document(report: Report) -> WordDocument:
    """The short report as a Word document."""
    document = new_document(report.title, report.title)
    add_heading(document, report.title, 0)
    for line in report.subtitle:
        add_paragraph(document, line, "Subtitle")
    contents = add_contents(document)
    for section in report.sections:
        add_heading(document, section.title, 1)
        for block in section.blocks:
            add_heading(document, block.title, 2)
            for part in block.parts:  # the block's own headings from Heading 3 down
                add_part(document, part, 2 + block.depth(part) if isinstance(part, doc.Heading) else None)
    attribution = document.add_paragraph()
    attribution.add_run(report.attribution).font.size = Pt(9)
    list_contents(document, contents)
    return document


def report_docx(area: Any, plan: Any, responses: Any = None) -> bytes:
    """The area's ``report.docx`` as bytes (``plan`` None: no plan saved yet)."""
    return to_bytes(report_document(area_report(area, plan, responses)))
