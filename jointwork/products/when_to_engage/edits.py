"""Product 5's plan edits: an activity's dates, owner, RAG status and RACI letters, and the notes.

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop widgets, the sample plans and the tests all use them. An activity is "planned" while
its entry holds something: an entry left empty is removed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ...core.content import Entry
from ...core.plan import PlanBase, Rag
from .calculations import NO_LETTER, NO_STATUS, planned
from .content import SLUG, activities, activity_titles, raci_roles
from .model import RACI_LETTERS, ActivityPlan, StagePlanSection


def section(plan: PlanBase) -> StagePlanSection:
    """Product 5's section of ``plan``."""
    return plan.section(SLUG)


def saved_plan(plan: PlanBase, activity_id: str) -> ActivityPlan:
    """What the plan holds for an activity (an empty entry if nothing is planned for it)."""
    return planned(section(plan)).get(activity_id) or ActivityPlan(activity=activity_id)


def _known_activity(activity_id: str) -> Entry:
    for a in activities():
        if a.id == activity_id:
            return a
    raise ValueError(f"there is no activity {activity_id!r} in this product's content")


def _update(plan: PlanBase, activity_id: str, **changes: Any) -> None:
    """Replace an activity's entry with ``changes`` applied, keeping entries in content order.

    An entry left with nothing in it is removed, so "planned" means the team entered something.
    """
    _known_activity(activity_id)
    stage_plan = section(plan)
    current = next(
        (item for item in stage_plan.activities if item.activity == activity_id), ActivityPlan(activity=activity_id)
    )
    updated = ActivityPlan.model_validate({**current.model_dump(), **changes, "activity": activity_id})
    others = [item for item in stage_plan.activities if item.activity != activity_id]
    if updated != ActivityPlan(activity=activity_id):
        others.append(updated)
    order = list(activity_titles())
    stage_plan.activities = sorted(
        others, key=lambda item: order.index(item.activity) if item.activity in order else len(order)
    )


def _check_dates(activity_id: str, start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValueError(
            f"the end date ({end.isoformat()}) is before the start date ({start.isoformat()}) "
            f"for '{_known_activity(activity_id).get('title')}': choose an end on or after the start"
        )


def _rag(rag: Rag | str | None) -> Rag | None:
    return None if rag in (None, "", NO_STATUS) else Rag(rag)


def set_dates(plan: PlanBase, activity_id: str, start: date | None, end: date | None) -> None:
    """Set both dates of an activity; an end before the start is refused."""
    _check_dates(activity_id, start, end)
    _update(plan, activity_id, start=start, end=end)


def set_start(plan: PlanBase, activity_id: str, start: date | None) -> None:
    """Set an activity's start date, keeping its end date."""
    set_dates(plan, activity_id, start, saved_plan(plan, activity_id).end)


def set_end(plan: PlanBase, activity_id: str, end: date | None) -> None:
    """Set an activity's end date, keeping its start date."""
    set_dates(plan, activity_id, saved_plan(plan, activity_id).start, end)


def set_owner(plan: PlanBase, activity_id: str, owner: str) -> None:
    """Name who will make an activity happen ("" takes the name off)."""
    _update(plan, activity_id, owner=(owner or "").strip())


def set_rag(plan: PlanBase, activity_id: str, rag: Rag | str | None) -> None:
    """Set the RAG status; ``None``, "" or "no status" clears it."""
    _update(plan, activity_id, rag=_rag(rag))


def set_raci(plan: PlanBase, activity_id: str, role_id: str, letter: str | None) -> None:
    """Give a role R, A, C or I for an activity; ``None``, "" or "-" takes the role off it."""
    roles = [r.id for r in raci_roles()]
    if role_id not in roles:
        raise ValueError(f"there is no RACI role {role_id!r}; the roles are {', '.join(roles)}")
    letter = None if letter in (None, "", NO_LETTER) else str(letter).strip().upper()
    if letter is not None and letter not in RACI_LETTERS:
        raise ValueError(f"a RACI letter must be one of R, A, C or I (or - for no part), got {letter!r}")
    raci = dict(saved_plan(plan, activity_id).raci)
    if letter is None:
        raci.pop(role_id, None)
    else:
        raci[role_id] = letter
    _update(plan, activity_id, raci={r: raci[r] for r in roles if r in raci})


def plan_activity(
    plan: PlanBase,
    activity_id: str,
    start: date | None = None,
    end: date | None = None,
    owner: str = "",
    rag: Rag | str | None = None,
    raci: dict[str, str] | None = None,
) -> None:
    """Set everything about one activity at once (replacing what was there)."""
    _check_dates(activity_id, start, end)
    roles = [r.id for r in raci_roles()]
    unknown = [r for r in (raci or {}) if r not in roles]
    if unknown:
        raise ValueError(f"there is no RACI role {unknown[0]!r}; the roles are {', '.join(roles)}")
    _update(
        plan,
        activity_id,
        start=start,
        end=end,
        owner=(owner or "").strip(),
        rag=_rag(rag),
        raci={r: str(raci[r]).upper() for r in roles if raci and r in raci},
    )


def set_notes(plan: PlanBase, notes: str) -> None:
    """Keep the team's notes on the plan."""
    section(plan).notes = notes or ""
