"""Product 4's exercise: building the stakeholder register.

The register is a :class:`~jointwork.workshop.blocks.RecordList` with "Start from" above the form
(it fills the role, sector and part of the map from a starter prompt or a structure) and the
influence and interest scores as rows of buttons, each point explained in words. In a batch run
the exercise shows how many stakeholders are recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.plan import PlanBase as Plan
from ...core.plan import Sector
from ...render import display
from ...workshop.blocks import Exercise, Field, RecordList, Scale, Starter, saved_text
from .calculations import HIGH, SCALE
from .content import content, current_structures, prompts
from .edits import RELATIONSHIPS, add_stakeholder, remove_stakeholder, section, set_notes, update_stakeholder
from .views import stakeholder_label

if TYPE_CHECKING:
    from ...workshop.blocks import RecordEditor
    from ...workshop.workbook import Workbook

#: The influence and interest scores: a row of even buttons, each wide enough for "5 a lot".
SCORE_SCALE = Scale(
    ((1, "little"), (2, ""), (3, ""), (4, ""), (5, "a lot")), unrated=None, style="buttons", button_width="80px"
)

INFLUENCE_WORDS = {
    1: "Little: holds none of the money, staff, buildings or data the hub needs.",
    2: "Some: can help or slow one part of the hub's work.",
    3: "Real: controls something the hub needs. Counts as high on the grid.",
    4: "Strong: decides on money, staff, buildings or data the hub depends on.",
    5: "A lot: can make or stop the hub's plans.",
}
INTEREST_WORDS = {
    1: "Little: the hub is not on their radar yet.",
    2: "Some: aware of the hub but not involved.",
    3: "Interested: wants to hear how the hub is doing. Counts as high on the grid.",
    4: "Keen: wants a part in the hub's work.",
    5: "A lot: the hub matters to their own work and they want to shape it.",
}


def _structure_options(_plan: Plan) -> list[tuple[str, str]]:
    return [("Not linked to a structure", "")] + [(s.get("title"), s.id) for s in current_structures()]


def _starters(_plan: Plan) -> list[Starter]:
    """The starter prompts and the structures a stakeholder can start from: each fills in the role, the
    sector and the part of the map (a prompt also the prompt answered) and says what it is about."""
    return [
        Starter(
            f"prompt:{p.id}",
            f"Prompt: {p.get('role')}",
            {
                "role": p.get("role"),
                "structure": p.get("structure") or "",
                "prompt": p.id,
                "sector": Sector(p.get("sector")).value,
            },
            f"Why: {p.get('why')} What to ask: {p.text}",
        )
        for p in prompts()
    ] + [
        Starter(
            f"structure:{s.id}",
            f"Structure: {s.get('title')}",
            {"role": s.get("title"), "structure": s.id, "prompt": "", "sector": Sector(s.get("sector")).value},
            f"Today: {s.get('now')}",
        )
        for s in current_structures()
    ]


def _say_prompt(editor: RecordEditor, stakeholder: Any) -> None:
    """Beside "Start from", the starter prompt a saved stakeholder answers, if any."""
    if stakeholder is not None and stakeholder.prompt:
        editor.explain_start(f"Answers the prompt: {content().entry(stakeholder.prompt).get('role')}")


def _name(index: int, stakeholder: Any) -> str:
    return stakeholder_label(index, stakeholder) + (
        f" ({stakeholder.organisation})" if stakeholder.organisation else ""
    )


STAKEHOLDERS = RecordList(
    noun="stakeholder",
    fields=(
        Field("role", "Role or name", placeholder="e.g. Head of midwifery"),
        Field("organisation", "Organisation", placeholder="e.g. the acute trust, the council, the ICB"),
        Field("sector", "Sector", "choice", options=[(s.label, s.value) for s in Sector], default=Sector.HEALTH.value),
        Field("structure", "Part of the map", "choice", options=_structure_options, default=""),
        Field("prompt", "Answers the starter prompt", "hidden"),  # set by "Start from"
        Field(
            "influence",
            "Influence over the hub's plans",
            "scale",
            scale=SCORE_SCALE,
            default=HIGH,
            descriptors=INFLUENCE_WORDS,
        ),
        Field("interest", "Interest in the hub", "scale", scale=SCORE_SCALE, default=HIGH, descriptors=INTEREST_WORDS),
        Field("relationship", "Relationship today", "choice", options=[(r, r) for r in RELATIONSHIPS], default="none"),
        Field("engagement_action", "Engagement action", placeholder="what you will do next with this person"),
        Field("owner", "Owner", placeholder="who will do it"),
        Field(
            "contact",
            "Contact",
            placeholder="e.g. an email address or phone number (kept private)",
            help="The contact is kept in your team's plan only. The register leaves it out unless the "
            "notebook is run with show_contacts = True.",
        ),
    ),
    records=lambda plan: section(plan).stakeholders,
    add=lambda plan, values: add_stakeholder(plan, **values),
    update=lambda plan, index, values: update_stakeholder(plan, index, **values),
    remove=remove_stakeholder,
    label=_name,
    starters=_starters,
    on_load=_say_prompt,
    help="Choose 'New stakeholder' to add someone, or pick someone on the register to change or remove them. "
    "'Start from' fills in the role, sector and part of the map from a starter prompt or a structure; change "
    "anything before saving. Influence: how much this person can change the hub's plans (money, staff, "
    f"buildings, data). Interest: how much they care about the hub. Scores of {HIGH} or more (of {SCALE}) count "
    "as high on the grid. Nothing is saved until you press a button.",
)


def _register_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    notes = saved_text(
        wb,
        "Notes from the discussion",
        lambda plan: section(plan).notes,
        set_notes,
        "the notes",
        placeholder="What the group noticed about the map and the gaps",
    )
    return w.VBox([STAKEHOLDERS.widgets(wb), notes])


exercise = Exercise(
    static=lambda plan: display.paragraph(
        f"{len(section(plan).stakeholders)} stakeholder(s) on the register; see "
        "the register, the grid and the gaps below."
    ),
    widgets=_register_widgets,
    doc="Build the register: a form in a workshop; in a batch run, a count (the register is shown below).",
)
