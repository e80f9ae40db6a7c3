"""Offline HTML packs: an area's executed product notebooks joined in one page, code hidden.

The pack is rendered here from the notebooks' static outputs (HTML, SVG, images as data: URIs,
Markdown, text), not by nbconvert's templates, so it is fast enough to build inside each batch
worker and contains no JavaScript and nothing fetched from the internet: it reads the same
offline, from a USB stick or an email attachment. :func:`offline_problems` checks that.

The notebooks' outputs go into the pack exactly as they are: the views escape what a team typed,
so it shows as typed. An output fragment that holds anything active (found with an HTML parser)
is cleaned with nh3, that fragment only (:func:`clean_fragment`). The styles are
``static/pack.css``, inlined in each page.

Each fragment's check is kept (per process, by its text), so the fragments that are the same for
many areas (the Markdown, blank exercises) are parsed once per batch worker, and a page is checked
from the pieces it is joined from (:func:`offline_problems_in`) instead of being parsed again whole.

Functions:

* :func:`render_notebook` turns one executed notebook into a :class:`Section`;
* :func:`area_pack` writes an area's page (contents, one section per product, attribution);
* :func:`index_page` and :func:`summary_page` write the pages over all areas.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ..core.licence import ATTRIBUTION
from .display import Html, esc, table

#: Bump when the pack's markup changes, so batch runs rebuild packs that are otherwise up to date.
PACK_FORMAT = 2

HIDDEN_TAGS = {
    "parameters",
    "injected-parameters",
    "papermill-error-cell-tag",
    "remove-cell",
    "remove_cell",
    "remove-output",
    "remove_output",
}
# Richest static representation first; JavaScript and widget views are never used.
MIME_ORDER = ("text/html", "image/svg+xml", "image/png", "image/jpeg", "image/gif", "text/markdown", "text/plain")

STYLESHEET = Path(__file__).resolve().parent / "static" / "pack.css"

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Tags and attributes that run code, embed other documents or fetch something when a page opens.
_ACTIVE_TAGS = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "link", "portal"}
_URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "srcset",
    "poster",
    "background",
    "lowsrc",
    "xlink:href",
    "ping",
    "codebase",
    "cite",
}
# Attributes whose URL the browser fetches as soon as the page opens (any tag); href fetches on these tags.
_FETCHED_ATTRS = {"src", "srcset", "poster", "background", "lowsrc", "data", "codebase"}
_HREF_FETCHED = {"link", "image", "use", "feimage", "script", "base"}
_SCRIPT_SCHEMES = ("javascript:", "vbscript:", "livescript:")
_EXTERNAL = re.compile(r"^\s*(https?:|ftp:|//)", re.I)
_STYLE_FETCH = re.compile(r"@import|url\(\s*['\"]?\s*(https?:|//|javascript:)|expression\s*\(", re.I)
# What a cleaned fragment may keep: nh3's defaults, the attributes the notebooks' views use, and SVG charts.
_SVG_TAGS = {
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "title",
    "desc",
    "defs",
    "linearGradient",
    "stop",
    "clipPath",
    "marker",
}
_SVG_ATTRS = {
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "d",
    "points",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "opacity",
    "fill-opacity",
    "transform",
    "font-size",
    "font-family",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "xmlns",
    "preserveAspectRatio",
    "offset",
    "stop-color",
}
_GLOBAL_ATTRS = {
    "style",
    "class",
    "id",
    "title",
    "role",
    "lang",
    "dir",
    "scope",
    "colspan",
    "rowspan",
    "alt",
    "download",
}


@dataclass
class Section:
    """One product's part of a pack."""

    number: int
    title: str
    body: str
    notebook: str = ""
    failed: bool = False
    error: str = ""
    #: The pieces ``body`` was joined from (checked one by one when the page is, see :func:`offline_problems_in`).
    pieces: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        """The section's id in the page, e.g. ``product-3``."""
        return f"product-{self.number}"


@dataclass
class PackEntry:
    """A product listed in a pack's contents without a section (its notebook was not produced)."""

    number: int
    title: str
    note: str


# ---- what is active, and cleaning it --------------------------------------------------------
def _compact(value: str) -> str:
    """A URL as a browser reads its scheme: without spaces and control characters, lower case."""
    return "".join(ch for ch in value if ord(ch) > 32).casefold()


def _fetched(tag: str, name: str) -> bool:
    """Whether the browser fetches attribute ``name`` of ``tag`` as soon as the page opens."""
    return name in _FETCHED_ATTRS or (name in {"href", "xlink:href"} and tag in _HREF_FETCHED)


def _external(value: str) -> bool:
    return any(_EXTERNAL.match(candidate) for candidate in value.split(","))


class _ActiveFinder(HTMLParser):
    """Collects what in some markup runs code, embeds another document or fetches from the internet."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note an opening tag that is active or fetches, or an attribute that does."""
        if tag in _ACTIVE_TAGS:
            self.problems.append(f"<{tag}> tag (packs carry no scripts and embed no other documents)")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> runs a script")
            elif name in _URL_ATTRS and _compact(value).startswith(_SCRIPT_SCHEMES):
                self.problems.append(f"<{tag} {name}={value!r}> runs a script")
            if _fetched(tag, name) and _external(value):
                self.problems.append(f"<{tag} {name}={value!r}> fetches from the internet")
            if name == "style" and _STYLE_FETCH.search(value):
                self.problems.append(f"<{tag} style> loads {value!r}")
            if tag == "meta" and name == "http-equiv":
                self.problems.append(f"<meta http-equiv={value!r}> can reload or redirect the page")
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """A self-closing tag, checked as an opening tag."""
        self.handle_starttag(tag, attrs)
        self._in_style = False

    def handle_endtag(self, tag: str) -> None:
        """Leave a ``<style>`` block."""
        self._in_style = False

    def handle_data(self, data: str) -> None:
        """Note a stylesheet that loads from the internet."""
        if self._in_style and _STYLE_FETCH.search(data):
            self.problems.append("a stylesheet that loads from the internet")


def offline_problems(markup: str) -> list[str]:
    """Why ``markup`` is not a static page that reads offline: scripts, event handlers, javascript:
    URLs, embedded documents, and tags or styles that fetch from the internet (empty when none)."""
    found, settled = _piece_problems(markup)
    if settled:
        return list(found)
    finder = _ActiveFinder()
    finder.feed(markup)
    finder.close()
    return finder.problems


@lru_cache(maxsize=4096)
def _piece_problems(piece: str) -> tuple[tuple[str, ...], bool]:
    """What :func:`offline_problems` finds in ``piece``, and whether the parser ends it settled: nothing
    held back for more text and not inside a ``<script>`` or ``<style>``. A settled piece leaves the
    parser as it found it, so markup made of settled pieces has exactly the problems of its pieces.

    Cached: a pack's fragments that are the same for many areas (its Markdown, blank exercises) are
    parsed once per process, and the page check reuses its fragments' results.
    """
    finder = _ActiveFinder()
    finder.feed(piece)
    settled = not finder.rawdata and finder.cdata_elem is None and not finder._in_style
    return tuple(finder.problems), settled


def offline_problems_in(pieces: Sequence[str]) -> list[str]:
    """:func:`offline_problems` of ``"".join(pieces)``, from each piece's cached result when every piece
    is settled (see :func:`_piece_problems`); otherwise the joined markup is parsed as one."""
    problems: list[str] = []
    for piece in pieces:
        found, settled = _piece_problems(piece)
        if not settled:
            return offline_problems("".join(pieces))
        problems.extend(found)
    return problems


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's attribute filter: drop what would fetch from the internet (nh3 already drops scripts)."""
    if _fetched(tag.casefold(), name.casefold()) and _external(value):
        return None
    if name.casefold() == "style" and _STYLE_FETCH.search(value):
        return None
    return value


def _allowed_attributes() -> dict[str, set[str]]:
    import nh3

    allowed = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    allowed["*"] = set(_GLOBAL_ATTRS)
    for tag in _SVG_TAGS | {"svg"}:
        allowed.setdefault(tag, set()).update(_SVG_ATTRS)
    return allowed


def clean_fragment(markup: str) -> str:
    """``markup`` as it is when it holds nothing active; otherwise cleaned by nh3.

    A notebook's own outputs are static and come through untouched, so text a team typed, which
    the views escape, shows exactly as typed. Only a fragment that :func:`offline_problems` finds
    active (a script, an event handler, a javascript: URL, an embedded document, something fetched
    from the internet) is cleaned, and only that fragment.
    """
    if not offline_problems(markup):
        return markup
    import nh3

    return nh3.clean(
        markup,
        tags=set(nh3.ALLOWED_TAGS) | _SVG_TAGS,
        attributes=_allowed_attributes(),
        generic_attribute_prefixes={"aria-"},
        attribute_filter=_keep_attribute,
        url_schemes=set(nh3.ALLOWED_URL_SCHEMES) | {"data"},
    )


# ---- notebooks to HTML ----------------------------------------------------------------------
def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


@lru_cache(maxsize=1)
def _markdown_renderer() -> Any:
    import mistune

    return mistune.create_markdown(escape=False, plugins=["table", "strikethrough"])


@lru_cache(maxsize=1024)
def _markdown(source: str) -> str:
    """A Markdown cell as HTML, its headings a level down (cached: the cells are the same for every area)."""
    try:
        rendered = _markdown_renderer()(source)
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
        return f"<pre>{esc(_ANSI.sub('', _text(output.get('text', ''))))}</pre>"
    if kind == "error":
        return (
            f'<div class="jw-failed" role="alert"><strong>This part could not be produced.</strong> '
            f"{esc(output.get('ename', ''))}: {esc(_ANSI.sub('', str(output.get('evalue', ''))))}</div>"
        )
    data = output.get("data", {})
    for mime in MIME_ORDER:
        if mime not in data:
            continue
        value = _text(data[mime])
        if mime == "text/html":
            return clean_fragment(_demote(value))
        if mime == "image/svg+xml":
            return clean_fragment(value)
        if mime.startswith("image/"):
            alt = esc(_text(data.get("text/plain", "chart")).strip("<>"))
            return f'<img alt="{alt}" src="data:{mime};base64,{esc(value.strip())}">'
        if mime == "text/markdown":
            return clean_fragment(_markdown(value))
        if mime == "text/plain":
            if "application/vnd.jupyter.widget-view+json" in data:
                return ""  # a widget's text stand-in says nothing to a reader
            return f"<pre>{esc(_ANSI.sub('', value))}</pre>"
    return ""


def render_notebook(nb: Mapping[str, Any], number: int, title: str, notebook: str = "") -> Section:
    """One executed notebook as a pack section: Markdown and static outputs, code hidden; reference
    sections folded under their headings, with a link to the exercise (see :func:`_fold`)."""
    cells: list[tuple[set[str], str, tuple[str, ...]]] = []
    failed, error = False, ""
    for cell in nb.get("cells", []):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & HIDDEN_TAGS:
            continue
        if cell.get("cell_type") == "markdown":
            cells.append((tags, "markdown", (clean_fragment(_markdown(_text(cell.get("source", "")))),)))
        elif cell.get("cell_type") == "code":
            outputs = []
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error" and not failed:
                    failed = True
                    error = f"{output.get('ename')}: {_ANSI.sub('', str(output.get('evalue', '')))}"
                outputs.append(_output_html(output))
            shown = [o for o in outputs if o]
            cells.append((tags, "code", tuple(piece for o in shown for piece in ("\n", o))[1:]))
    pieces = _fold(cells, f"product-{number}-exercise")
    return Section(number, title, "".join(pieces), notebook, failed, error, pieces)


REFERENCE_TAG = "jw-reference"  # cells of a reference section: folded under their heading (dev/fold_reference.py)
EXERCISE_TAG = "jw-exercise"  # the heading of the product's exercise: "Jump to the exercise" leads there
_HEADING = re.compile(r"^\s*(<h(\d)[^>]*>.*?</h\2>)(.*)$", re.S)


def _fold(cells: list[tuple[set[str], str, tuple[str, ...]]], anchor: str) -> tuple[str, ...]:
    """The cells' markup, each run of reference cells in a ``<details>`` under its heading, the
    exercise's heading marked ``anchor`` with a link to it at the top: the pieces to join, in order."""
    out: list[tuple[str, ...]] = []
    box: list[str] | None = None
    jump = ""

    def close() -> None:
        nonlocal box
        if box is not None:
            out.append((*box, "</details>"))
            box = None

    for tags, kind, pieces in cells:
        if REFERENCE_TAG in tags:
            heading = _HEADING.match("".join(pieces)) if kind == "markdown" else None
            if heading or box is None:
                close()
                summary = heading.group(1) if heading else "Reference"
                box = [
                    f'<details class="jw-reference"><summary>{summary}'
                    '<span class="jw-reference-hint"> (select to open)</span></summary>'
                ]
                pieces = (heading.group(3),) if heading else pieces
            box.extend(pieces)
            continue
        close()
        if EXERCISE_TAG in tags and not jump:
            heading = _HEADING.match("".join(pieces))
            title = re.sub(r"<[^>]+>", "", heading.group(1)).strip() if heading else ""
            jump = (
                f'<p class="jw-jump"><a href="#{anchor}">Jump to the exercise'
                + (f": {title}" if title else "")
                + "</a></p>"
            )
            out.append((f'<span id="{anchor}"></span>', *pieces))
            continue
        out.append(pieces)
    close()
    blocks = [block for block in out if "".join(block)]
    if jump:
        blocks[1:1] = [(jump,)]
    joined: list[str] = []
    for index, block in enumerate(blocks):
        joined.extend(("\n", *block) if index else block)
    return tuple(joined)


# ---- pages ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def stylesheet() -> str:
    """The packs' CSS (``jointwork/render/static/pack.css``), inlined in every page."""
    return STYLESHEET.read_text(encoding="utf-8")


def page(title: str, body: str | Sequence[str], *, up: str | None = None) -> str:
    """A complete, self-contained HTML page (inline CSS, no scripts, no external resources). ``body`` may
    be given as the pieces it is joined from (each checked once, see :func:`offline_problems_in`)."""
    from ..core.version import __version__

    back = f'<p><a href="{esc(up)}">All areas</a></p>' if up else ""
    pieces = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n<body>\n"
        f'<a class="skip" href="#main">Skip to main content</a>\n{back}\n',
        *((body,) if isinstance(body, str) else body),
        f"\n<footer><p>{esc(ATTRIBUTION)}</p><p>Made with jointwork {esc(__version__)}. "
        f"Illustrative sample plans are made up to show the workbooks.</p></footer>\n</body>\n</html>\n",
    )
    markup = "".join(pieces)
    problems = offline_problems_in(pieces)
    if problems:
        raise ValueError(f"the page '{title}' would not read offline: " + "; ".join(problems[:5]))
    return markup


def area_pack(
    path: str | Path,
    area_name: str,
    area_code: str,
    description: str,
    parts: Sequence[Section | PackEntry],
    *,
    up: str | None = "../index.html",
    papers: Sequence[tuple[str, str]] = (),
) -> Path:
    """Write an area's pack: a contents page, then one section per product. ``papers`` are (name, file name)
    of the files written beside the pack (its Excel workbook, ...), linked from the top of the page."""
    items: list[str] = []
    sections: list[tuple[str, ...]] = []
    for part in sorted(parts, key=lambda p: p.number):
        if isinstance(part, Section):
            flag = ' <span class="jw-status">(failed: see the section)</span>' if part.failed else ""
            items.append(f'<li><a href="#{part.anchor}">{part.number}. {esc(part.title)}</a>{flag}</li>')
            link = (
                f'<p class="jw-status">Executed notebook: <a href="{esc(part.notebook)}">{esc(part.notebook)}</a></p>'
                if part.notebook
                else ""
            )
            failed = (
                f'<div class="jw-failed" role="alert">This product did not run to the end: {esc(part.error)}</div>'
                if part.failed
                else ""
            )
            sections.append(
                (
                    f'<section class="product" id="{part.anchor}" aria-label="Product {part.number}">{failed}\n',
                    *(part.pieces or (part.body,)),
                    f"\n{link}</section>",
                )
            )
        else:
            items.append(f'<li>{part.number}. {esc(part.title)} <span class="jw-status">({esc(part.note)})</span></li>')
    head = (
        f"<header><h1>{esc(area_name)} ({esc(area_code)})</h1><p>{esc(description)}</p>"
        f"<p>Joint working between the local authority and the NHS: the workbook's products for this area, "
        f"rendered from the area's saved plan.</p>"
        + (
            "<p>To read, sign or circulate: "
            + " · ".join(f'<a href="{esc(file)}">{esc(name)}</a>' for name, file in papers)
            + "</p>"
            if papers
            else ""
        )
        + "</header>\n"
        f'<nav aria-labelledby="contents"><h2 id="contents">Contents</h2><ol>{"".join(items)}</ol></nav>\n'
        f'<main id="main">\n'
    )
    body = [head]
    for index, section in enumerate(sections):
        body.extend(("\n", *section) if index else section)
    body.append("\n</main>")
    return _write(path, page(f"{area_name}: joint working pack", body, up=up))


def _linked(rows: Sequence[Mapping[str, Any]], column: str, href: str) -> list[dict[str, Any]]:
    """Rows whose ``column`` links to the address in their ``href`` field (when they have one)."""
    linked = []
    for row in rows:
        row = dict(row)
        if row.get(href):
            text = "" if row.get(column) is None else str(row[column])
            row[column] = Html(f'<a href="{esc(row[href])}">{esc(text)}</a>', text)
        linked.append(row)
    return linked


def index_page(path: str | Path, rows: Sequence[Mapping[str, Any]]) -> Path:
    """The page over all areas: one row per area with its pack, status and failures."""
    body = (
        "<header><h1>Joint working packs</h1><p>One pack per area. The cross-area summary is in "
        '<a href="summary.html">summary.html</a> (and <a href="summary.csv">summary.csv</a>, '
        '<a href="summary.xlsx">summary.xlsx</a>).</p></header>\n'
        '<main id="main">'
        + table(
            _linked(rows, "Area", "href"),
            f"{len(rows)} area(s)",
            ["Area", "Code", "Region", "Plan", "Products", "Status"],
        ).markup
        + "</main>"
    )
    return _write(path, page("Joint working packs", body))


def summary_page(
    path: str | Path,
    rows: Sequence[Mapping[str, Any]],
    tables: Sequence[tuple[str, Sequence[str]]],
    descriptions: Mapping[str, str] | None = None,
    *,
    apart: Sequence[Mapping[str, Any]] = (),
    apart_columns: Sequence[str] = (),
    charts: Sequence[Html] = (),
) -> Path:
    """The cross-area summary as a report: the areas with a plan in a few narrow tables ((title, columns)
    each; the first column links to the pack named by each row's ``href``), the charts, then the areas
    with no plan, listed apart."""
    explained = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in (descriptions or {}).items())
    blocks = [
        table(_linked(rows, columns[0], "href"), f"{title}: {len(rows)} area(s) with a plan", list(columns),
                empty="No area has a plan yet.").markup
        for title, columns in tables
    ]  # fmt: skip
    first_apart = (apart_columns or [""])[0]
    linked_apart = _linked(apart, apart_columns[1] if len(apart_columns) > 1 else first_apart, "href")
    body = (
        '<header><h1>Cross-area summary</h1><p><a href="index.html">All packs</a> · '
        '<a href="summary.csv">summary.csv</a> · <a href="summary.xlsx">summary.xlsx</a> (Excel) · '
        '<a href="areas_without_plans.csv">areas_without_plans.csv</a></p></header>\n<main id="main">'
        + f"<h2>Areas with a plan ({len(rows)})</h2>"
        + "".join(blocks)
        + ("<h2>Charts</h2>" + "".join(c.markup for c in charts) if charts else "")
        + f"<h2>Areas with no plan yet ({len(apart)})</h2>"
        + table(linked_apart, f"{len(apart)} area(s) with no plan: their facts and key indicators",
                list(apart_columns), empty="Every area has a plan.").markup
        + (f"<h2>Columns</h2><dl>{explained}</dl>" if explained else "")
        + "</main>"
    )  # fmt: skip
    return _write(path, page("Joint working: cross-area summary", body))


def _write(path: str | Path, markup: str) -> Path:
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(markup, encoding="utf-8")
    return target
