"""Product 5's exercise: planning the activities stage by stage.

The stage planner is this product's own: pick a stage, then for each of its activities choose
dates, an owner, a RAG status and a RACI letter for each role. Every change is one saved edit, and
a refused one puts the saved value back in its control. The notes box is the shared
:func:`~jointwork.workshop.blocks.saved_text`; :data:`exercise` is the workshop/batch switch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from ...render import display
from ...workshop.blocks import Exercise, saved_text
from .calculations import NO_LETTER, NO_STATUS, RAG_ORDER
from .content import activities, raci_roles, role_label, stages
from .edits import saved_plan, section, set_end, set_notes, set_owner, set_raci, set_rag, set_start
from .model import RACI_LETTERS
from .views import plan_table, stage_line

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook

RAG_OPTIONS = [(NO_STATUS, "")] + [(r.value, r.value) for r in RAG_ORDER]


def _activity_box(wb: Workbook, activity: Entry) -> Any:
    """The controls for one activity (built when its stage is first shown), each saved as it changes."""
    import ipywidgets as w

    from ...workshop.controls import labelled

    aid, title = activity.id, activity.get("title")
    roles = raci_roles()
    state = {"loading": False}

    def control(widget: Any, label: str) -> Any:
        labelled(widget, label)
        return widget

    start = control(w.DatePicker(), "Start")
    end = control(w.DatePicker(), "End")
    owner = control(
        w.Text(placeholder="who will make it happen", continuous_update=False, layout=w.Layout(width="320px")), "Owner"
    )
    rag = control(w.Dropdown(options=RAG_OPTIONS, layout=w.Layout(width="220px")), "RAG status")
    raci = {}
    for role in roles:
        raci[role.id] = control(
            w.Dropdown(options=[NO_LETTER, *RACI_LETTERS], layout=w.Layout(width="300px")), role_label(role)
        )
        raci[role.id].tooltip = f"{role.get('title')}: R, A, C or I for '{title}' (- for no part)"

    def load() -> None:
        """Show what is saved for the activity (after a refused change, the saved value comes back)."""
        item = saved_plan(wb.plan, aid)
        shown = [
            (start, item.start),
            (end, item.end),
            (owner, item.owner),
            (rag, item.rag.value if item.rag else ""),
            *((raci[r.id], item.raci.get(r.id, NO_LETTER)) for r in roles),
        ]
        state["loading"] = True
        try:
            for widget, value in shown:
                widget.value = value
        finally:
            state["loading"] = False

    def bind(widget: Any, edit: Callable[[Plan, str, Any], None], what: str) -> None:
        def changed(change: dict[str, Any]) -> None:
            if not state["loading"] and not wb.edit(
                lambda plan: edit(plan, aid, change["new"]), f"{what} of '{title}'"
            ):
                load()

        widget.observe(changed, names="value")

    load()
    bind(start, set_start, "the start date")
    bind(end, set_end, "the end date")
    bind(owner, set_owner, "the owner")
    bind(rag, set_rag, "the RAG status")
    for role in roles:
        bind(
            raci[role.id],
            lambda plan, a, letter, r=role.id: set_raci(plan, a, r, letter),
            f"the {role_label(role)} role",
        )

    partners = "; ".join(activity.get("health_partners") or [])
    joint = "Joint council and health work" if activity.get("joint") else "Council or health alone"
    header = w.HTML(
        f"<strong>{display.esc(title)}</strong><br>"
        f"{display.esc(activity.text)}<br><em>{display.esc(joint)}. Health partners to involve: "
        f"{display.esc(partners)}.</em>"
    )
    return w.VBox(
        [
            header,
            w.HBox([start, end]),
            w.HBox([owner, rag]),
            w.HTML("<strong>Who does what (RACI)</strong>"),
            w.HBox(list(raci.values()), layout=w.Layout(flex_flow="row wrap")),
        ],
        layout=w.Layout(border="1px solid #ccc", padding="6px", margin="4px 0"),
    )


def _planning_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled

    stage_picker = w.Dropdown(
        options=[(f"Stage {s.get('number')}: {s.get('title')}", s.id) for s in stages()], layout=w.Layout(width="420px")
    )
    labelled(stage_picker, "Stage")
    stage_about = w.HTML()
    summary = wb.view(lambda plan: stage_line(plan, stage_picker.value))
    notes = saved_text(
        wb,
        "Notes on the plan",
        lambda plan: section(plan).notes,
        set_notes,
        "the notes",
        placeholder="anything the team wants to remember about the plan",
    )
    boxes: dict[str, Any] = {}
    stage_activities = w.VBox()

    def show_stage(stage_id: str) -> None:
        stage = next(s for s in stages() if s.id == stage_id)
        status = ("Reconstructed: " if not stage.verified else "") + (stage.note or "")
        stage_about.value = (
            f"<p><strong>Then (children's centre):</strong> {display.esc(stage.text)}</p>"
            f"<p><strong>Now (family hub):</strong> {display.esc(stage.get('now'))}</p>"
            f"<p><em>{display.esc(status)}</em></p>"
        )
        for activity in activities(stage_id):
            if activity.id not in boxes:
                boxes[activity.id] = _activity_box(wb, activity)
        stage_activities.children = [boxes[a.id] for a in activities(stage_id)]
        wb.refresh()

    stage_picker.observe(lambda change: show_stage(change["new"]), names="value")
    show_stage(stage_picker.value)
    return w.VBox(
        [
            help_text(
                "Pick a stage, then for each activity choose start and end dates, name an owner, "
                "set a RAG status (red: at risk; amber: some problems; green: on track) and say "
                "which role is R (responsible), A (accountable: one only), C (consulted) or "
                "I (informed). Every change is saved as soon as it is made."
            ),
            stage_picker,
            stage_about,
            summary,
            wb.status,
            stage_activities,
            notes,
        ]
    )


exercise = Exercise(
    static=plan_table,
    widgets=_planning_widgets,
    doc="Plan the activities stage by stage: widgets in a workshop, the saved plan in a batch run.",
)
