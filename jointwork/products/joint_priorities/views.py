"""Product 6's views: the starter principles and examples of practice, and the team's decisions.

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change. The draft agreement
itself is a document of its own, in :mod:`.agreement`.
"""

from __future__ import annotations

from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from ...render import display
from .calculations import choice_for, counts_text, wording
from .content import RECONSTRUCTION, content, practice_examples, principles
from .edits import section as section_of
from .model import DECISION_LABEL, INCLUDED


def _example_places(principle: Entry) -> str:
    examples = practice_examples()
    return "; ".join(f"{examples[e].get('place')}: {examples[e].get('title')}" for e in principle.get("examples", []))


# ---- Reference content ----------------------------------------------------------------------
def reconstruction_notice() -> display.Html:
    """The warning that the starter principles are the project's reconstruction."""
    return display.notice(RECONSTRUCTION, "warning")


def principles_table() -> display.Html:
    """The starter principles with why they matter, how things stand today and the examples under each."""
    c = content()
    rows = [
        {
            "Principle": p.get("title"),
            "Starter wording": p.text,
            "Why it matters": p.get("why"),
            "Today (family hubs, ICBs)": p.get("today"),
            "Practice examples": _example_places(p),
            "Source": c.cite(p),
        }
        for p in principles()
    ]
    return display.join(
        [
            reconstruction_notice(),
            display.table(rows, f"{len(rows)} starter principles for joint working (a reconstruction)"),
        ]
    )


def practice_examples_table() -> display.Html:
    """The cited examples of effective practice and the principles each one illustrates."""
    c = content()
    used_by: dict[str, list[str]] = {}
    for p in principles():
        for e in p.get("examples", []):
            used_by.setdefault(e, []).append(p.get("title"))
    rows = [
        {
            "Place": e.get("place"),
            "Year": e.get("year") or "not stated",
            "Example": e.get("title"),
            "What happened": e.text,
            "Illustrates": "; ".join(used_by.get(e.id, [])),
            "Source": c.cite(e),
        }
        for e in practice_examples().values()
    ]
    return display.table(rows, "Examples of effective practice, with their sources")


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())


# ---- Outputs from the plan -----------------------------------------------------------------
def decisions_table(plan: Plan) -> display.Html:
    """Every starter principle with the team's decision, rank, wording and commitment (or reason)."""
    section = section_of(plan)
    if not section.choices:
        return display.notice(
            "No decisions yet: adopt, adapt or set aside the starter principles above and they appear here."
        )
    rows = []
    for p in principles():
        choice = choice_for(section, p.id)
        decision = choice.decision if choice else None
        if decision == "adapt":
            used = wording(p, choice) if wording(p, choice) != p.text else "starter wording (not yet reworded)"
        else:
            used = "starter wording" if decision == "adopt" else ""
        note = ""
        if choice and decision in INCLUDED:
            note = choice.commitment or "no commitment recorded yet"
        elif choice and decision == "set aside":
            note = f"Reason: {choice.reason}" if choice.reason else "no reason recorded"
        rows.append(
            {
                "Principle": p.get("title"),
                "Decision": DECISION_LABEL[decision],
                "Rank": (choice.rank if choice and decision in INCLUDED and choice.rank else ""),
                "Wording used": used,
                "Commitment (or reason set aside)": note,
            }
        )
    return display.table(rows, f"Decisions on the {len(rows)} starter principles: {counts_text(section)}")
