"""Product 6's calculations: each principle's decision, the kept principles in priority order, the counts."""

from __future__ import annotations

from ...core.content import Entry
from .content import principles
from .model import DECISIONS, INCLUDED, JointPrioritiesSection, PrincipleChoice


def choice_for(section: JointPrioritiesSection, principle_id: str) -> PrincipleChoice | None:
    """What the team recorded about one principle, or ``None`` if nothing yet."""
    return next((c for c in section.choices if c.principle == principle_id), None)


def wording(principle: Entry, choice: PrincipleChoice | None) -> str:
    """The words the agreement uses: the team's own when adapting, otherwise the starter text."""
    if choice is not None and choice.decision == "adapt" and choice.local_wording:
        return choice.local_wording
    return principle.text


def decision_counts(section: JointPrioritiesSection) -> dict[str | None, int]:
    """How many principles are adopted, adapted, set aside and not decided yet."""
    counts: dict[str | None, int] = {d: 0 for d in (*DECISIONS, None)}
    for principle in principles():
        choice = choice_for(section, principle.id)
        counts[choice.decision if choice else None] += 1
    return counts


def counts_text(section: JointPrioritiesSection) -> str:
    """The decision counts in words: "2 adopted, 1 adapted, 1 set aside, 9 not decided yet"."""
    counts = decision_counts(section)
    return (
        f"{counts['adopt']} adopted, {counts['adapt']} adapted, {counts['set aside']} set aside, "
        f"{counts[None]} not decided yet"
    )


def agreed(section: JointPrioritiesSection) -> list[tuple[Entry, PrincipleChoice]]:
    """Adopted and adapted principles in priority order: ranked ones by rank, then unranked in content order."""
    kept = [(p, c) for p in principles() if (c := choice_for(section, p.id)) and c.decision in INCLUDED]
    order = {p.id: i for i, p in enumerate(principles())}
    return sorted(kept, key=lambda pc: (pc[1].rank is None, pc[1].rank or 0, order[pc[0].id]))


def set_aside(section: JointPrioritiesSection) -> list[tuple[Entry, PrincipleChoice]]:
    """The principles set aside, in the content's order, with what was recorded about each."""
    return [(p, c) for p in principles() if (c := choice_for(section, p.id)) and c.decision == "set aside"]
