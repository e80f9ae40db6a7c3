"""Product 8's plan edits: bookmarking a reading and writing the team's note on it.

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop widgets, the app and the tests all use them. A reading with neither a bookmark nor
a note leaves the plan.
"""

from __future__ import annotations

from typing import Any

from ...core.plan import PlanBase as Plan
from .calculations import notes_by_reading
from .content import SLUG, reading_titles
from .model import ReadingNote, ReadingSection


def section(plan: Plan) -> ReadingSection:
    """Product 8's section of ``plan``."""
    return plan.section(SLUG)


def team_notes(plan: Plan) -> dict[str, ReadingNote]:
    """The team's bookmark and note on each reading it has marked, by reading id."""
    return notes_by_reading(section(plan))


def set_bookmark(plan: Plan, reading_id: str, bookmarked: bool = True) -> None:
    """Bookmark a reading (or, with ``bookmarked=False``, take the bookmark off)."""
    _update_note(plan, reading_id, bookmarked=bool(bookmarked))


def set_note(plan: Plan, reading_id: str, note: str) -> None:
    """Write the team's note on a reading; an empty note removes it."""
    _update_note(plan, reading_id, note=note or "")


def _update_note(plan: Plan, reading_id: str, **changes: Any) -> None:
    """Change the team's entry for a reading, adding it if new and dropping it when nothing is left."""
    if reading_id not in reading_titles():
        raise ValueError(f"there is no reading {reading_id!r} in the index")
    notes = section(plan).notes
    match = [n for n in notes if n.reading == reading_id]
    item = match[0] if match else ReadingNote(reading=reading_id)
    for name, value in changes.items():
        setattr(item, name, value)  # validated on assignment (e.g. a note that is too long)
    if not match:
        notes.append(item)
    if not item.bookmarked and not item.note:
        notes.remove(item)  # nothing left to keep
