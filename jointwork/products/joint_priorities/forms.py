"""Product 6's exercises: deciding on each starter principle, and the agreement's title and signatories.

Each is an :class:`~jointwork.workshop.blocks.Exercise`: widgets bound to the plan in a workshop,
what is saved in a batch run. A principle's decision and commitment are a
:func:`~jointwork.workshop.blocks.choice_with_note`; its local wording and the reason for setting it
aside are :func:`~jointwork.workshop.blocks.saved_text` boxes, shown only when they apply.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from ...render import display
from ...workshop.blocks import Exercise, choice_with_note, saved_text
from .agreement import agreement_word, default_title, plan_area
from .calculations import choice_for, counts_text
from .content import practice_examples, principles
from .edits import (
    renumber_ranks,
    section,
    set_agreement_title,
    set_commitment,
    set_decision,
    set_local_wording,
    set_rank,
    set_reason,
    set_signatories,
)
from .model import DECISION_LABEL, INCLUDED, PrincipleChoice

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook

DECISION_OPTIONS = [("Not decided", ""), ("Adopt", "adopt"), ("Adapt", "adapt"), ("Set aside", "set aside")]
DECISION_TIPS = [
    "No decision yet",
    "Keep the starter wording as it stands",
    "Keep the principle, reworded for local use",
    "Leave this principle out of the agreement",
]


# ---- deciding on the principles -------------------------------------------------------------
def _decisions_static(plan: Plan) -> display.Html:
    saved = section(plan)
    if not saved.choices:
        return display.paragraph("No decisions recorded yet.")
    return display.paragraph(
        f"Decisions recorded on the {len(principles())} starter principles: {counts_text(saved)}. See the table below."
    )


class PrincipleControls:
    """One principle's controls in a workshop: the decision with the commitment (one block), the local
    wording, the rank and the reason for setting it aside, each shown only when it applies."""

    def __init__(self, wb: Workbook, principle: Entry) -> None:
        import ipywidgets as w

        from ...workshop.controls import help_text, labelled

        self.wb, self.principle = wb, principle
        self.id, self.title = principle.id, principle.get("title")
        self.loading = False
        pid = self.id
        decided = choice_with_note(
            wb,
            DECISION_OPTIONS,
            "Decision",
            "Our commitment",
            read=lambda plan: (self.saved(plan, "decision") or "", self.saved(plan, "commitment")),
            set_choice=lambda plan, value: set_decision(plan, pid, value),
            set_note=lambda plan, text: set_commitment(plan, pid, text),
            placeholder="What will the partners do, by when, and who leads?",
            tooltips=DECISION_TIPS,
            choice_what=f"the decision for '{self.title}'",
            note_what=f"the commitment for '{self.title}'",
        )
        self.decision, self.commitment = decided.children
        self.rank = w.Dropdown(layout=w.Layout(width="220px"))
        labelled(self.rank, "Rank")
        self.reason = saved_text(
            wb,
            "Why set aside",
            lambda plan: self.saved(plan, "reason"),
            lambda plan, text: set_reason(plan, pid, text),
            f"the reason for '{self.title}'",
            placeholder="Why is this principle set aside? (optional)",
        )
        self.wording = saved_text(
            wb,
            "Our wording",
            lambda plan: self.saved(plan, "local_wording"),
            lambda plan, text: set_local_wording(plan, pid, text),
            f"the local wording for '{self.title}'",
        )
        self.wording.layout.height = "90px"
        self.wording_box = w.VBox(
            [help_text("Reword the principle for local use. It starts from the starter wording."), self.wording]
        )
        self.kept_box = w.VBox([self.rank, self.commitment])
        self.box = w.VBox(
            [self._intro(), self.decision, self.wording_box, self.kept_box, self.reason],
            layout=w.Layout(border="1px solid #ccc", padding="6px"),
        )
        self.decision.observe(lambda _change: self.show(), names="value")  # runs after the block has saved
        self.rank.observe(self._on_rank, names="value")

    def choice(self) -> PrincipleChoice | None:
        """What is saved about this principle (``None`` if nothing yet)."""
        return choice_for(section(self.wb.plan), self.id)

    def saved(self, plan: Plan, name: str) -> Any:
        """One saved field of this principle's choice in ``plan`` ("" if nothing is saved yet)."""
        choice = choice_for(section(plan), self.id)
        return getattr(choice, name) if choice else ""

    def _intro(self) -> Any:
        import ipywidgets as w

        examples = practice_examples()
        example_text = "; ".join(
            f"{examples[e].get('place')} ({examples[e].get('title')})" for e in self.principle.get("examples", [])
        )
        p = self.principle
        return w.HTML(
            f"<p><strong>{display.esc(self.title)}</strong> "
            f"<em>[starter principle, unverified reconstruction]</em></p>"
            f"<p>{display.esc(p.text)}</p>"
            f"<p><strong>Why it matters:</strong> {display.esc(p.get('why'))}</p>"
            f"<p><strong>Today:</strong> {display.esc(p.get('today'))}</p>"
            f"<p><strong>Practice examples:</strong> {display.esc(example_text)}</p>"
        )

    def heading(self) -> str:
        """The principle's title in the accordion, with its decision and rank."""
        choice = self.choice()
        decided = choice.decision if choice else None
        ranked = f", rank {choice.rank}" if choice and decided in INCLUDED and choice.rank else ""
        return f"{self.title} ({DECISION_LABEL[decided]}{ranked})"

    def show(self) -> None:
        """Set the rank, the wording (adapting fills in the starter wording) and what is shown from the
        saved plan; the other blocks keep their own values."""
        choice = self.choice()
        decided = choice.decision if choice else None
        self.loading = True
        try:
            highest = max([len(principles())] + [c.rank or 0 for c in section(self.wb.plan).choices])
            self.rank.options = [("Not ranked", 0)] + [(str(n), n) for n in range(1, highest + 1)]
            self.rank.value = (choice.rank or 0) if choice else 0
        finally:
            self.loading = False
        self.wording.reload()
        self.wording_box.layout.display = None if decided == "adapt" else "none"
        self.kept_box.layout.display = None if decided in INCLUDED else "none"
        self.reason.layout.display = None if decided == "set aside" else "none"

    def _on_rank(self, change: dict[str, Any]) -> None:
        if self.loading:
            return
        self.wb.edit(lambda plan: set_rank(plan, self.id, change["new"]), f"the rank for '{self.title}'")
        self.show()  # shows what is saved, also after a refused change


def _decision_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text

    panels = [PrincipleControls(wb, principle) for principle in principles()]
    accordion = w.Accordion(children=[panel.box for panel in panels])

    def show(index: int) -> None:
        panels[index].show()
        accordion.set_title(index, panels[index].heading())

    for index, panel in enumerate(panels):
        panel.decision.observe(lambda _change, i=index: accordion.set_title(i, panels[i].heading()), names="value")
        panel.rank.observe(lambda _change, i=index: accordion.set_title(i, panels[i].heading()), names="value")
        show(index)

    renumber = w.Button(
        description="Renumber ranks 1, 2, 3...",
        tooltip="Give the adopted and adapted principles "
        "ranks 1, 2, 3... in their current order; unranked ones go last",
    )

    def on_renumber(_button: Any) -> None:
        if wb.edit(renumber_ranks, "the ranks, renumbered"):
            for index in range(len(panels)):
                show(index)

    renumber.on_click(on_renumber)
    return w.VBox(
        [
            help_text(
                "Open each starter principle, read it with its examples, and choose Adopt (keep it as "
                "it stands), Adapt (keep it in your own words) or Set aside. Give the principles you "
                "keep a rank, 1 for the most important, and write what the partners commit to. "
                "Everything is saved as soon as you choose or leave a box."
            ),
            wb.status,
            accordion,
            renumber,
        ]
    )


exercise = Exercise(
    static=_decisions_static,
    widgets=_decision_widgets,
    doc="Decide on each principle: widgets in a workshop, a summary of what is saved in a batch run.",
)


# ---- the agreement's title and signatories ----------------------------------------------------
def _agreement_static(plan: Plan) -> display.Html:
    saved = section(plan)
    title = saved.agreement_title or f'not set (the default is "{default_title(plan_area(plan))}")'
    return display.join(
        [
            display.paragraph(f"Agreement title: {title}."),
            display.paragraph("Signatories: " + ("; ".join(saved.signatories) or "none named yet") + "."),
        ]
    )


def _agreement_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text

    title = saved_text(
        wb,
        "Agreement title",
        lambda plan: section(plan).agreement_title,
        set_agreement_title,
        "the agreement title",
        placeholder=default_title(wb.area),
        kind="text",
    )
    signatories = saved_text(
        wb,
        "Signatories (one role per line)",
        lambda plan: "\n".join(section(plan).signatories),
        set_signatories,
        "the signatories",
        placeholder="e.g. Director of Children's Services\nICB Director of Nursing",
    )
    return w.VBox(
        [
            help_text(
                "Give the agreement a title (or keep the one suggested) and list the roles that will "
                "sign it once the partners agree it, one per line: for example the director of children's "
                "services, the director of public health and the ICB's lead for children."
            ),
            title,
            signatories,
            wb.status,
        ]
    )


agreement_exercise = Exercise(
    static=_agreement_static,
    widgets=_agreement_widgets,
    doc="The agreement's title and signatories: a form in a workshop, what is saved in a batch run.",
)


def word_download(wb: Workbook) -> Any:
    """The agreement as a Word document for this page's surface (:func:`agreement_word`), kept up to
    date with the saved plan."""
    return wb.view(lambda plan: agreement_word(plan, wb.surface))
