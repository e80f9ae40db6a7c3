"""Product 4's section of the plan: the stakeholder register and the notes from the discussion."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field

from ...core.plan import LongText, Model, Sector, ShortText
from ...core.product import Problem


class Stakeholder(Model):
    """One person or body on the stakeholder register, placed on the power/interest grid."""

    role: ShortText = Field(min_length=1, description="a role or a name, e.g. 'Head of midwifery'")
    organisation: ShortText = ""
    sector: Sector
    structure: str = Field(default="", description="id of a structure in the product 4 content; '' if none")
    prompt: str = Field(default="", description="id of the product 4 prompt it answers; '' if none")
    influence: int = Field(default=3, ge=1, le=5, description="power over the hub's plans, 1 (little) to 5 (a lot)")
    interest: int = Field(default=3, ge=1, le=5, description="interest in the hub, 1 (little) to 5 (a lot)")
    relationship: Literal["none", "weak", "developing", "strong"] = "none"
    engagement_action: ShortText = ""
    owner: ShortText = ""
    contact: ShortText = Field(default="", description="kept in the plan; left out of batch outputs")


class StakeholderSection(Model):
    """What the team enters in product 4."""

    stakeholders: list[Stakeholder] = Field(default_factory=list)
    notes: LongText = ""


def check(section: StakeholderSection) -> Iterator[Problem]:
    """Stakeholders must name structures and prompts that exist in the content (or none)."""
    from .content import current_structures, prompts

    known_structures = [s.id for s in current_structures()]
    known_prompts = [p.id for p in prompts()]
    for i, stakeholder in enumerate(section.stakeholders):
        if stakeholder.structure and stakeholder.structure not in known_structures:
            yield ("stakeholders", i, "structure"), "'' or one of the structure ids: " + ", ".join(known_structures)
        if stakeholder.prompt and stakeholder.prompt not in known_prompts:
            yield ("stakeholders", i, "prompt"), "'' or one of the stakeholder prompt ids: " + ", ".join(known_prompts)
