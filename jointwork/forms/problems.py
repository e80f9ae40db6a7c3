"""What is wrong with an imported file: the file, the sheet, the cell (or row and column), what was expected."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..core.errors import InputError

#: At most this many problems are listed in one message (the count says how many there were).
SHOWN = 40


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file. ``sheet`` is ``None`` for a CSV file or the file as a whole;
    ``cell`` is a cell reference ("I15"), a row and column ("row 3, column C 'Your sector'") or ``None``."""

    file: str
    sheet: str | None
    cell: str | None
    expected: str
    got: object = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f", sheet '{self.sheet}'"
        if self.cell:
            where += f", {self.cell if self.cell.startswith('row') else 'cell ' + self.cell}"
        got = "" if self.got is None else f" (got {_shown(self.got)})"
        return f"{where}: expected {self.expected}{got}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class ImportRefused(InputError):
    """One or more files have problems, so nothing was imported. ``problems`` lists them all."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        first = problems[0]
        super().__init__(first.file, first.cell or first.sheet or "(file)", first.expected, got=first.got)
        self.problems = list(problems)
        files = sorted({p.file for p in problems})
        lines = [
            f"nothing was imported: {len(problems)} problem(s) in {len(files)} file(s) "
            "(fix them and import again; responses already stored are unchanged)"
        ]
        lines += [f"  - {p}" for p in problems[:SHOWN]]
        if len(problems) > SHOWN:
            lines.append(f"  ... and {len(problems) - SHOWN} more")
        self.args = ("\n".join(lines),)


def in_cell_order(problems: Sequence[Problem]) -> list[Problem]:
    """Problems of one sheet sorted by row, then column (problems of no cell first, as found)."""

    def key(problem: Problem) -> tuple[int, int, str]:
        match = re.fullmatch(r"([A-Z]{1,3})(\d+)", problem.cell or "")
        if not match:
            return (0, 0, "")
        return (int(match.group(2)), len(match.group(1)), match.group(1))

    return sorted(problems, key=key)
