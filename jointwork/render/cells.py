"""Cells that spreadsheets show and never run: the one rule every CSV and Excel writer of the project uses.

Excel and LibreOffice read a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and a
leading tab or carriage return can hide one (the OWASP guidance on CSV injection). Text a team typed
must reach a spreadsheet as the text it is:

- in a CSV, :func:`csv_cell` puts a single quote before such text (as OWASP advises), and
  :func:`write_csv` quotes every text field;
- in an ``.xlsx``, the writers store every string as a string (never a formula) and give such a
  cell Excel's "quote prefix" style, so the value is unchanged and stays text when edited
  (see :mod:`jointwork.render.spreadsheet`).

Numbers stay numbers: only text is ever changed.
"""

from __future__ import annotations

import csv
import io
import numbers
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

#: What a cell may not start with, as text, without a spreadsheet reading it as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: What :func:`csv_cell` puts in front of such text.
TEXT_PREFIX = "'"


def formula_like(value: Any) -> bool:
    """Whether ``value`` is text a spreadsheet could take for a formula (it starts with = + - @ tab or CR)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def is_missing(value: Any) -> bool:
    """Whether ``value`` is empty: None, NaN, or pandas' NA or NaT."""
    return (
        value is None or (isinstance(value, float) and value != value) or type(value).__name__ in ("NAType", "NaTType")
    )


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV field: empty for None and NaN, numbers as they are, formula-like text behind a quote."""
    if is_missing(value):
        return ""
    if isinstance(value, bool) or not isinstance(value, numbers.Number):
        text = value if isinstance(value, str) else str(value.value if hasattr(value, "value") else value)
        return TEXT_PREFIX + text if formula_like(text) else text
    return value


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> str:
    """A CSV (header row, then one line per row) with every field passed through :func:`csv_cell`.

    Text fields are always quoted, so a comma, quote or line break inside typed text stays in its cell.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow([csv_cell(c) for c in columns])
    for row in rows:
        writer.writerow([csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def csv_bytes(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> bytes:
    """:func:`csv_text` as UTF-8 with a byte order mark, so Excel reads accented letters correctly."""
    return ("\ufeff" + csv_text(columns, rows)).encode("utf-8")


def frame_rows(frame: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """A pandas DataFrame's column names and rows, for :func:`csv_text` (NaN becomes empty)."""
    return [str(c) for c in frame.columns], frame.to_dict("records")
