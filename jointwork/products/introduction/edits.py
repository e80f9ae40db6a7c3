"""Product 1's plan edits: the team details, the notes on the outcomes, and starting an area's plan.

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop widgets, the app and the tests all use them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ...core.plan import PlanBase as Plan
from .content import SLUG, outcome_titles
from .model import IntroductionSection

if TYPE_CHECKING:
    from ...core.store import PlanStore

#: The team details, by field of the plan section, with their visible labels.
TEAM_FIELDS: dict[str, str] = {
    "team_name": "Team name",
    "facilitator": "Facilitator",
    "workshop_date": "Workshop date",
    "hopes": "What the team hopes for",
}
SHORT_LIMIT = 200
LONG_LIMIT = 5000
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def section(plan: Plan) -> IntroductionSection:
    """Product 1's section of ``plan``."""
    return plan.section(SLUG)


def _as_date(value: Any) -> date | None:
    """A workshop date from a date, a datetime or ISO text; ``None`` for nothing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"the workshop date should be a date such as 2026-03-05, got {value!r}") from None
    if not isinstance(value, date):
        raise ValueError(f"the workshop date should be a date such as 2026-03-05, got {value!r}")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(
            f"the workshop date should fall between {EARLIEST_YEAR} and {LATEST_YEAR}, got {value.isoformat()}"
        )
    return value


def _checked_text(value: Any, what: str, limit: int) -> str:
    """``value`` as stripped text, refused when it is longer than ``limit``."""
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise ValueError(f"{what} is {len(text):,} characters long; keep it to {limit:,} or fewer")
    return text


def set_team_detail(plan: Plan, field: str, value: Any) -> None:
    """Record one team detail: ``team_name``, ``facilitator``, ``workshop_date`` or ``hopes``."""
    if field not in TEAM_FIELDS:
        raise ValueError(f"there is no team detail called {field!r}; use one of {', '.join(TEAM_FIELDS)}")
    if field == "workshop_date":
        section(plan).workshop_date = _as_date(value)
        return
    limit = LONG_LIMIT if field == "hopes" else SHORT_LIMIT
    setattr(section(plan), field, _checked_text(value, f"the {TEAM_FIELDS[field].lower()}", limit))


def set_outcome_note(plan: Plan, outcome_id: str, note: str) -> None:
    """Record the team's note on one Every Child Matters outcome; an empty note removes it."""
    titles = outcome_titles()
    if outcome_id not in titles:
        raise ValueError(f"there is no Every Child Matters outcome {outcome_id!r}; use one of {', '.join(titles)}")
    text = _checked_text(note, f"the note on '{titles[outcome_id]}'", LONG_LIMIT)
    notes = dict(section(plan).outcome_notes)
    if text:
        notes[outcome_id] = text
    else:
        notes.pop(outcome_id, None)
    section(plan).outcome_notes = {k: notes[k] for k in titles if k in notes}


def start_plan(store: PlanStore, code: str) -> bool:
    """Save a blank plan for ``code`` if it has none; True when one was created.

    An existing plan is never replaced: the store's update leaves an unchanged plan as it is.
    """
    if store.exists(code):
        return False
    store.update(code, lambda plan: None)
    return True
