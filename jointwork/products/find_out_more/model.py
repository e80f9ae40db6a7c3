"""Product 8's section of the plan: bookmarks and notes on readings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from pydantic import AfterValidator, Field

from ...core.plan import LongText, Model
from ...core.product import Problem
from .content import reading_titles


class ReadingNote(Model):
    """The team's bookmark and note on one reading."""

    reading: str = Field(min_length=1, description="id of a reading in the product 8 content")
    bookmarked: bool = False
    note: LongText = ""


def _one_note_per_reading(notes: list[ReadingNote]) -> list[ReadingNote]:
    """Refuse a list that names a reading twice."""
    seen: set[str] = set()
    for item in notes:
        if item.reading in seen:
            raise ValueError(f"one entry per reading; {item.reading!r} appears more than once")
        seen.add(item.reading)
    return notes


class ReadingSection(Model):
    """What the team enters in product 8."""

    notes: Annotated[list[ReadingNote], AfterValidator(_one_note_per_reading)] = Field(default_factory=list)


def check(section: ReadingSection) -> Iterator[Problem]:
    """Bookmarks and notes must name readings that exist in the content."""
    known = reading_titles()
    for i, item in enumerate(section.notes):
        if item.reading not in known:
            yield ("notes", i, "reading"), "one of the reading ids in the product 8 content, e.g. " + next(iter(known))
