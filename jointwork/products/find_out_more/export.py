"""Product 8's reading list as a file: the reading index, with the team's bookmarks and notes, as CSV or Excel.

:func:`reading_list_csv` and :func:`reading_list_xlsx` make the file's bytes (the app serves them as
downloads); :func:`export_csv` writes the CSV to the one path it is given. Text the team typed is
written so that a spreadsheet shows it and never runs it (:mod:`jointwork.render.cells`).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ...core.plan import PlanBase as Plan
from ...render import document as doc
from ...render.cells import csv_bytes, frame_rows
from ...render.spreadsheet import Cover, Sheet, workbook_bytes
from .calculations import readings_frame
from .edits import section

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"


def reading_list_csv(plan: Plan | None) -> bytes:
    """The reading index as CSV (UTF-8 with a byte order mark, for Excel), with the team's columns when a
    plan is given."""
    columns, rows = frame_rows(readings_frame(section(plan) if plan is not None else None))
    return csv_bytes(columns, rows)


def reading_list_xlsx(plan: Plan | None, area_name: str = "") -> bytes:
    """The reading index as an Excel workbook in the Analysis Function's style (cover, contents, notes, one table)."""
    columns, rows = frame_rows(readings_frame(section(plan) if plan is not None else None))
    whose = f" with {area_name}'s bookmarks and notes" if area_name and plan is not None else ""
    table = doc.Table(f"Reading index{whose}: one row per reading", tuple(columns), tuple(rows))
    cover = Cover(
        "Find out more: the reading index" + (f" for {area_name}" if area_name else ""),
        (
            "Policy, guidance, evidence, tools and data on joint working for children's centres and family hubs, "
            "then and now, with what replaced what.",
        ),
    )
    return workbook_bytes(cover, [Sheet("Reading index", table)])


def export_csv(plan: Plan | None, path: str | os.PathLike[str]) -> Path:
    """Write the reading index (with the team's bookmarks and notes when a plan is given) to ``path``.

    The bytes of :func:`reading_list_csv`, written whole or not at all. Only the file named is written (its
    folder is created if needed); returns its resolved path.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise ValueError(f"{target} is a folder; give the path of a .csv file to write")
    if target.suffix.lower() != ".csv":
        raise ValueError(f"give a file name ending in .csv, got {target.name!r}")
    data = reading_list_csv(plan)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target.resolve()


def download_name(area_code: str, extension: str) -> str:
    """The file name a download of the reading list gets: ``<AREA>_reading_index.csv`` or ``.xlsx``."""
    return f"{area_code}_reading_index.{extension}"
