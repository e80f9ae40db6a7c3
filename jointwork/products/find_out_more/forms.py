"""Product 8's exercises: search, filter, bookmark and annotate the index, and download it as CSV or Excel.

Each is an :class:`~jointwork.workshop.blocks.Exercise`: widgets bound to the plan in a workshop,
what is saved in a batch run (where nothing is written).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from ...render import display
from ...workshop.blocks import Exercise, choice_with_note
from .calculations import filter_readings, product_names
from .content import STATUS_LABEL, kinds, readings, source_of, statuses, topics
from .edits import set_bookmark, set_note, team_notes
from .export import download_name, reading_list_csv, reading_list_xlsx
from .views import address_cell, bookmark_count, export_note, status_cell

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


def _reading_card(wb: Workbook, entry: Entry) -> Any:
    """One reading: what it is, where to find it, and the team's bookmark and note."""
    import ipywidgets as w

    title = entry.get("title")

    def read(plan: Plan) -> tuple[bool, str]:
        mine = team_notes(plan).get(entry.id)
        return bool(mine and mine.bookmarked), mine.note if mine else ""

    marks = choice_with_note(
        wb,
        (),
        "Bookmark",
        "Team note",
        read,
        lambda plan, value: set_bookmark(plan, entry.id, value),
        lambda plan, text: set_note(plan, entry.id, text),
        kind="check",
        choice_what=lambda ticked: f"{'a bookmark on' if ticked else 'removal of the bookmark on'} '{title}'",
        note_what=f"the note on '{title}'",
        placeholder="The team's note on this reading",
    )
    mark, note = marks.children
    note.layout.height = "50px"
    mark.tooltip = f"Bookmark '{title}'"
    note.tooltip = f"Team note on '{title}'"
    src = source_of(entry)
    status_markup, _ = status_cell(entry, anchor=False)
    address_markup, _ = address_cell(entry)
    header = w.HTML(
        f"<strong>{display.esc(title)}</strong> ({display.esc(src.publisher)}, "
        f"{display.esc(entry.get('year') or src.year or 'undated')}; {display.esc(entry.get('kind'))}; "
        f"{status_markup})<br>{address_markup}<br>{display.esc(entry.text)}<br>"
        f"<small>Topics: {display.esc('; '.join(entry.get('topics') or []))}. "
        f"Supports products: {display.esc(product_names(entry.get('products') or [], wb.products))}.</small>"
    )
    return w.VBox([header, mark, note], layout=w.Layout(border="1px solid #ccc", padding="6px", margin="4px 0"))


def _reading_widgets(wb: Workbook) -> Any:
    """The search box and filters, a count of the matches and a card per matching reading."""
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled

    search = w.Text(
        placeholder="e.g. health visiting, Marmot, 2022", continuous_update=False, layout=w.Layout(width="420px")
    )
    labelled(search, "Search")
    topic_box = w.SelectMultiple(options=topics(), rows=6, layout=w.Layout(width="260px"))
    labelled(topic_box, "Topics (none chosen = all)")
    product_box = w.SelectMultiple(
        options=[(product_names([p.number], wb.products), p.number) for p in wb.products],
        rows=6,
        layout=w.Layout(width="360px"),
    )
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
        if entry.id not in cards:
            cards[entry.id] = _reading_card(wb, entry)
            mark = cards[entry.id].children[1]
            mark.observe(lambda _change: redraw() if only_marked.value else None, names="value")
        return cards[entry.id]

    def redraw(_change: Any = None) -> None:
        found = filter_readings(
            wb.products,
            search.value,
            topic_box.value,
            product_box.value,
            kind_box.value or None,
            status_box.value or None,
        )
        if only_marked.value:
            marked = {k for k, n in team_notes(wb.plan).items() if n.bookmarked}
            found = [r for r in found if r.id in marked]
        count.value = f'<div role="status" aria-live="polite">{len(found)} of {len(readings())} readings match.</div>'
        results.children = [card(r) for r in found]

    for control in (search, topic_box, product_box, kind_box, status_box, only_marked):
        control.observe(redraw, names="value")
    redraw()
    return w.VBox(
        [
            help_text(
                "Search the index or narrow it by topic, product, kind or status. Tick Bookmark "
                "to keep a reading on your list and write the team's note beside it: both are "
                "saved as soon as you change them (a note when you click away from the box)."
            ),
            search,
            w.HBox([topic_box, product_box]),
            w.HBox([kind_box, status_box, only_marked]),
            wb.status,
            count,
            results,
        ]
    )


exercise = Exercise(
    static=bookmark_count,
    widgets=_reading_widgets,
    doc="Search, filter, bookmark and annotate: widgets in a workshop; in a batch run, what is saved in brief "
    "(the notebook shows the bookmarks themselves with ``wb.view(bookmarks)``).",
)


def download_links(plan: Plan | None, area_code: str, area_name: str = "") -> str:
    """Two links that download the reading list, with the team's bookmarks and notes, as CSV and as Excel.

    The files travel inside the links (``data:`` addresses), so they download from the page itself, offline,
    and nothing is written on the computer until the browser saves the download where its user chooses.
    """
    import base64
    import html

    from ...render.spreadsheet import MEDIA_TYPE

    links = []
    for extension, media, data, label in (
        ("csv", "text/csv", reading_list_csv(plan), "Download the reading list (CSV)"),
        ("xlsx", MEDIA_TYPE, reading_list_xlsx(plan, area_name), "Download the reading list (Excel)"),
    ):
        encoded = base64.b64encode(data).decode("ascii")
        name = html.escape(download_name(area_code, extension))
        links.append(
            f'<a class="jw-download" download="{name}" href="data:{media};base64,{encoded}">{html.escape(label)}</a>'
            f" <span>({name}, {max(1, round(len(data) / 1024))} KB)</span>"
        )
    return "<p>" + "<br>".join(links) + "</p>"


def _export_widgets(wb: Workbook) -> Any:
    """Links that download the reading list as CSV and Excel, kept up to date with the saved plan."""
    import ipywidgets as w

    from ...workshop.controls import help_text

    links = w.HTML()

    def redraw() -> None:
        links.value = download_links(wb.plan, wb.area.code, wb.area.name)

    redraw()
    wb.on_refresh(redraw)
    return w.VBox(
        [
            help_text(
                f"Every reading, with your bookmarks and notes as saved, as a CSV file or an Excel workbook "
                f"({len(readings())} readings). Your browser saves the file where you choose."
            ),
            links,
            wb.status,
        ]
    )


export_exercise = Exercise(
    static=export_note,
    widgets=_export_widgets,
    doc="Download links for the reading list (CSV and Excel) in a workshop; in a batch run, a note of what they give.",
)
