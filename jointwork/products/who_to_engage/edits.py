"""Product 4's plan edits: adding, changing and removing stakeholders, and the notes.

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop form, the app and the tests all use them.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from ...core.plan import PlanBase, Sector
from .calculations import HIGH, SCALE
from .content import SLUG, current_structures, prompts
from .model import Stakeholder, StakeholderSection

RELATIONSHIPS = ("none", "weak", "developing", "strong")
FIELDS = (
    "role",
    "organisation",
    "sector",
    "structure",
    "prompt",
    "influence",
    "interest",
    "relationship",
    "engagement_action",
    "owner",
    "contact",
)


def section(plan: PlanBase) -> StakeholderSection:
    """Product 4's section of ``plan``."""
    return plan.section(SLUG)


def _build(**fields: Any) -> Stakeholder:
    """A validated stakeholder, or a ValueError in plain English."""
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"a stakeholder has no field {', '.join(sorted(unknown))}; the fields are {', '.join(FIELDS)}")
    role = str(fields.get("role") or "").strip()
    if not role:
        raise ValueError("give the stakeholder's role (or a name) before saving")
    sector = fields.get("sector")
    if sector not in {s.value for s in Sector} | set(Sector):
        raise ValueError(f"sector must be one of {', '.join(s.value for s in Sector)}, got {sector!r}")
    for name in ("influence", "interest"):
        value = fields.get(name, HIGH)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= SCALE:
            raise ValueError(f"{name} must be a whole number from 1 to {SCALE}, got {value!r}")
    relationship = fields.get("relationship", "none")
    if relationship not in RELATIONSHIPS:
        raise ValueError(f"relationship today must be one of {', '.join(RELATIONSHIPS)}, got {relationship!r}")
    structure = fields.get("structure") or ""
    if structure and structure not in {s.id for s in current_structures()}:
        raise ValueError(f"there is no structure {structure!r} in this product's content")
    prompt = fields.get("prompt") or ""
    if prompt and prompt not in {p.id for p in prompts()}:
        raise ValueError(f"there is no stakeholder prompt {prompt!r} in this product's content")
    try:
        return Stakeholder(
            **{**fields, "role": role, "sector": Sector(sector), "structure": structure, "prompt": prompt}
        )
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise ValueError(f"the stakeholder was not saved ({problems})") from None


def _check_unique(stakeholders: list[Stakeholder], stakeholder: Stakeholder, skip: int | None = None) -> None:
    key = (stakeholder.role.casefold(), stakeholder.organisation.casefold())
    for i, other in enumerate(stakeholders):
        if i != skip and (other.role.casefold(), other.organisation.casefold()) == key:
            where = f" at {other.organisation}" if other.organisation else ""
            raise ValueError(f"{other.role}{where} is already on the register (number {i + 1})")


def _check_index(stakeholders: list[Stakeholder], index: int) -> None:
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(stakeholders):
        raise ValueError(
            f"there is no stakeholder number {index + 1 if isinstance(index, int) else index!r} "
            f"on the register (it has {len(stakeholders)})"
        )


def add_stakeholder(plan: PlanBase, role: str, sector: Sector | str, organisation: str = "", **fields: Any) -> None:
    """Add a stakeholder; ``fields`` are any of structure, prompt, influence, interest, relationship,
    engagement_action, owner and contact."""
    stakeholders = section(plan).stakeholders
    stakeholder = _build(role=role, sector=sector, organisation=organisation, **fields)
    _check_unique(stakeholders, stakeholder)
    stakeholders.append(stakeholder)


def update_stakeholder(plan: PlanBase, index: int, **changes: Any) -> None:
    """Change some fields of the stakeholder at ``index`` (0-based; the register numbers from 1)."""
    stakeholders = section(plan).stakeholders
    _check_index(stakeholders, index)
    stakeholder = _build(**{**stakeholders[index].model_dump(), **changes})
    _check_unique(stakeholders, stakeholder, skip=index)
    stakeholders[index] = stakeholder


def remove_stakeholder(plan: PlanBase, index: int) -> None:
    """Take the stakeholder at ``index`` off the register."""
    stakeholders = section(plan).stakeholders
    _check_index(stakeholders, index)
    del stakeholders[index]


def set_notes(plan: PlanBase, notes: str) -> None:
    """Keep the notes from the discussion of the map and the gaps."""
    section(plan).notes = notes
