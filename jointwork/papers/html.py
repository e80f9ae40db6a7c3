"""The short report as one HTML page (``report.html``): readable on screen, print-ready on A4.

Rendered from the report's document parts (never from a view's markup): every text escaped, charts as
the SVG the views drew (with their title and description), tables with their header row repeated on
each printed page and wrapped to the page width (narrower type for wide tables) so that no column is
ever cut off. Self-contained: no script, no file or font fetched from anywhere.
"""

from __future__ import annotations

import numbers
from typing import Any

from ..render import document as doc
from ..render.display import esc
from .report import Report, area_report

MEDIA_TYPE = "text/html; charset=utf-8"
WIDE_COLUMNS = 6  # a table with more columns than this is set in smaller type
#: A cell holding a word longer than this (an address, say) may break it anywhere; other cells break
#: only between words, so that short columns ("Rank") keep their words whole and the table stays on the page.
LONG_WORD = 24

STYLE = """
@page { size: A4; margin: 12mm 12mm 14mm 12mm; }
html { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; color: #0b0c0c; line-height: 1.35; }
body { max-width: 52em; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.8em; margin: 0 0 .2em; }
h2 { font-size: 1.45em; border-bottom: 2px solid #12436d; padding-bottom: .1em; margin-top: 1.4em; }
h3 { font-size: 1.2em; margin-top: 1.1em; }
h4, h5, h6 { font-size: 1em; margin: .9em 0 .3em; }
h2, h3, h4, h5, h6, caption { break-after: avoid; page-break-after: avoid; }
p.subtitle { color: #505a5f; margin: 0; }
.notice { border-left: 4px solid #12436d; padding: .2em .7em; margin: .5em 0; }
.notice.warning { border-color: #f46a25; }
.notice.error { border-color: #801650; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 .9em; font-size: .9em; }
table.wide { font-size: .78em; }
caption { text-align: left; font-weight: bold; padding: .2em 0; }
th, td { border: 1px solid #b1b4b6; padding: .2em .35em; text-align: left; vertical-align: top;
         overflow-wrap: break-word; hyphens: auto; }
td.long { overflow-wrap: anywhere; }
th { background: #f3f2f1; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
figure { margin: .6em 0 1em; break-inside: avoid; page-break-inside: avoid; }
figure svg { max-width: 100%; height: auto; }
figcaption { font-weight: bold; }
nav.contents ol { padding-left: 1.4em; }
footer { margin-top: 2em; font-size: .85em; color: #505a5f; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  h2 { margin-top: 1.1em; }
  footer { margin-top: .8em; }
  a { color: inherit; text-decoration: none; }
}
"""


def _id(*numbers_: int) -> str:
    return "s" + "-".join(str(n) for n in numbers_)


def part_html(part: doc.Part, heading_level: int | None = None) -> str:
    """One document part as markup, every text escaped (a heading at ``heading_level``, default its own)."""
    if isinstance(part, doc.Heading):
        level = min(6, max(1, heading_level or part.level))
        return f"<h{level}>{esc(part.text)}</h{level}>"
    if isinstance(part, doc.Paragraph):
        return f"<p>{esc(part.text)}</p>"
    if isinstance(part, doc.Notice):
        return f'<div class="notice {esc(part.kind)}" role="note">{esc(part.text)}</div>'
    if isinstance(part, doc.Bullets):
        return "<ul>" + "".join(f"<li>{esc(item)}</li>" for item in part.items) + "</ul>"
    if isinstance(part, doc.Table):
        return table_html(part)
    if isinstance(part, doc.Chart):
        return chart_html(part)
    return "".join(f"<p>{esc(line)}</p>" for line in part.text.splitlines() if line.strip())


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


def cell_text(value: Any) -> str:
    """A cell's text: empty for None, one decimal place for a fraction, as written otherwise."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _cell_class(value: Any) -> str:
    if _is_number(value):
        return " class=number"
    return " class=long" if any(len(word) > LONG_WORD for word in cell_text(value).split()) else ""


def table_html(table: doc.Table) -> str:
    """A table with its caption and a header row that repeats on each printed page."""
    if not table.rows:
        return f"<p><strong>{esc(table.caption)}</strong>: {esc(table.empty)}</p>"
    wide = ' class="wide"' if len(table.columns) > WIDE_COLUMNS else ""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in table.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td{_cell_class(row.get(c))}>{esc(cell_text(row.get(c)))}</td>" for c in table.columns)
        + "</tr>"
        for row in table.rows
    )
    return (
        f"<table{wide}><caption>{esc(table.caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def chart_html(chart: doc.Chart) -> str:
    """A chart as its SVG (drawn and escaped by :mod:`jointwork.render.charts`) with its title and
    description; a chart without a drawing (a diagram) as its data table."""
    if chart.kind == "diagram" or not chart.svg:
        return f"<p>{esc(chart.title)}. {esc(chart.description)}</p>" + table_html(chart.data)
    return f"<figure><figcaption>{esc(chart.title)}</figcaption>{chart.svg}<p>{esc(chart.description)}</p></figure>"


def report_markup(report: Report) -> str:
    """The report as a complete HTML page."""
    contents = "".join(
        f'<li><a href="#{_id(i)}">{esc(section.title)}</a></li>' for i, section in enumerate(report.sections, 1)
    )
    body = []
    for i, section in enumerate(report.sections, 1):
        body.append(f'<section><h2 id="{_id(i)}">{esc(section.title)}</h2>')
        for j, block in enumerate(section.blocks, 1):
            body.append(f'<h3 id="{_id(i, j)}">{esc(block.title)}</h3>')
            body.extend(  # the block's own headings from h4 down
                part_html(part, 3 + block.depth(part) if isinstance(part, doc.Heading) else None)
                for part in block.parts
            )
        body.append("</section>")
    subtitle = "".join(f'<p class="subtitle">{esc(line)}</p>' for line in report.subtitle)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(report.title)}</title><style>{STYLE}</style></head><body>"
        f"<header><h1>{esc(report.title)}</h1>{subtitle}</header>"
        f'<nav class="contents" aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>{contents}</ol></nav>'
        f"<main>{''.join(body)}</main><footer><p>{esc(report.attribution)}</p></footer></body></html>\n"
    )


def report_html(area: Any, plan: Any, responses: Any = None) -> bytes:
    """The area's ``report.html`` as UTF-8 bytes (``plan`` None: no plan saved yet)."""
    return report_markup(area_report(area, plan, responses)).encode("utf-8")
