"""Product 7's plan edits: the team's own interviews.

Each edit changes a plan in place and raises ``ValueError`` in plain English when it is refused;
the workshop form, the app and the tests all use them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ...core.plan import PlanBase, Sector
from .content import KINDS, SLUG, theme_ids, theme_titles
from .model import Interview, InterviewsSection


def section(plan: PlanBase) -> InterviewsSection:
    """Product 7's section of ``plan``."""
    return plan.section(SLUG)


def _interview(
    interviewee: str,
    summary: str,
    kind: str,
    themes: Iterable[str],
    role: str,
    sector: Sector | str,
    interviewed_on: date | None,
) -> Interview:
    if not str(interviewee or "").strip():
        raise ValueError("give the interviewee's name or role")
    if not str(summary or "").strip():
        raise ValueError("write a short summary of what the interviewee said")
    if kind not in KINDS:
        raise ValueError(f"choose whether it is a barrier or an enabler, got {kind!r}")
    chosen = [tid for tid in theme_titles() if tid in theme_ids(themes)]  # content order
    if not chosen:
        raise ValueError("choose at least one theme, so the interview counts in the summary")
    return Interview(
        interviewee=interviewee,
        role=role,
        sector=Sector(sector),
        summary=summary,
        kind=kind,
        themes=chosen,
        interviewed_on=interviewed_on,
    )


def add_interview(
    plan: PlanBase,
    interviewee: str,
    summary: str,
    kind: str,
    themes: Iterable[str] = (),
    role: str = "",
    sector: Sector | str = Sector.OTHER,
    interviewed_on: date | None = None,
) -> None:
    """Add an interview; ``themes`` are theme ids or titles."""
    section(plan).interviews.append(_interview(interviewee, summary, kind, themes, role, sector, interviewed_on))


def _check_index(plan: PlanBase, index: int) -> None:
    interviews = section(plan).interviews
    if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(interviews):
        raise ValueError(f"there is no interview number {index + 1 if isinstance(index, int) else index!r}")


def update_interview(
    plan: PlanBase,
    index: int,
    interviewee: str,
    summary: str,
    kind: str,
    themes: Iterable[str] = (),
    role: str = "",
    sector: Sector | str = Sector.OTHER,
    interviewed_on: date | None = None,
) -> None:
    """Change the interview at ``index`` (0-based; the list numbers from 1), checked as a new one is."""
    _check_index(plan, index)
    section(plan).interviews[index] = _interview(interviewee, summary, kind, themes, role, sector, interviewed_on)


def remove_interview(plan: PlanBase, index: int) -> None:
    """Delete the interview at ``index``."""
    _check_index(plan, index)
    del section(plan).interviews[index]


def interview_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of :func:`add_interview` / :func:`update_interview` from a form's values."""
    return {
        "interviewee": (values.get("interviewee") or "").strip(),
        "summary": values.get("summary", ""),
        "kind": values.get("kind"),
        "themes": tuple(values.get("themes") or ()),
        "role": values.get("role", ""),
        "sector": values.get("sector") or Sector.OTHER,
        "interviewed_on": values.get("interviewed_on"),
    }
