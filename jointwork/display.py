"""Static, deterministic HTML for notebook outputs: the same in JupyterLab, batch runs and HTML packs."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

# Inline, so JupyterLab's right-aligned table cells do not make prose hard to read (Voila and packs too).
CELL_STYLE = "text-align:left;vertical-align:top"
ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence v3.0. "
               "Source: Office for National Statistics; Department for Education; OHID Fingertips.")


class Html:
    """A block of HTML that notebooks display as is (``text/html`` with a plain-text fallback)."""

    def __init__(self, markup: str, text: str | None = None) -> None:
        self.markup = markup
        self.text = text if text is not None else _strip_tags(markup)

    def _repr_html_(self) -> str:
        return self.markup

    def __repr__(self) -> str:
        return self.text

    def __add__(self, other: "Html") -> "Html":
        return Html(self.markup + "\n" + other.markup, self.text + "\n" + other.text)


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
    blocks = list(blocks)
    return Html("\n".join(b.markup for b in blocks), "\n".join(b.text for b in blocks))


def heading(text: str, level: int = 3) -> Html:
    return Html(f"<h{level}>{esc(text)}</h{level}>", text)


def paragraph(text: str) -> Html:
    return Html(f"<p>{esc(text)}</p>", text)


def notice(text: str, kind: str = "info") -> Html:
    """A highlighted note, e.g. that a plan is illustrative or still blank."""
    colours = {"info": "#12436D", "warning": "#F46A25", "error": "#801650"}
    return Html(f'<div role="note" style="border-left:4px solid {colours[kind]};padding:4px 10px;'
                f'margin:6px 0">{esc(text)}</div>', text)


def bullet_list(items: Sequence[str]) -> Html:
    inner = "".join(f"<li>{esc(i)}</li>" for i in items)
    return Html(f"<ul>{inner}</ul>", "\n".join(f"- {i}" for i in items))


def table(rows: Sequence[dict[str, Any]], caption: str, columns: Sequence[str] | None = None,
          empty: str = "Nothing recorded yet.", row_ids: Sequence[str] | None = None) -> Html:
    """An accessible HTML table (caption, header cells with scope) from a list of row dicts.

    Cells are escaped text, except :class:`Html` cells (a link, say), which are inserted as markup.
    ``row_ids`` gives each row an ``id`` that links elsewhere can point to.
    """
    if not rows:
        return Html(f"<p><strong>{esc(caption)}</strong>: {esc(empty)}</p>", f"{caption}: {empty}")
    columns = list(columns or rows[0].keys())
    head = "".join(f'<th scope="col" style="{CELL_STYLE}">{esc(c)}</th>' for c in columns)
    body = "".join((f'<tr id="{esc(row_ids[i])}">' if row_ids else "<tr>")
                   + "".join(f'<td style="{CELL_STYLE}">{_cell_markup(r.get(c))}</td>' for c in columns) + "</tr>"
                   for i, r in enumerate(rows))
    markup = (f'<table class="jw-table"><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>'
              f"<tbody>{body}</tbody></table>")
    text_rows = [" | ".join(columns)] + [" | ".join(_cell_text(r.get(c)) for c in columns) for r in rows]
    return Html(markup, caption + "\n" + "\n".join(text_rows))


def frame_table(frame: Any, caption: str, empty: str = "Nothing recorded yet.") -> Html:
    """:func:`table` for a pandas DataFrame (index dropped)."""
    return table(frame.to_dict("records"), caption, list(frame.columns), empty=empty)


def _cell_markup(value: Any) -> str:
    return value.markup if isinstance(value, Html) else esc(_cell(value))


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
