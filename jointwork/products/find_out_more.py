"""Product 8, "Where can I find out more?": a reading index of policy, guidance, evidence, tools and
data, then (2003-2010) and now, with each item's publisher, year, address, topics, the products it
supports and, where it has been replaced, what replaced it. Teams bookmark readings, add notes and
export the index, with their bookmarks and notes, to CSV.

Static outputs take a :class:`~jointwork.plan.Plan` and return HTML, so a notebook shows them with
``wb.view(...)`` both in a workshop and in a batch run. Nothing here writes a file except
:func:`export_csv`, to the path it is given.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import display
from ..content import Entry, ProductContent, Source, load_content
from ..plan import Plan, ReadingNote, ReadingSection
from . import TITLES

if TYPE_CHECKING:
    import pandas as pd

    from ..workbook import Workbook

SLUG = "find_out_more"
STATUS_LABEL = {"current": "current", "superseded": "superseded", "historical": "historical (of its time)"}
_WEB_ADDRESS = re.compile(r"^https?://", re.I)

#: The CSV's columns, in order; the last two appear only when a plan is given.
COLUMNS = ["id", "title", "publisher", "year", "kind", "status", "superseded_by", "topics", "products",
           "address", "original_address", "summary", "verified", "content_note"]
TEAM_COLUMNS = ["bookmarked", "team_note"]


def content() -> ProductContent:
    return load_content(8)


def readings() -> list[Entry]:
    return content().group("readings")


def reading_titles() -> dict[str, str]:
    return {r.id: r.get("title") for r in readings()}


def source_of(entry: Entry) -> Source:
    return content().sources[entry.source_keys[0]]


def topics() -> list[str]:
    """Every topic, most used first (ties alphabetical)."""
    counts: dict[str, int] = {}
    for r in readings():
        for topic in r.get("topics") or []:
            counts[topic] = counts.get(topic, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))


def kinds() -> list[str]:
    return sorted({r.get("kind") for r in readings()})


def statuses() -> list[str]:
    return [s for s in STATUS_LABEL if any(r.get("status") == s for r in readings())]


def check(section: ReadingSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Bookmarks and notes must name readings that exist in the content."""
    known = reading_titles()
    for i, item in enumerate(section.notes):
        if item.reading not in known:
            yield ("notes", i, "reading"), "one of the reading ids in the product 8 content, e.g. " + next(iter(known))


# ---- Addresses and successors --------------------------------------------------------------
def address(entry: Entry) -> tuple[str, str]:
    """(address to follow, the original address when that is an archived copy).

    An archived address is given where the original has gone; ("", "") when none was confirmed.
    """
    src = source_of(entry)
    if src.archived_url:
        return src.archived_url, src.url or ""
    return src.url or "", ""


def successor(entry: Entry) -> Entry | None:
    """The reading in the index that replaced ``entry``, when its ``superseded_by`` names one."""
    named = (entry.get("superseded_by") or "").strip()
    if not named:
        return None
    year = re.search(r"\b(19|20)\d{2}\b", named)
    stem = re.sub(r"\s*\([^)]*\)\s*$", "", named).strip().lower()
    for other in readings():
        if other.id == entry.id:
            continue
        titles = (str(other.get("title")).lower(), source_of(other).title.lower())
        if any(t.startswith(stem) for t in titles) and (not year or str(other.get("year")) in named):
            return other
    return None


def product_names(numbers: Iterable[int]) -> str:
    return "; ".join(f"{n} {TITLES[n].split(':')[0]}" for n in numbers)


# ---- Search and filter ----------------------------------------------------------------------
def _haystack(entry: Entry) -> str:
    src = source_of(entry)
    parts = [entry.get("title"), entry.text, src.publisher, src.title, str(entry.get("year") or ""),
             entry.get("kind"), entry.get("status"), entry.get("superseded_by") or "", *(entry.get("topics") or [])]
    return " ".join(str(p) for p in parts).lower()


def _as_product(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if number not in TITLES:
        raise ValueError(f"products are numbered 1 to 8, got {value!r}")
    return number


def filter_readings(text: str = "", topics: Iterable[str] = (), products: Iterable[int | str] = (),
                    kind: str | None = None, status: str | None = None) -> list[Entry]:
    """The readings matching every word of ``text``, any of ``topics``, any of ``products``, ``kind`` and ``status``.

    ``text`` is searched (ignoring case) in the title, summary, publisher, year, kind, status, what
    replaced it and the topics. Empty filters match everything. Content order is kept.
    """
    topics = [topics] if isinstance(topics, str) else topics
    products = [products] if isinstance(products, (str, int)) else products
    all_topics = {t for r in readings() for t in r.get("topics") or []}
    wanted_topics = {str(t).strip().lower() for t in topics}
    unknown = sorted(wanted_topics - all_topics)
    if unknown:
        raise ValueError(f"no topic {unknown[0]!r}; choose from: " + ", ".join(sorted(all_topics)))
    wanted_products = {_as_product(p) for p in products}
    if kind and kind not in kinds():
        raise ValueError(f"kind must be one of {', '.join(kinds())}, got {kind!r}")
    if status and status not in STATUS_LABEL:
        raise ValueError(f"status must be one of {', '.join(STATUS_LABEL)}, got {status!r}")
    words = str(text or "").lower().split()
    return [r for r in readings()
            if (not kind or r.get("kind") == kind)
            and (not status or r.get("status") == status)
            and (not wanted_topics or wanted_topics & set(r.get("topics") or []))
            and (not wanted_products or wanted_products & set(r.get("products") or []))
            and all(word in _haystack(r) for word in words)]


# ---- The team's bookmarks and notes --------------------------------------------------------
def team_notes(plan: Plan) -> dict[str, ReadingNote]:
    return {n.reading: n for n in plan.section(SLUG).notes}


def set_bookmark(plan: Plan, reading_id: str, bookmarked: bool = True) -> None:
    _update_note(plan, reading_id, bookmarked=bool(bookmarked))


def set_note(plan: Plan, reading_id: str, note: str) -> None:
    _update_note(plan, reading_id, note=note or "")


def _update_note(plan: Plan, reading_id: str, **changes: Any) -> None:
    if reading_id not in reading_titles():
        raise ValueError(f"there is no reading {reading_id!r} in the index")
    section: ReadingSection = plan.section(SLUG)
    match = [n for n in section.notes if n.reading == reading_id]
    item = match[0] if match else ReadingNote(reading=reading_id)
    for name, value in changes.items():
        setattr(item, name, value)  # validated on assignment (e.g. a note that is too long)
    if not match:
        section.notes.append(item)
    if not item.bookmarked and not item.note:
        section.notes.remove(item)  # nothing left to keep


# ---- Tables and export ------------------------------------------------------------------------
def readings_frame(plan: Plan | None = None) -> "pd.DataFrame":
    """One row per reading, in content order; with ``plan``, the team's bookmark and note columns too."""
    import pandas as pd

    notes = team_notes(plan) if plan is not None else {}
    rows = []
    for r in readings():
        src = source_of(r)
        follow, original = address(r)
        row = {"id": r.id, "title": r.get("title"), "publisher": src.publisher, "year": r.get("year") or src.year,
               "kind": r.get("kind"), "status": r.get("status"), "superseded_by": r.get("superseded_by") or "",
               "topics": "; ".join(r.get("topics") or []),
               "products": "; ".join(str(n) for n in r.get("products") or []),
               "address": follow, "original_address": original, "summary": r.text, "verified": r.verified,
               "content_note": " ".join(x.strip() for x in (r.note, src.note) if x)}
        if plan is not None:
            mine = notes.get(r.id)
            row["bookmarked"] = bool(mine and mine.bookmarked)
            row["team_note"] = mine.note if mine else ""
        rows.append(row)
    columns = COLUMNS + (TEAM_COLUMNS if plan is not None else [])
    return pd.DataFrame(rows, columns=columns)


def export_csv(plan: Plan | None, path: str | os.PathLike[str]) -> Path:
    """Write the reading index (with the team's bookmarks and notes when a plan is given) to ``path``.

    UTF-8, one row per reading, written whole or not at all. Only the file named is written (its
    folder is created if needed); returns its resolved path.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValueError(f"{target} is a folder; give the path of a .csv file to write")
    if target.suffix.lower() != ".csv":
        raise ValueError(f"give a file name ending in .csv, got {target.name!r}")
    buffer = io.StringIO()
    readings_frame(plan).to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target.resolve()


def export_path(wb: "Workbook") -> Path:
    """Where the workshop's Export CSV button writes: ``<workspace>/exports/<AREA>_reading_index.csv``."""
    return wb.store.root / "exports" / f"{wb.area.code}_reading_index.csv"


# ---- Static outputs --------------------------------------------------------------------------
def _link(url: str) -> str:
    """A real link with the address visible; plain text for anything that is not a web address."""
    if not url:
        return ""
    if not _WEB_ADDRESS.match(url):
        return display.esc(url)
    return f'<a href="{display.esc(url)}" rel="noopener">{display.esc(url)}</a>'


def _address_cell(entry: Entry) -> tuple[str, str]:
    follow, original = address(entry)
    if not follow:
        return "<em>No address confirmed</em>", "No address confirmed"
    if original:
        return (f"Archived copy: {_link(follow)}<br>Original (gone): {display.esc(original)}",
                f"Archived copy: {follow} (original, gone: {original})")
    return _link(follow), follow


def _status_cell(entry: Entry, anchor: bool = True) -> tuple[str, str]:
    status = entry.get("status")
    label = STATUS_LABEL.get(status, status)
    named = entry.get("superseded_by")
    if status != "superseded" or not named:
        return display.esc(label), label
    after = successor(entry)
    if after is not None and anchor:
        return (f'superseded by <a href="#reading-{after.id}">{display.esc(named)}</a>',
                f"superseded by {named}")
    return f"superseded by {display.esc(named)}", f"superseded by {named}"


def _rich_table(rows: list[dict[str, tuple[str, str]]], caption: str, anchors: list[str] | None = None) -> display.Html:
    """An accessible table whose cells are (markup, text) pairs, so links stay real links."""
    return display.table([{c: display.Html(*cell) for c, cell in row.items()} for row in rows], caption, row_ids=anchors)


def _plain(value: Any) -> tuple[str, str]:
    text = "" if value is None else str(value)
    return display.esc(text), text


def render_readings(entries: list[Entry], plan: Plan | None = None, caption: str = "Reading index",
                    anchors: bool = False) -> display.Html:
    """The readings as a table: links as real links, superseded items with what replaced them.

    With ``anchors`` each row gets an id (``reading-<id>``) and a replacement in the index is linked
    to its row; use it for one table per page (the full index).
    """
    if not entries:
        return display.notice("No readings match: clear the search or choose other filters.")
    notes = team_notes(plan) if plan is not None else {}
    rows = []
    for r in entries:
        src = source_of(r)
        row = {"Reading": _plain(r.get("title")), "Publisher": _plain(src.publisher),
               "Year": _plain(r.get("year") or src.year), "Kind": _plain(r.get("kind")),
               "Status": _status_cell(r, anchors), "Address": _address_cell(r), "What it is": _plain(r.text),
               "Topics": _plain("; ".join(r.get("topics") or [])),
               "Supports products": _plain(product_names(r.get("products") or [])),
               "Checked": _plain("verified" if r.verified else "unverified"), "Note": _plain(r.note or "")}
        if plan is not None:
            mine = notes.get(r.id)
            row["Bookmarked"] = _plain("yes" if mine and mine.bookmarked else "")
            row["Team note"] = _plain(mine.note if mine else "")
        rows.append(row)
    return _rich_table(rows, caption, [f"reading-{r.id}" for r in entries] if anchors else None)


def overview() -> display.Html:
    """How many readings there are, by status and kind."""
    items = readings()
    by_status = ", ".join(f"{sum(r.get('status') == s for r in items)} {STATUS_LABEL[s]}" for s in statuses())
    by_kind = ", ".join(f"{sum(r.get('kind') == k for r in items)} {k}" for k in kinds())
    return display.paragraph(f"The index holds {len(items)} readings: {by_status}. By kind: {by_kind}.")


def reading_index(plan: Plan) -> display.Html:
    """The whole index in content order, with the team's bookmarks and notes."""
    return render_readings(readings(), plan, f"Reading index ({len(readings())} readings)", anchors=True)


def then_and_now() -> display.Html:
    """Each superseded reading beside what replaced it."""
    rows = []
    for r in readings():
        if r.get("status") != "superseded":
            continue
        after = successor(r)
        follow = address(after)[0] if after is not None else ""
        then = r.get("title") if str(r.get("year")) in r.get("title") else f"{r.get('title')} ({r.get('year')})"
        rows.append({"Then": _plain(then),
                     "Now": _plain(r.get("superseded_by")),
                     "Address of the replacement": (_link(follow), follow) if follow else _plain("not listed in the index"),
                     "Note": _plain(r.note or "")})
    if not rows:
        return display.notice("No reading in the index has been superseded.")
    return _rich_table(rows, "Then and now: superseded readings and what replaced them")


def bookmarks(plan: Plan) -> display.Html:
    """The readings the team bookmarked or wrote a note on."""
    notes = team_notes(plan)
    chosen = [r for r in readings() if r.id in notes]
    if not chosen:
        return display.notice("No bookmarks or notes yet: tick Bookmark or write a note against a reading.")
    count = f"{len(chosen)} reading" + ("" if len(chosen) == 1 else "s")
    return render_readings(chosen, plan, f"Your team's bookmarks and notes ({count})")


def sources() -> display.Html:
    """How the index cites its readings (each reading is its own source), with the data attribution."""
    return (display.paragraph("Every reading in the index is its own source: the Checked column says whether "
                              "its title, publisher and year were confirmed, and the Note column (and the "
                              "content_note column of the CSV) says what was not, or where a link between "
                              "readings is the project's own judgement.") + display.attribution())


# ---- Workshop ----------------------------------------------------------------------------------
def exercise(wb: "Workbook") -> Any:
    """Search, filter, bookmark and annotate: widgets in a workshop; in a batch run, what is saved
    in brief (the notebook shows the bookmarks themselves with ``wb.view(bookmarks)``)."""
    if not wb.interactive:
        notes = team_notes(wb.plan).values()
        return display.paragraph(f"{sum(n.bookmarked for n in notes)} reading(s) bookmarked and "
                                 f"{sum(bool(n.note) for n in notes)} with a team note; see the list below.")
    return _reading_widgets(wb)


def export_exercise(wb: "Workbook") -> Any:
    """The Export CSV button in a workshop; in a batch run, where the button would write (nothing is written)."""
    if not wb.interactive:
        return display.paragraph(f"In a workshop the Export CSV button writes the index, with your bookmarks and "
                                 f"notes, to exports/{wb.area.code}_reading_index.csv in your workspace.")
    return _export_widgets(wb)


def _reading_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    search = w.Text(placeholder="e.g. health visiting, Marmot, 2022", continuous_update=False,
                    layout=w.Layout(width="420px"))
    labelled(search, "Search")
    topic_box = w.SelectMultiple(options=topics(), rows=6, layout=w.Layout(width="260px"))
    labelled(topic_box, "Topics (none chosen = all)")
    product_box = w.SelectMultiple(options=[(product_names([n]), n) for n in TITLES], rows=6,
                                   layout=w.Layout(width="360px"))
    labelled(product_box, "Supports products (none chosen = all)")
    kind_box = w.Dropdown(options=[("Any", "")] + [(k, k) for k in kinds()], value="")
    labelled(kind_box, "Kind")
    status_box = w.Dropdown(options=[("Any", "")] + [(STATUS_LABEL[s], s) for s in statuses()], value="")
    labelled(status_box, "Status")
    only_marked = w.Checkbox(value=False, indent=False)
    labelled(only_marked, "Bookmarked only")
    count = w.HTML()
    results = w.VBox()

    cards: dict[str, Any] = {}

    def card(entry: Entry) -> Any:
        if entry.id in cards:
            return cards[entry.id]
        mine = team_notes(wb.plan).get(entry.id)
        mark = w.Checkbox(value=bool(mine and mine.bookmarked), indent=False)
        labelled(mark, "Bookmark")
        mark.tooltip = f"Bookmark '{entry.get('title')}'"
        note = w.Textarea(value=mine.note if mine else "", placeholder="The team's note on this reading",
                          continuous_update=False, layout=w.Layout(width="100%", height="50px"))
        labelled(note, "Team note")
        note.tooltip = f"Team note on '{entry.get('title')}'"
        title = entry.get("title")
        def save_mark(change: dict[str, Any]) -> None:
            what = "a bookmark on" if change["new"] else "removal of the bookmark on"
            wb.edit(lambda plan: set_bookmark(plan, entry.id, change["new"]), f"{what} '{title}'")
            if only_marked.value:
                redraw()

        def save_note(change: dict[str, Any]) -> None:
            wb.edit(lambda plan: set_note(plan, entry.id, change["new"]), f"the note on '{title}'")

        mark.observe(save_mark, names="value")
        note.observe(save_note, names="value")
        src = source_of(entry)
        status_markup, _ = _status_cell(entry, anchor=False)
        address_markup, _ = _address_cell(entry)
        header = w.HTML(
            f"<strong>{display.esc(title)}</strong> ({display.esc(src.publisher)}, "
            f"{display.esc(entry.get('year') or src.year or 'undated')}; {display.esc(entry.get('kind'))}; "
            f"{status_markup})<br>{address_markup}<br>{display.esc(entry.text)}<br>"
            f"<small>Topics: {display.esc('; '.join(entry.get('topics') or []))}. "
            f"Supports products: {display.esc(product_names(entry.get('products') or []))}.</small>")
        cards[entry.id] = w.VBox([header, mark, note], layout=w.Layout(border="1px solid #ccc", padding="6px",
                                                                        margin="4px 0"))
        return cards[entry.id]

    def redraw(_change: Any = None) -> None:
        found = filter_readings(search.value, topic_box.value, product_box.value, kind_box.value or None,
                                status_box.value or None)
        if only_marked.value:
            marked = {k for k, n in team_notes(wb.plan).items() if n.bookmarked}
            found = [r for r in found if r.id in marked]
        count.value = (f'<div role="status" aria-live="polite">{len(found)} of {len(readings())} '
                       "readings match.</div>")
        results.children = [card(r) for r in found]

    for control in (search, topic_box, product_box, kind_box, status_box, only_marked):
        control.observe(redraw, names="value")
    redraw()
    return w.VBox([help_text("Search the index or narrow it by topic, product, kind or status. Tick Bookmark "
                             "to keep a reading on your list and write the team's note beside it: both are "
                             "saved as soon as you change them (a note when you click away from the box)."),
                   search, w.HBox([topic_box, product_box]), w.HBox([kind_box, status_box, only_marked]),
                   wb.status, count, results])


def _export_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text

    button = w.Button(description="Export CSV", button_style="primary",
                      tooltip="Write the reading index with your bookmarks and notes to a CSV file")
    said = w.HTML()
    target = export_path(wb)

    def export(_button: Any) -> None:
        try:
            written = export_csv(wb.plan, target)
        except (OSError, ValueError) as exc:
            said.value = (f'<div role="alert" style="border-left:4px solid #801650;padding:2px 8px">'
                          f"Not exported: {display.esc(exc)}</div>")
            return
        said.value = (f'<div role="status" aria-live="polite" style="border-left:4px solid #28A197;'
                      f'padding:2px 8px">Exported {len(readings())} readings to {display.esc(written)}</div>')

    button.on_click(export)
    return w.VBox([help_text(f"Writes every reading, with your bookmarks and notes, to {target} "
                             "(replacing the previous export of this area's index, if any). The file is UTF-8 "
                             "CSV and opens in a spreadsheet."), button, said])
