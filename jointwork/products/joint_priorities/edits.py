"""Product 6's plan edits: decisions, wording, ranks, commitments and reasons, the agreement's details.

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop widgets, the app and the tests all use them.
"""

from __future__ import annotations

from collections.abc import Sequence

from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from .calculations import agreed, choice_for
from .content import SLUG, principle_titles, principles
from .model import DECISION_LABEL, DECISIONS, INCLUDED, MAX_RANK, JointPrioritiesSection, PrincipleChoice

MAX_SHORT = 200
MAX_LONG = 5000


def section(plan: Plan) -> JointPrioritiesSection:
    """Product 6's section of ``plan``."""
    return plan.section(SLUG)


def _known(principle_id: str) -> Entry:
    for principle in principles():
        if principle.id == principle_id:
            return principle
    raise ValueError(f"there is no starter principle with the id {principle_id!r}")


def _editable(plan: Plan, principle_id: str) -> tuple[Entry, PrincipleChoice]:
    """The principle and its choice, created (undecided) if the team has not touched it yet."""
    principle = _known(principle_id)
    choice = choice_for(section(plan), principle_id)
    if choice is None:
        choice = PrincipleChoice(principle=principle_id)
        section(plan).choices.append(choice)
    return principle, choice


def _tidy(plan: Plan) -> None:
    """Drop choices that hold nothing (an undecided principle with no text), keeping the file short."""
    section(plan).choices = [c for c in section(plan).choices if c != PrincipleChoice(principle=c.principle)]


def _check_length(text: str, what: str, limit: int = MAX_LONG) -> str:
    text = text.strip()
    if len(text) > limit:
        raise ValueError(f"{what} is {len(text)} characters long; the most it can hold is {limit}")
    return text


def set_decision(plan: Plan, principle_id: str, decision: str | None) -> None:
    """Adopt, adapt or set aside a principle (``None`` or "" = not decided yet).

    Adapting starts from the starter wording when the team has none yet; a principle that is set aside or
    undecided loses its rank, so ranks stay unique among the principles kept.
    """
    decision = decision or None
    if decision is not None and decision not in DECISIONS:
        raise ValueError(f"a decision must be one of {', '.join(DECISIONS)}, got {decision!r}")
    principle, choice = _editable(plan, principle_id)
    choice.decision = decision
    if decision == "adapt" and not choice.local_wording:
        choice.local_wording = principle.text
    taken = {c.rank for c in section(plan).choices if c is not choice and c.decision in INCLUDED}
    if decision not in INCLUDED or choice.rank in taken:  # a stale rank from a hand-edited file
        choice.rank = None
    _tidy(plan)


def set_local_wording(plan: Plan, principle_id: str, text: str) -> None:
    """The team's own wording for a principle it is adapting."""
    principle, choice = _editable(plan, principle_id)
    if choice.decision != "adapt":
        raise ValueError(f"choose Adapt for '{principle.get('title')}' before rewording it")
    text = _check_length(text, "the local wording")
    if not text:
        raise ValueError(
            f"the local wording of '{principle.get('title')}' cannot be blank; "
            "choose Adopt to use the starter wording as it stands"
        )
    choice.local_wording = text


def set_rank(plan: Plan, principle_id: str, rank: int | None) -> None:
    """A principle's priority (1 = highest) among the adopted and adapted ones; ``None`` or 0 clears it."""
    principle, choice = _editable(plan, principle_id)
    rank = rank or None
    if rank is not None:
        if choice.decision not in INCLUDED:
            raise ValueError(
                f"only adopted or adapted principles are ranked; '{principle.get('title')}' is "
                f"{DECISION_LABEL[choice.decision]}"
            )
        if not 1 <= rank <= MAX_RANK:
            raise ValueError(f"a rank is a whole number from 1 to {MAX_RANK}, got {rank}")
        for other in section(plan).choices:
            if other is not choice and other.decision in INCLUDED and other.rank == rank:
                raise ValueError(
                    f"rank {rank} is already given to '{principle_titles()[other.principle]}'; "
                    "choose another rank or clear that one first"
                )
    choice.rank = rank
    _tidy(plan)


def renumber_ranks(plan: Plan) -> None:
    """Rank the kept principles 1, 2, 3... in their current order (unranked ones go last, in content order)."""
    for position, (_principle, choice) in enumerate(agreed(section(plan)), start=1):
        choice.rank = position


def set_commitment(plan: Plan, principle_id: str, text: str) -> None:
    """What the partners commit to do under a principle."""
    _principle, choice = _editable(plan, principle_id)
    choice.commitment = _check_length(text, "the commitment")
    _tidy(plan)


def set_reason(plan: Plan, principle_id: str, text: str) -> None:
    """Why a principle was set aside (optional)."""
    _principle, choice = _editable(plan, principle_id)
    choice.reason = _check_length(text, "the reason")
    _tidy(plan)


def set_agreement_title(plan: Plan, title: str) -> None:
    """The agreement's title ("" = the default title for the area)."""
    section(plan).agreement_title = _check_length(title, "the title", MAX_SHORT)


def set_signatories(plan: Plan, roles: str | Sequence[str]) -> None:
    """The roles that will sign the agreement: a list, or text with one role per line."""
    lines = roles.splitlines() if isinstance(roles, str) else list(roles)
    cleaned: list[str] = []
    for line in lines:
        role = _check_length(line, "a signatory's role", MAX_SHORT)
        if not role:
            continue
        if role in cleaned:
            raise ValueError(f"the signatory {role!r} is listed twice")
        cleaned.append(role)
    section(plan).signatories = cleaned
