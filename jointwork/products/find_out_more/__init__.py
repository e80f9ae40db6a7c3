"""Product 8, "Where can I find out more?": a reading index of policy, guidance, evidence, tools and
data, then (2003-2010) and now, with each item's publisher, year, address, topics, the products it
supports and, where it has been replaced, what replaced it. Teams bookmark readings, add notes and
download the index, with their bookmarks and notes, as CSV or Excel.

The product's room: ``model`` (its plan section), ``content``, ``calculations``, ``edits``,
``export`` (the CSV and Excel files), ``views`` and ``forms`` (the exercises). The notebook calls the names
re-exported here. The products a reading supports are named from the plan's own suite.
"""

from ...core.product import Product, ReportPart, SummaryColumn
from .calculations import (
    COLUMNS,
    TEAM_COLUMNS,
    address,
    filter_readings,
    notes_by_reading,
    product_names,
    readings_frame,
    successor,
)
from .content import (
    SLUG,
    STATUS_LABEL,
    content,
    content_checks,
    kinds,
    reading_titles,
    readings,
    source_of,
    statuses,
    topics,
)
from .edits import section, set_bookmark, set_note, team_notes
from .export import CSV_MEDIA_TYPE, download_name, export_csv, reading_list_csv, reading_list_xlsx
from .forms import download_links, exercise, export_exercise
from .model import ReadingNote, ReadingSection, check
from .views import (
    address_cell,
    bookmark_count,
    bookmark_list,
    bookmarks,
    export_note,
    overview,
    reading_index,
    render_readings,
    sources,
    status_cell,
    then_and_now,
)

PRODUCT = Product(
    number=8,
    slug=SLUG,
    title="Find out more: a reading index",
    section=ReadingSection,
    check=check,
    content_checks=content_checks,
    summary=(
        SummaryColumn(
            "bookmarks",
            "readings the team bookmarked (product 8)",
            lambda plan: sum(1 for note in section(plan).notes if note.bookmarked),
        ),
    ),
    report=(ReportPart("Readings the team marked", bookmark_list),),
    workbook=(ReportPart("Bookmarked readings", bookmarks),),
)

__all__ = [
    "COLUMNS",
    "PRODUCT",
    "SLUG",
    "STATUS_LABEL",
    "TEAM_COLUMNS",
    "ReadingNote",
    "ReadingSection",
    "address",
    "address_cell",
    "bookmark_count",
    "bookmark_list",
    "bookmarks",
    "check",
    "content",
    "content_checks",
    "exercise",
    "CSV_MEDIA_TYPE",
    "download_links",
    "download_name",
    "export_csv",
    "export_exercise",
    "export_note",
    "reading_list_csv",
    "reading_list_xlsx",
    "filter_readings",
    "kinds",
    "notes_by_reading",
    "overview",
    "product_names",
    "reading_index",
    "reading_titles",
    "readings",
    "readings_frame",
    "render_readings",
    "section",
    "set_bookmark",
    "set_note",
    "source_of",
    "sources",
    "status_cell",
    "statuses",
    "successor",
    "team_notes",
    "then_and_now",
    "topics",
]
