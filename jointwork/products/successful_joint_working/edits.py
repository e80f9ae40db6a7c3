"""Product 3's edits: a respondent's ratings (answers, saved as their response) and the actions the
group agrees for the weakest factors (saved in the plan).

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop widgets, the app and the tests all use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ...core.plan import ActionStatus, PlanBase
from .content import SLUG, factor_titles
from .model import FactorAction, SelfAssessmentSection


def section(plan: PlanBase) -> SelfAssessmentSection:
    """Product 3's section of ``plan``."""
    return plan.section(SLUG)


def with_rating(
    answers: Mapping[str, Mapping[str, Any]], factor_id: str, score: int | None, evidence: str = ""
) -> dict[str, dict[str, Any]]:
    """A respondent's answers with one factor's score (``None``: not rated) and evidence set; a factor
    with neither is left out. Nothing else changes; the store checks the answers when they are saved."""
    updated = {k: dict(v) for k, v in answers.items()}
    if score is None and not (evidence or "").strip():
        updated.pop(factor_id, None)
    else:
        updated[factor_id] = {"value": score, "note": evidence or ""}
    return updated


def _action(factor_id: str, action: str, owner: str, due: date | None, status: ActionStatus | str) -> FactorAction:
    if factor_id not in factor_titles():
        raise ValueError(f"there is no factor {factor_id!r}: choose one from the list")
    if not str(action or "").strip():
        raise ValueError("describe the action before saving it")
    return FactorAction(factor=factor_id, action=action, owner=owner, due=due, status=ActionStatus(status))


def add_action(
    plan: PlanBase,
    factor_id: str,
    action: str,
    owner: str = "",
    due: date | None = None,
    status: ActionStatus | str = ActionStatus.NOT_STARTED,
) -> None:
    """Agree an action on a factor, with an owner, a due date and a status."""
    section(plan).actions.append(_action(factor_id, action, owner, due, status))


def _check_index(plan: PlanBase, index: int) -> None:
    actions = section(plan).actions
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(actions):
        raise ValueError(
            f"there is no action number {index + 1 if isinstance(index, int) else index!r}; the plan has {len(actions)}"
        )


def update_action(
    plan: PlanBase,
    index: int,
    factor: str,
    action: str,
    owner: str = "",
    due: date | None = None,
    status: ActionStatus | str = ActionStatus.NOT_STARTED,
) -> None:
    """Change the action at ``index`` (0-based; the list numbers from 1)."""
    _check_index(plan, index)
    section(plan).actions[index] = _action(factor, action, owner, due, status)


def set_action_status(plan: PlanBase, index: int, status: ActionStatus | str) -> None:
    """Move the action at ``index`` on (not started, in progress, done, blocked)."""
    _check_index(plan, index)
    section(plan).actions[index].status = ActionStatus(status)


def remove_action(plan: PlanBase, index: int) -> None:
    """Delete the action at ``index``."""
    _check_index(plan, index)
    del section(plan).actions[index]


def action_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of :func:`add_action` / :func:`update_action` from a form's values."""
    return {
        "factor": values["factor"],
        "action": values["action"],
        "owner": values.get("owner", ""),
        "due": values.get("due"),
        "status": values.get("status") or ActionStatus.NOT_STARTED,
    }
