"""Static, deterministic HTML for notebook outputs: the same in JupyterLab, batch runs and HTML packs."""

from __future__ import annotations

import html
import numbers
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..core.licence import ATTRIBUTION
from . import document as doc

if TYPE_CHECKING:
    from ..core.content import ProductContent

# Inline, so JupyterLab's right-aligned table cells do not make prose hard to read (Voila and packs too).
CELL_STYLE = "text-align:left;vertical-align:top"
# Numbers line up on the right, in figures of equal width, as GOV.UK and Analysis Function tables do.
NUMBER_STYLE = "text-align:right;vertical-align:top;font-variant-numeric:tabular-nums;padding-left:1em"


class Html:
    """A block of HTML that notebooks display as is (``text/html`` with a plain-text fallback).

    ``parts`` are the structured parts it was built from (see :mod:`jointwork.render.document`), for
    the outputs that are not HTML; markup written by hand carries its text as one part.
    """

    def __init__(self, markup: str, text: str | None = None, parts: Sequence[doc.Part] | None = None) -> None:
        self.markup = markup
        self.text = text if text is not None else _strip_tags(markup)
        self.parts: tuple[doc.Part, ...] = (
            tuple(parts) if parts is not None else ((doc.Text(self.text),) if self.text else ())
        )

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + "\n" + other.markup, self.text + "\n" + other.text, self.parts + other.parts)


def _strip_tags(markup: str) -> str:
    import re

    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", markup, flags=re.S)
    text = re.sub(r"<br\s*/?>|</(p|li|tr|h\d|div|caption)>", "\n", text)
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\n\s*\n+", "\n", text)
    return html.unescape(text).strip()


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def join(blocks: Iterable[Html]) -> Html:
    """Several blocks as one, in order."""
    blocks = list(blocks)
    return Html(
        "\n".join(b.markup for b in blocks),
        "\n".join(b.text for b in blocks),
        tuple(p for b in blocks for p in b.parts),
    )


def heading(text: str, level: int = 3) -> Html:
    """A heading (level 2 to 6; a notebook's own headings sit above level 3)."""
    return Html(f"<h{level}>{esc(text)}</h{level}>", text, (doc.Heading(text, level),))


def paragraph(text: str) -> Html:
    """A paragraph of plain text (escaped)."""
    return Html(f"<p>{esc(text)}</p>", text, (doc.Paragraph(text),))


def notice(text: str, kind: str = "info") -> Html:
    """A highlighted note, e.g. that a plan is illustrative or still blank."""
    colours = {"info": "#12436D", "warning": "#F46A25", "error": "#801650"}
    return Html(
        f'<div role="note" style="border-left:4px solid {colours[kind]};padding:4px 10px;'
        f'margin:6px 0">{esc(text)}</div>',
        text,
        (doc.Notice(text, kind),),
    )


def bullet_list(items: Sequence[str]) -> Html:
    inner = "".join(f"<li>{esc(i)}</li>" for i in items)
    return Html(f"<ul>{inner}</ul>", "\n".join(f"- {i}" for i in items), (doc.Bullets(tuple(items)),))


def table(
    rows: Sequence[dict[str, Any]],
    caption: str,
    columns: Sequence[str] | None = None,
    empty: str = "Nothing recorded yet.",
    row_ids: Sequence[str] | None = None,
) -> Html:
    """An accessible HTML table (caption, header cells with scope) from a list of row dicts.

    Cells are escaped text, except :class:`Html` cells (a link, say), which are inserted as markup.
    ``row_ids`` gives each row an ``id`` that links elsewhere can point to.
    """
    if not rows:
        return Html(
            f"<p><strong>{esc(caption)}</strong>: {esc(empty)}</p>",
            f"{caption}: {empty}",
            (doc.Table(caption, tuple(columns or ()), (), empty),),
        )
    columns = list(columns or rows[0].keys())
    style = {c: NUMBER_STYLE if _numeric(r.get(c) for r in rows) else CELL_STYLE for c in columns}
    head = "".join(f'<th scope="col" style="{style[c]}">{esc(c)}</th>' for c in columns)
    body = "".join(
        (f'<tr id="{esc(row_ids[i])}">' if row_ids else "<tr>")
        + "".join(f'<td style="{style[c]}">{_cell_markup(r.get(c))}</td>' for c in columns)
        + "</tr>"
        for i, r in enumerate(rows)
    )
    markup = (
        f'<table class="jw-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
    text_rows = [" | ".join(columns)] + [" | ".join(_cell_text(r.get(c)) for c in columns) for r in rows]
    plain = tuple({c: _cell_value(r.get(c)) for c in columns} for r in rows)
    return Html(markup, caption + "\n" + "\n".join(text_rows), (doc.Table(caption, tuple(columns), plain, empty),))


def frame_table(frame: Any, caption: str, empty: str = "Nothing recorded yet.") -> Html:
    """:func:`table` for a pandas DataFrame (index dropped)."""
    return table(frame.to_dict("records"), caption, list(frame.columns), empty=empty)


def _numeric(values: Iterable[Any]) -> bool:
    """Whether a column holds numbers: every value is a number or empty, and at least one is a number."""
    seen = False
    for value in values:
        if value is None or (isinstance(value, float) and value != value) or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, numbers.Number):
            return False
        seen = True
    return seen


def _cell_markup(value: Any) -> str:
    return value.markup if isinstance(value, Html) else esc(_cell(value))


def _cell_value(value: Any) -> Any:
    """A cell as plain data: numbers stay numbers, markup becomes its text, empty becomes None."""
    if isinstance(value, Html):
        return value.text
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        return _cell(value)
    return value


def _cell_text(value: Any) -> str:
    return value.text if isinstance(value, Html) else _cell(value)


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        return f"{value:.1f}"
    if hasattr(value, "value") and not isinstance(value, (str, int)):
        return str(value.value)
    return str(value)


def attribution() -> Html:
    return Html(f'<p style="font-size:smaller">{esc(ATTRIBUTION)}</p>', ATTRIBUTION)


def sources_table(content: ProductContent) -> Html:
    """Every source a product cites (publisher, title, year, address) and the data attribution."""
    rows = [
        {
            "Key": key,
            "Publisher": s.publisher,
            "Title": s.title,
            "Year": s.year or "no date",
            "Address": s.url or s.archived_url or "",
        }
        for key, s in content.sources.items()
    ]
    return table(rows, "Sources for this product") + attribution()
