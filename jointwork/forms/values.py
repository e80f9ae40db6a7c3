"""Reading one typed answer: a score, a rank, an option or a sector, from what a cell or survey holds."""

from __future__ import annotations

import re
from typing import Any

from ..core.plan import Sector
from ..core.questionnaire import Questionnaire

LEADING_NUMBER = re.compile(r"^\s*(\d{1,4})(?:\s*$|\s*[-–—:.)]\s*\S|\s+\S)")


def blank(raw: Any) -> bool:
    """Whether a cell holds nothing (empty, or only spaces)."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def parse_answer(questionnaire: Questionnaire, raw: Any) -> tuple[Any, str | None]:
    """(the answer's value, or ``None`` if blank; what was expected if it cannot be read at all).

    A value that can be read but does not fit (a score of 7) is returned as read, for
    :meth:`Questionnaire.problems` to refuse with its own words.
    """
    if blank(raw):
        return None, None
    if questionnaire.kind in ("scale", "ranking"):
        number = _whole_number(raw)
        if number is None and questionnaire.kind == "scale" and isinstance(raw, str):
            labels = {label.casefold(): point for point, label in questionnaire.points()}
            number = labels.get(" ".join(raw.split()).casefold())
        if number is None:
            what = "a score" if questionnaire.kind == "scale" else "a rank"
            return None, f"{what}: a whole number"
        return number, None
    options = {}
    for label, value in questionnaire.options:
        options[label.casefold()] = value
        options[str(value).casefold()] = value
    text = " ".join(str(raw).split())
    return options.get(text.casefold(), text), None


def _whole_number(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else None
    if isinstance(raw, str):
        text = raw.strip()
        if re.fullmatch(r"\d{1,4}(\.0+)?", text):
            return int(float(text))
        match = LEADING_NUMBER.match(text)
        return int(match.group(1)) if match else None
    return None


def parse_sector(raw: Any) -> Sector | None:
    """The sector named by a cell ("Local authority", "health"...), or ``None``."""
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split()).casefold()
    for sector in Sector:
        if text in (sector.value, sector.label.casefold()):
            return sector
    return None


def sector_choices() -> str:
    return ", ".join(f"'{s.label}'" for s in Sector)


def text_of(raw: Any) -> str:
    """A note or a name as text, exactly as typed apart from surrounding spaces (never evaluated)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


#: What people type in a name cell to mean "no name": read as an anonymous answer.
NO_NAME = {"anonymous", "anon", "none", "n/a", "-", "prefer not to say"}


def name_of(raw: Any) -> str:
    """A typed name, or "" when the cell is empty or says the respondent gives no name."""
    text = text_of(raw)
    return "" if " ".join(text.split()).casefold() in NO_NAME else text
