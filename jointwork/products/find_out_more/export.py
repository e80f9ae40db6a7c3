"""Product 8's CSV export of the reading index, with the team's bookmarks and notes.

Nothing else in the product writes a file: :func:`export_csv` writes the one it is given.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from ...core.plan import PlanBase as Plan
from .calculations import readings_frame
from .edits import section

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


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
    frame = readings_frame(section(plan) if plan is not None else None)
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
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


def export_name(area_code: str) -> str:
    """The export's path inside the workspace: ``exports/<AREA>_reading_index.csv``."""
    return f"exports/{area_code}_reading_index.csv"


def export_path(wb: Workbook) -> Path:
    """Where the workshop's Export CSV button writes: ``<workspace>/exports/<AREA>_reading_index.csv``."""
    return wb.store.root.joinpath(*export_name(wb.area.code).split("/"))
