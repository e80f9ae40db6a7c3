"""Product 4's calculations: the grid box of each stakeholder, who covers which structure and
prompt, and the gaps."""

from __future__ import annotations

from ...core.content import Entry
from ...core.plan import Sector
from .content import STRATEGY_ORDER, must_engage, prompts
from .model import Stakeholder, StakeholderSection

SCALE = 5
HIGH = 3  # a score of 3 or more counts as high on the grid, so a dot on a dashed line goes to the more engaged box


def quadrant_of(stakeholder: Stakeholder) -> str:
    """The id of the grid box a stakeholder falls in; a score of 3 or more counts as high."""
    powerful, interested = stakeholder.influence >= HIGH, stakeholder.interest >= HIGH
    if powerful:
        return "manage_closely" if interested else "keep_satisfied"
    return "keep_informed" if interested else "monitor"


def quadrant_members(section: StakeholderSection) -> dict[str, list[int]]:
    """Indexes of the stakeholders in each grid box."""
    members: dict[str, list[int]] = {q: [] for q in STRATEGY_ORDER}
    for i, s in enumerate(section.stakeholders):
        members[quadrant_of(s)].append(i)
    return members


def covered_structures(section: StakeholderSection) -> dict[str, list[int]]:
    """Structure id -> indexes of the stakeholders linked to it."""
    covered: dict[str, list[int]] = {}
    for i, s in enumerate(section.stakeholders):
        if s.structure:
            covered.setdefault(s.structure, []).append(i)
    return covered


def missing_structures(section: StakeholderSection) -> list[str]:
    """Ids of the structures a hub must engage that have no one on the register."""
    covered = covered_structures(section)
    return [s.id for s in must_engage() if s.id not in covered]


def prompt_status(section: StakeholderSection) -> list[tuple[Entry, str, list[int]]]:
    """For each starter prompt: ``answered``, ``structure covered`` or ``not yet``, and who."""
    covered = covered_structures(section)
    result = []
    for p in prompts():
        answered = [i for i, s in enumerate(section.stakeholders) if s.prompt == p.id]
        if answered:
            result.append((p, "answered", answered))
        elif p.get("structure") and p.get("structure") in covered:
            result.append((p, "structure covered", covered[p.get("structure")]))
        else:
            result.append((p, "not yet", []))
    return result


def powerful_but_distant(section: StakeholderSection) -> list[int]:
    """Stakeholders with high influence and no or only a weak relationship today."""
    return [i for i, s in enumerate(section.stakeholders) if s.influence >= HIGH and s.relationship in ("none", "weak")]


def count_in_sector(section: StakeholderSection, sector: Sector) -> int:
    """How many stakeholders on the register are from ``sector``."""
    return sum(1 for s in section.stakeholders if s.sector == sector)
