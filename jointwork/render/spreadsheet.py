"""Excel workbooks in the Analysis Function's style, from the tables the views are built of.

:func:`workbook_bytes` writes, with ``gptables``: a cover sheet, a contents sheet, a notes sheet (notes
are referred to as ``[note 1]`` in titles), then one sheet per :class:`Sheet`, each holding one table
that starts at column A under its title, with no merged cells and no empty cells (an empty cell reads
``[x]``, explained in the notes). Units and periods belong in the column headings.

Every string is written as a string, never as a formula or a link: the workbook turns off
xlsxwriter's conversion of strings to formulas, links and numbers, and hands each text cell to
gptables so that it does not read Markdown links or ``$$note$$`` markers in it. Text that a
spreadsheet could take for a formula (:func:`jointwork.render.cells.formula_like`) also gets Excel's
quote-prefix style, so it stays text when someone edits the cell.
"""

from __future__ import annotations

import io
import numbers
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .cells import formula_like, is_missing
from .document import Table

#: What an empty cell reads, as the Analysis Function's guidance on symbols in tables suggests.
MISSING = "[x]"
MISSING_NOTE = "[x] in a cell means that nothing was recorded or no figure is available."
MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")
#: xlsxwriter options: strings stay strings, whatever they look like.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    "in_memory": True,  # no temporary files
}


@dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its tab name, its table and what to say above the table.

    ``notes`` are keys of the workbook's notes that this table's title refers to (each becomes ``[note N]``).
    """

    name: str
    table: Table
    about: tuple[str, ...] = ()
    source: str = ""
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cover:
    """The cover sheet: a title, what the workbook holds, and anything the reader must know first."""

    title: str
    intro: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    contact: tuple[str, ...] = field(default=())


def sheet_name(text: str, taken: set[str]) -> str:
    """A tab name Excel accepts (at most 31 characters, none of ``[]:*?/\\'``), unique among ``taken``."""
    base = _SHEET_NAME_BAD.sub(" ", text).strip() or "Table"
    base = re.sub(r"\s+", " ", base)[:31].strip()
    name, n = base, 2
    while name.lower() in {t.lower() for t in taken}:
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)].strip() + suffix
        n += 1
    taken.add(name)
    return name


def cell_value(value: Any) -> Any:
    """A value as the workbook holds it: a number, or text handed over so that gptables writes it as is."""
    from gptables.core.gptable import FormatList

    if is_missing(value) or value == "":
        return MISSING
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, numbers.Number):
        return value
    elif isinstance(value, (date, datetime)):
        value = value.isoformat()
    elif hasattr(value, "value") and not isinstance(value, str):
        value = str(value.value)
    text = str(value)
    if not text.strip():
        return MISSING
    # A FormatList of (format, text) is written with write() on the text alone: no Markdown link or
    # $$note$$ parsing, and its format can carry the quote prefix.
    return FormatList([{"quote_prefix": True} if formula_like(text) else {}, text])


def _frame(table: Table) -> Any:
    import pandas as pd

    columns = [str(c).strip() or "Item" for c in table.columns]
    seen: dict[str, int] = {}
    unique = []
    for column in columns:
        seen[column] = seen.get(column, 0) + 1
        unique.append(column if seen[column] == 1 else f"{column} ({seen[column]})")
    data = [[cell_value(row.get(c)) for c in table.columns] for row in table.rows]
    return pd.DataFrame(data, columns=unique, dtype=object)


def _plain_title(text: str) -> str:
    """A title without gptables' note markers (``$$``), which typed text must never trigger."""
    return text.replace("$$", "$ $")


def workbook_bytes(
    cover: Cover, sheets: Sequence[Sheet], notes: Mapping[str, str] | None = None, contents: str = ""
) -> bytes:
    """The ``.xlsx`` file of ``sheets`` with a cover, contents and notes sheet. Sheets without rows are left out
    (say so on the cover). ``notes`` maps note keys (used in :attr:`Sheet.notes`) to their text."""
    import gptables
    import pandas as pd

    notes = {"missing": MISSING_NOTE, **(notes or {})}
    gp_sheets: dict[str, Any] = {}
    taken: set[str] = {"Cover", "Contents", "Notes"}
    for number, sheet in enumerate((s for s in sheets if s.table.rows), 1):
        refs = "".join(f"$${key}$$" for key in sheet.notes if key in notes)
        frame = _frame(sheet.table)
        missing = any(v == MISSING for v in frame.to_numpy().ravel())
        refs += "$$missing$$" if missing and "missing" not in sheet.notes else ""
        title = _plain_title(sheet.table.caption) + (" " + refs if refs else "")
        gp_sheets[sheet_name(sheet.name, taken)] = gptables.GPTable(
            table=frame,
            table_name=f"table_{number}",
            title=title,
            subtitles=[_plain_title(a) for a in sheet.about],
            instructions="This worksheet contains one table. Notes are on the Notes worksheet.",
            source=_plain_title(sheet.source) or None,
            index_columns={},
        )
    if not gp_sheets:  # a workbook needs a table: say that there is none
        gp_sheets["Nothing recorded"] = gptables.GPTable(
            table=pd.DataFrame([[cell_value("No table has anything recorded yet.")]], columns=["Status"], dtype=object),
            table_name="table_1",
            title="Nothing recorded yet",
            instructions="This worksheet contains one table.",
            index_columns={},
        )
    used = [key for key in notes if any(f"$${key}$$" in str(t.title) for t in gp_sheets.values())]
    notes_table = (
        pd.DataFrame({"key": used, "Note text": [cell_value(notes[k]) for k in used]}, dtype=object)
        if used
        else pd.DataFrame({"key": ["missing"], "Note text": [cell_value(notes["missing"])]}, dtype=object)
    )
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # gptables warns about notes and cells it has been told about
        workbook = gptables.produce_workbook(
            buffer,
            gp_sheets,
            cover=gptables.Cover(
                cover.title,
                intro=[_plain_title(t) for t in cover.intro] or None,
                about=[_plain_title(t) for t in cover.about] or None,
                contact=[_plain_title(t) for t in cover.contact] or None,
            ),
            contentsheet_options={"title": contents or "Contents"},
            notes_table=notes_table,
            workbook_options=dict(WORKBOOK_OPTIONS),
        )
        workbook.close()
    return buffer.getvalue()
