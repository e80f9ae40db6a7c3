"""Opening a file handed to the import: size, kind and macro checks before anything reads it."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any, Literal

from .problems import Problem

MAX_BYTES = 10 * 1024 * 1024
#: The most a workbook may hold once unzipped (a small file that unpacks to gigabytes is refused).
MAX_UNZIPPED = 200 * 1024 * 1024
MACRO_SUFFIXES = {".xlsm", ".xltm", ".xlam", ".xlsb"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Kind = Literal["xlsx", "csv"]


def check_file(path: Path) -> tuple[Kind | None, list[Problem]]:
    """The file's kind ("xlsx" or "csv") if it may be read, else the problems that refuse it."""
    name = str(path)
    if not path.is_file():
        return None, [Problem(name, None, None, "a file that exists (no such file)")]
    size = path.stat().st_size
    if size > MAX_BYTES:
        return None, [Problem(name, None, None, f"a file of at most 10 MB (this one is {size / 1024 / 1024:.1f} MB)")]
    suffix = path.suffix.casefold()
    if suffix in MACRO_SUFFIXES:
        return None, [
            Problem(
                name,
                None,
                None,
                "a workbook without macros (.xlsx): macro-enabled workbooks are refused; "
                "save it as 'Excel Workbook (.xlsx)' and import that",
            )
        ]
    if size == 0:
        return None, [Problem(name, None, None, "a spreadsheet (this file is empty)")]
    if suffix == ".csv":
        return "csv", []
    if suffix != ".xlsx":
        return None, [
            Problem(name, None, None, "a filled jointwork form (.xlsx) or a survey export (.xlsx or .csv)", got=suffix)
        ]
    with path.open("rb") as handle:
        start = handle.read(8)
    if start == OLE_MAGIC:
        return None, [
            Problem(
                name,
                None,
                None,
                "an .xlsx workbook (this is an old-style .xls file or another format: save it "
                "as 'Excel Workbook (.xlsx)')",
            )
        ]
    if not zipfile.is_zipfile(path):
        return None, [Problem(name, None, None, "a spreadsheet (.xlsx): this file is not one")]
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            content_types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in archive.namelist() else b""
    except (zipfile.BadZipFile, OSError, KeyError):
        return None, [Problem(name, None, None, "a spreadsheet (.xlsx): this file is damaged or not one")]
    if sum(m.file_size for m in members) > MAX_UNZIPPED:
        return None, [Problem(name, None, None, "a spreadsheet of at most 200 MB once unpacked")]
    if any(m.filename.casefold().endswith("vbaproject.bin") for m in members) or b"macroEnabled" in content_types:
        return None, [
            Problem(
                name,
                None,
                None,
                "a workbook without macros: this one holds macros (whatever its name says); "
                "save it as 'Excel Workbook (.xlsx)' and import that",
            )
        ]
    if b"spreadsheetml" not in content_types:
        return None, [Problem(name, None, None, "a spreadsheet (.xlsx): this file is another kind of document")]
    return "xlsx", []


def open_workbook(path: Path) -> tuple[Any, list[Problem]]:
    """The workbook, read-only, formulas kept as formulas (never calculated); or the problem."""
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False), []
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        return None, [Problem(str(path), None, None, f"a spreadsheet that opens ({type(exc).__name__}: {exc})")]


def sheet_rows(sheet: Any, max_rows: int = 5000, max_columns: int = 300) -> list[list[Any]]:
    """The sheet's cells as rows (each cell keeps its ``data_type``: "f" for a formula)."""
    rows = []
    for row in sheet.iter_rows(max_row=max_rows, max_col=max_columns):
        rows.append(list(row))
    return rows


def column_letter(index: int) -> str:
    """1 -> A, 27 -> AA."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
