"""Product 2's plan edits: choosing and ranking priorities, saying why, and the actions on them.

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop widgets, the app and the tests all use them.
"""

from __future__ import annotations

from datetime import date

from ...core.plan import ActionStatus
from ...core.plan import PlanBase as Plan
from .calculations import ranked
from .content import SLUG, objective_titles
from .model import HealthPrioritiesSection, LocalPriority, PriorityAction

LEAD_WORDS = {
    "la": "LA",
    "local authority": "LA",
    "council": "LA",
    "health": "health",
    "nhs": "health",
    "joint": "joint",
    "both": "joint",
}


def section(plan: Plan) -> HealthPrioritiesSection:
    """Product 2's section of ``plan``."""
    return plan.section(SLUG)


def _known_objective(objective_id: str) -> str:
    if objective_id not in objective_titles():
        raise ValueError(f"there is no health objective {objective_id!r}; choose one of the objectives in the matrix")
    return objective_id


def _priority(priorities: HealthPrioritiesSection, objective_id: str) -> LocalPriority:
    for p in priorities.priorities:
        if p.objective == objective_id:
            return p
    raise ValueError(f"{objective_titles().get(objective_id, objective_id)!r} is not one of the chosen priorities")


def _renumber(priorities: HealthPrioritiesSection) -> None:
    """Keep priorities in rank order with ranks 1, 2, 3... (after one is removed)."""
    order = ranked(priorities)
    priorities.priorities = [LocalPriority(objective=p.objective, rank=i, why=p.why) for i, p in enumerate(order, 1)]


def add_priority(plan: Plan, objective_id: str, why: str = "", rank: int | None = None) -> None:
    """Choose an objective as a priority, by default ranked after the others.

    A rank another priority already has is refused: ranks are unique.
    """
    chosen = section(plan)
    title = objective_titles().get(_known_objective(objective_id))
    if any(p.objective == objective_id for p in chosen.priorities):
        raise ValueError(f"{title!r} is already a priority")
    taken = {p.rank: p.objective for p in chosen.priorities}
    if rank is None:
        rank = max(taken, default=0) + 1
    elif rank in taken:
        raise ValueError(
            f"rank {rank} is already given to {objective_titles()[taken[rank]]!r}: "
            "each priority needs its own rank, so choose another or move that one first"
        )
    chosen.priorities.append(LocalPriority(objective=objective_id, rank=rank, why=why))
    chosen.priorities = ranked(chosen)


def remove_priority(plan: Plan, objective_id: str) -> None:
    """Drop a priority; the others keep their order and are renumbered 1, 2, 3..."""
    chosen = section(plan)
    chosen.priorities.remove(_priority(chosen, objective_id))
    _renumber(chosen)


def set_priority_rank(plan: Plan, objective_id: str, rank: int) -> None:
    """Give a priority a new rank; a rank held by another priority is refused."""
    chosen = section(plan)
    priority = _priority(chosen, objective_id)
    holder = next((p for p in chosen.priorities if p.rank == rank and p is not priority), None)
    if holder is not None:
        raise ValueError(
            f"rank {rank} is already given to {objective_titles()[holder.objective]!r}: "
            "each priority needs its own rank, so move that one first or use Move up / Move down"
        )
    priority.rank = rank
    chosen.priorities = ranked(chosen)


def move_priority(plan: Plan, objective_id: str, step: int) -> None:
    """Swap a priority with its neighbour: ``step=-1`` moves it up (more important), ``+1`` down."""
    chosen = section(plan)
    order = ranked(chosen)
    priority = _priority(chosen, objective_id)
    target = order.index(priority) + step
    if not 0 <= target < len(order):
        raise ValueError(
            f"{objective_titles()[objective_id]!r} is already "
            f"{'the most important' if step < 0 else 'the last'} priority"
        )
    other = order[target]
    priority.rank, other.rank = other.rank, priority.rank
    chosen.priorities = ranked(chosen)


def set_priority_why(plan: Plan, objective_id: str, why: str) -> None:
    """Say why a chosen objective is a priority here."""
    _priority(section(plan), objective_id).why = why


def set_notes(plan: Plan, notes: str) -> None:
    """Keep the notes from the discussion."""
    section(plan).notes = notes


def lead_key(lead: str) -> str:
    """The plan's word for who leads ("LA", "health" or "joint") from what a person typed."""
    value = LEAD_WORDS.get(str(lead).strip().lower())
    if value is None:
        raise ValueError(f"the lead must be the local authority (LA), health or joint, not {lead!r}")
    return value


def _action(
    objective_id: str, what: str, lead: str, by_when: date | None, measure: str, status: ActionStatus | str
) -> PriorityAction:
    _known_objective(objective_id)
    if not what or not what.strip():
        raise ValueError("describe what will be done before adding the action")
    return PriorityAction(
        objective=objective_id,
        what=what,
        lead=lead_key(lead),
        by_when=by_when,
        measure=measure or "",
        status=ActionStatus(status),
    )


def add_action(
    plan: Plan,
    objective_id: str,
    what: str,
    lead: str = "joint",
    by_when: date | None = None,
    measure: str = "",
    status: ActionStatus | str = ActionStatus.NOT_STARTED,
) -> None:
    """Record an action on an objective: what, who leads (LA, health or joint), by when, how it is measured."""
    section(plan).actions.append(_action(objective_id, what, lead, by_when, measure, status))


def _check_index(plan: Plan, index: int) -> None:
    actions = section(plan).actions
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(actions):
        raise ValueError(
            f"there is no action number {index + 1 if isinstance(index, int) else index!r}; the plan has {len(actions)}"
        )


def update_action(
    plan: Plan,
    index: int,
    objective_id: str,
    what: str,
    lead: str = "joint",
    by_when: date | None = None,
    measure: str = "",
    status: ActionStatus | str = ActionStatus.NOT_STARTED,
) -> None:
    """Change the action at ``index`` (0-based; the list numbers from 1)."""
    _check_index(plan, index)
    section(plan).actions[index] = _action(objective_id, what, lead, by_when, measure, status)


def set_action_status(plan: Plan, index: int, status: ActionStatus | str) -> None:
    """Move the action at ``index`` on (not started, in progress, done, blocked)."""
    _check_index(plan, index)
    section(plan).actions[index].status = ActionStatus(status)


def remove_action(plan: Plan, index: int) -> None:
    """Delete the action at ``index``."""
    _check_index(plan, index)
    del section(plan).actions[index]
