"""Product 8's views: the index at a glance, then and now, the team's bookmarks and the full index.

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change. The products a
reading supports are named from the plan's own suite.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from ...core.product import Product
from ...render import display
from .calculations import address, product_names, successor
from .content import STATUS_LABEL, kinds, readings, source_of, statuses
from .edits import team_notes
from .export import download_name
from .model import ReadingNote

_WEB_ADDRESS = re.compile(r"^https?://", re.I)
Cell = tuple[str, str]  # (markup, text)


def _link(url: str) -> str:
    """A real link with the address visible; plain text for anything that is not a web address."""
    if not url:
        return ""
    if not _WEB_ADDRESS.match(url):
        return display.esc(url)
    return f'<a href="{display.esc(url)}" rel="noopener">{display.esc(url)}</a>'


def address_cell(entry: Entry) -> Cell:
    """A reading's address as a link (an archived copy beside the original that has gone)."""
    follow, original = address(entry)
    if not follow:
        return "<em>No address confirmed</em>", "No address confirmed"
    if original:
        return (
            f"Archived copy: {_link(follow)}<br>Original (gone): {display.esc(original)}",
            f"Archived copy: {follow} (original, gone: {original})",
        )
    return _link(follow), follow


def status_cell(entry: Entry, anchor: bool = True) -> Cell:
    """A reading's status; a superseded one names what replaced it, linked to its row with ``anchor``."""
    status = entry.get("status")
    label = STATUS_LABEL.get(status, status)
    named = entry.get("superseded_by")
    if status != "superseded" or not named:
        return display.esc(label), label
    after = successor(entry)
    if after is not None and anchor:
        return (f'superseded by <a href="#reading-{after.id}">{display.esc(named)}</a>', f"superseded by {named}")
    return f"superseded by {display.esc(named)}", f"superseded by {named}"


def _rich_table(rows: list[dict[str, Cell]], caption: str, anchors: list[str] | None = None) -> display.Html:
    """An accessible table whose cells are (markup, text) pairs, so links stay real links."""
    return display.table(
        [{c: display.Html(*cell) for c, cell in row.items()} for row in rows], caption, row_ids=anchors
    )


def _plain(value: Any) -> Cell:
    """A cell of plain text."""
    text = "" if value is None else str(value)
    return display.esc(text), text


def render_readings(
    entries: list[Entry],
    products: Sequence[Product],
    notes: Mapping[str, ReadingNote] | None = None,
    caption: str = "Reading index",
    anchors: bool = False,
) -> display.Html:
    """The readings as a table: links as real links, superseded items with what replaced them.

    ``products`` is the suite whose titles name the products each reading supports. With the
    team's ``notes`` (see :func:`~jointwork.products.find_out_more.edits.team_notes`) the table
    has Bookmarked and Team note columns. With ``anchors`` each row gets an id
    (``reading-<id>``) and a replacement in the index is linked to its row; use it for one table
    per page (the full index).
    """
    if not entries:
        return display.notice("No readings match: clear the search or choose other filters.")
    rows = []
    for r in entries:
        src = source_of(r)
        row = {
            "Reading": _plain(r.get("title")),
            "Publisher": _plain(src.publisher),
            "Year": _plain(r.get("year") or src.year),
            "Kind": _plain(r.get("kind")),
            "Status": status_cell(r, anchors),
            "Address": address_cell(r),
            "What it is": _plain(r.text),
            "Topics": _plain("; ".join(r.get("topics") or [])),
            "Supports products": _plain(product_names(r.get("products") or [], products)),
            "Checked": _plain("verified" if r.verified else "unverified"),
            "Note": _plain(r.note or ""),
        }
        if notes is not None:
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
    return render_readings(
        readings(), type(plan).products, team_notes(plan), f"Reading index ({len(readings())} readings)", anchors=True
    )


def then_and_now() -> display.Html:
    """Each superseded reading beside what replaced it."""
    rows = []
    for r in readings():
        if r.get("status") != "superseded":
            continue
        after = successor(r)
        follow = address(after)[0] if after is not None else ""
        then = r.get("title") if str(r.get("year")) in r.get("title") else f"{r.get('title')} ({r.get('year')})"
        rows.append(
            {
                "Then": _plain(then),
                "Now": _plain(r.get("superseded_by")),
                "Address of the replacement": (_link(follow), follow) if follow else _plain("not listed in the index"),
                "Note": _plain(r.note or ""),
            }
        )
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
    return render_readings(chosen, type(plan).products, notes, f"Your team's bookmarks and notes ({count})")


def bookmark_list(plan: Plan) -> display.Html:
    """The readings the team bookmarked or wrote a note on, in short: title, publisher and year, and the
    team's note (for a short report; :func:`bookmarks` has every column)."""
    notes = team_notes(plan)
    chosen = [r for r in readings() if r.id in notes]
    if not chosen:
        return display.paragraph("No readings bookmarked or noted yet.")
    rows = []
    for reading in chosen:
        source = source_of(reading)
        rows.append(
            {
                "Reading": reading.get("title"),
                "Publisher and year": f"{source.publisher}, {source.year or 'no date'}",
                "Bookmarked": "yes" if notes[reading.id].bookmarked else "no",
                "Team note": notes[reading.id].note or "",
            }
        )
    return display.table(rows, f"Readings the team marked ({len(rows)})")


def bookmark_count(plan: Plan) -> display.Html:
    """How many readings the team bookmarked and how many carry a team note."""
    notes = team_notes(plan).values()
    return display.paragraph(
        f"{sum(n.bookmarked for n in notes)} reading(s) bookmarked and "
        f"{sum(bool(n.note) for n in notes)} with a team note; see the list below."
    )


def export_note(plan: Plan) -> display.Html:
    """What the workshop's download links give (nothing is written here)."""
    return display.paragraph(
        "In a workshop, two links download the index with your bookmarks and notes: as a CSV file "
        f"({download_name(plan.area_code, 'csv')}) and as an Excel workbook ({download_name(plan.area_code, 'xlsx')})."
    )


def sources() -> display.Html:
    """How the index cites its readings (each reading is its own source), with the data attribution."""
    return (
        display.paragraph(
            "Every reading in the index is its own source: the Checked column says whether "
            "its title, publisher and year were confirmed, and the Note column (and the "
            "content_note column of the CSV) says what was not, or where a link between "
            "readings is the project's own judgement."
        )
        + display.attribution()
    )
