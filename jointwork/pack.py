"""Offline HTML packs: an area's executed product notebooks joined in one page, code hidden.

The pack is rendered here from the notebooks' static outputs (HTML, SVG, images as data: URIs,
Markdown, text), not by nbconvert's templates, so it is fast enough to build inside each batch
worker and contains no JavaScript and nothing fetched from the internet: it reads the same
offline, from a USB stick or an email attachment. :func:`offline_problems` checks that.

Functions:

* :func:`render_notebook` turns one executed notebook into a :class:`Section`;
* :func:`area_pack` writes an area's page (contents, one section per product, attribution);
* :func:`index_page` and :func:`summary_page` write the pages over all areas.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from .display import ATTRIBUTION

#: Bump when the pack's markup changes, so batch runs rebuild packs that are otherwise up to date.
PACK_FORMAT = 1

HIDDEN_TAGS = {"parameters", "injected-parameters", "papermill-error-cell-tag", "remove-cell", "remove_cell",
               "remove-output", "remove_output"}
# Richest static representation first; JavaScript and widget views are never used.
MIME_ORDER = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/plain")

CSS = """
body{font-family:Arial,Helvetica,sans-serif;line-height:1.45;color:#0b0c0c;margin:0 auto;max-width:1100px;padding:0 16px 40px}
header{border-bottom:4px solid #12436D;margin-bottom:12px}
nav ol{padding-left:1.4em} nav li{margin:3px 0}
section.product{border-top:2px solid #ccc;margin-top:28px;padding-top:6px}
table{border-collapse:collapse;margin:8px 0;font-size:14px} caption{text-align:left;font-weight:bold;padding:4px 0}
th,td{border:1px solid #b1b4b6;padding:4px 6px;vertical-align:top;text-align:left}
th{background:#f3f2f1}
pre{white-space:pre-wrap;background:#f8f8f8;padding:6px;border:1px solid #ddd}
.jw-failed{border-left:4px solid #801650;padding:4px 10px;margin:8px 0;background:#fbeef3}
.jw-status{font-size:smaller;color:#505a5f}
.skip{position:absolute;left:-999px} .skip:focus{left:8px;top:8px;background:#ffdd00}
footer{border-top:1px solid #ccc;margin-top:32px;font-size:smaller}
svg{max-width:100%;height:auto}
@media print{nav{page-break-after:always} section.product{page-break-before:always}}
"""

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>|<script\b[^>]*/>", re.I | re.S)
_LINK = re.compile(r"<link\b[^>]*>", re.I)
_EVENT_ATTR = re.compile(r"""\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_JS_URL = re.compile(r"""(href|src)\s*=\s*(["'])\s*javascript:[^"']*\2""", re.I)
_EXTERNAL = re.compile(r"^\s*(https?:|ftp:|//)", re.I)
_FETCHING_TAGS = {"script", "link", "img", "iframe", "frame", "embed", "object", "source", "audio", "video",
                  "track", "image", "use", "input"}
_FETCHING_ATTRS = {"src", "href", "data", "srcset", "poster", "xlink:href", "background"}


@dataclass
class Section:
    """One product's part of a pack."""

    number: int
    title: str
    body: str
    notebook: str = ""
    failed: bool = False
    error: str = ""

    @property
    def anchor(self) -> str:
        return f"product-{self.number}"


@dataclass
class PackEntry:
    """A product listed in a pack's contents without a section (not run, not available...)."""

    number: int
    title: str
    note: str


# ---- safety -------------------------------------------------------------------------------
class _FetchFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.problems.append("<script> tag (packs carry no JavaScript)")
        if tag in _FETCHING_TAGS:
            for name, value in attrs:
                if name in _FETCHING_ATTRS and value and any(_EXTERNAL.match(v) for v in value.split(",")):
                    self.problems.append(f"<{tag} {name}={value!r}> fetches from the internet")
        for name, value in attrs:
            if name == "style" and value and re.search(r"url\(\s*['\"]?\s*(https?:|//)", value, re.I):
                self.problems.append(f"<{tag} style> loads {value!r}")

    handle_startendtag = handle_starttag

    def handle_data(self, data: str) -> None:
        if re.search(r"@import|url\(\s*['\"]?\s*(https?:|//)", data, re.I) and self.lasttag == "style":
            self.problems.append("a stylesheet that loads from the internet")


def offline_problems(markup: str) -> list[str]:
    """Why ``markup`` would not read offline: scripts, and tags or styles that fetch http(s) URLs."""
    finder = _FetchFinder()
    finder.feed(markup)
    finder.close()
    return finder.problems


def make_static(markup: str) -> str:
    """Remove scripts, <link> tags, event handlers and javascript: URLs, and tags that fetch from the web."""
    markup = _SCRIPT.sub("", markup)
    markup = _LINK.sub("", markup)
    markup = _EVENT_ATTR.sub("", markup)
    markup = _JS_URL.sub(r'\1="#"', markup)

    def drop_external(match: re.Match[str]) -> str:
        tag = match.group(0)
        return "" if re.search(r"""\s(src|data|srcset|poster)\s*=\s*["']?\s*(https?:|//)""", tag, re.I) else tag

    return re.sub(r"<(img|iframe|frame|embed|object|source|audio|video|track)\b[^>]*>", drop_external, markup,
                  flags=re.I)


# ---- notebooks to HTML ----------------------------------------------------------------------
def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _markdown(source: str) -> str:
    try:
        import mistune

        rendered = mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])(source)
    except Exception:  # mistune missing or too old: still readable
        rendered = f"<pre>{html.escape(source)}</pre>"
    return _demote(str(rendered))


def _demote(markup: str) -> str:
    # The page's own <h1> is the area and each product is an <h2>: a notebook's headings move down one level.
    return re.sub(r"<(/?)h([1-5])\b", lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", markup)


def _output_html(output: Mapping[str, Any]) -> str:
    kind = output.get("output_type")
    if kind == "stream":
        if output.get("name") != "stdout":
            return ""  # warnings and logs are for the analyst, not the pack's readers
        return f"<pre>{html.escape(_ANSI.sub('', _text(output.get('text', ''))))}</pre>"
    if kind == "error":
        return (f'<div class="jw-failed" role="alert"><strong>This part could not be produced.</strong> '
                f"{html.escape(str(output.get('ename', '')))}: "
                f"{html.escape(_ANSI.sub('', str(output.get('evalue', ''))))}</div>")
    data = output.get("data", {})
    for mime in MIME_ORDER:
        if mime not in data:
            continue
        value = _text(data[mime])
        if mime == "text/html":
            return make_static(_demote(value))
        if mime == "image/svg+xml":
            return make_static(value)
        if mime.startswith("image/"):
            alt = html.escape(_text(data.get("text/plain", "chart")).strip("<>"))
            return f'<img alt="{alt}" src="data:{mime};base64,{value.strip()}">'
        if mime == "text/markdown":
            return make_static(_markdown(value))
        if mime == "text/plain":
            if "application/vnd.jupyter.widget-view+json" in data:
                return ""  # a widget's text stand-in says nothing to a reader
            return f"<pre>{html.escape(_ANSI.sub('', value))}</pre>"
    return ""


def render_notebook(nb: Mapping[str, Any], number: int, title: str, notebook: str = "") -> Section:
    """One executed notebook as a pack section: Markdown and static outputs, code hidden."""
    parts: list[str] = []
    failed, error = False, ""
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & HIDDEN_TAGS:
            continue
        if cell.get("cell_type") == "markdown":
            parts.append(make_static(_markdown(_text(cell.get("source", "")))))
        elif cell.get("cell_type") == "code":
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error" and not failed:
                    failed = True
                    error = f"{output.get('ename')}: {_ANSI.sub('', str(output.get('evalue', '')))}"
                parts.append(_output_html(output))
    return Section(number, title, "\n".join(p for p in parts if p), notebook, failed, error)


# ---- pages ------------------------------------------------------------------------------------
def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def page(title: str, body: str, *, up: str | None = None) -> str:
    """A complete, self-contained HTML page (inline CSS, no scripts, no external resources)."""
    from . import __version__

    back = f'<p><a href="{esc(up)}">All areas</a></p>' if up else ""
    markup = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
              f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
              f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
              f'<a class="skip" href="#main">Skip to main content</a>\n{back}\n{body}\n'
              f"<footer><p>{esc(ATTRIBUTION)}</p><p>Made with jointwork {esc(__version__)}. "
              f"Illustrative sample plans are made up to show the workbooks.</p></footer>\n</body>\n</html>\n")
    problems = offline_problems(markup)
    if problems:
        raise ValueError(f"the page '{title}' would not read offline: " + "; ".join(problems[:5]))
    return markup


def area_pack(path: str | Path, area_name: str, area_code: str, description: str,
              parts: Sequence[Section | PackEntry], *, up: str | None = "../index.html") -> Path:
    """Write an area's pack: a contents page, then one section per product."""
    items, sections = [], []
    for part in sorted(parts, key=lambda p: p.number):
        if isinstance(part, Section):
            flag = ' <span class="jw-status">(failed: see the section)</span>' if part.failed else ""
            items.append(f'<li><a href="#{part.anchor}">{part.number}. {esc(part.title)}</a>{flag}</li>')
            link = (f'<p class="jw-status">Executed notebook: <a href="{esc(part.notebook)}">{esc(part.notebook)}</a></p>'
                    if part.notebook else "")
            failed = (f'<div class="jw-failed" role="alert">This product did not run to the end: {esc(part.error)}</div>'
                      if part.failed else "")
            sections.append(f'<section class="product" id="{part.anchor}" aria-label="Product {part.number}">'
                            f"{failed}\n{part.body}\n{link}</section>")
        else:
            items.append(f'<li>{part.number}. {esc(part.title)} <span class="jw-status">({esc(part.note)})</span></li>')
    body = (f"<header><h1>{esc(area_name)} ({esc(area_code)})</h1><p>{esc(description)}</p>"
            f"<p>Joint working between the local authority and the NHS: the workbook's products for this area, "
            f"rendered from the area's saved plan.</p></header>\n"
            f'<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>{"".join(items)}</ol></nav>\n'
            f'<main id="main">\n' + "\n".join(sections) + "\n</main>")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page(f"{area_name}: joint working pack", body, up=up), encoding="utf-8")
    return target


def _table(rows: Iterable[Mapping[str, Any]], columns: Sequence[str], caption: str,
           links: Mapping[str, str] | None = None) -> str:
    links = links or {}
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = []
    for row in rows:
        cells = []
        for c in columns:
            value = esc(row.get(c))
            if c in links and row.get(links[c]):
                value = f'<a href="{esc(row[links[c]])}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f'<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def index_page(path: str | Path, rows: Sequence[Mapping[str, Any]], notes: Sequence[str] = ()) -> Path:
    """The page over all areas: one row per area with its pack, status and failures."""
    note_html = "".join(f"<li>{esc(n)}</li>" for n in notes)
    body = ("<header><h1>Joint working packs</h1><p>One pack per area. The cross-area summary is in "
            '<a href="summary.html">summary.html</a> (and <a href="summary.csv">summary.csv</a>).</p></header>\n'
            '<main id="main">' + (f"<h2>Notes</h2><ul>{note_html}</ul>" if note_html else "")
            + _table(rows, ["Area", "Code", "Region", "Plan", "Products", "Status"], f"{len(rows)} area(s)",
                     links={"Area": "href"}) + "</main>")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page("Joint working packs", body), encoding="utf-8")
    return target


def summary_page(path: str | Path, rows: Sequence[Mapping[str, Any]], columns: Sequence[str],
                 descriptions: Mapping[str, str] | None = None) -> Path:
    """The cross-area summary as an accessible HTML table (the same rows as summary.csv)."""
    explained = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in (descriptions or {}).items())
    body = ('<header><h1>Cross-area summary</h1><p><a href="index.html">All packs</a> · '
            '<a href="summary.csv">summary.csv</a></p></header>\n<main id="main">'
            + _table(rows, columns, f"{len(rows)} area(s)", links={"name": "pack"})
            + (f"<h2>Columns</h2><dl>{explained}</dl>" if explained else "") + "</main>")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(page("Joint working: cross-area summary", body), encoding="utf-8")
    return target
