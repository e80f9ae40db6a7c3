"""Product 2's exercises: choosing and ranking the local priorities, and agreeing actions on them.

The priority ranking (tick objectives, order them with Move up / Move down, say why) is this
product's own; its notes box is the shared :func:`~jointwork.workshop.blocks.saved_text`. The
actions are a shared :class:`~jointwork.workshop.blocks.RecordList`, whose measure field is a box
of suggestions that follow the chosen objective. Each exercise is an
:class:`~jointwork.workshop.blocks.Exercise`: widgets bound to the plan in a workshop, what is
saved in a batch run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ...core.plan import ActionStatus
from ...core.plan import PlanBase as Plan
from ...render import display
from ...workshop.blocks import WIDE, Exercise, Field, RecordList, saved_text
from .calculations import ranked, suggested_measures
from .content import KIND_HEADING, current_objectives, measures, objective_titles
from .edits import (
    add_action,
    add_priority,
    move_priority,
    remove_action,
    remove_priority,
    section,
    set_notes,
    set_priority_why,
    update_action,
)
from .model import LEADS

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


# ---- choose and rank the priorities -----------------------------------------------------------
def _priority_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled

    titles = objective_titles()
    loading = {"now": False}
    boxes: dict[str, Any] = {}
    groups = []
    for kind, heading in KIND_HEADING.items():
        items = []
        for objective in [o for o in current_objectives() if o.get("kind") == kind]:
            box = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"))
            labelled(box, objective.get("title"))
            box.tooltip = objective.text
            boxes[objective.id] = box
            items.append(box)
        groups.append(
            w.VBox([w.HTML(f"<strong>{display.esc(heading)}</strong>"), *items], layout=w.Layout(margin="0 24px 8px 0"))
        )

    order = w.Select(options=[], rows=6, layout=w.Layout(width=WIDE))
    labelled(order, "Your priorities, most important first")
    up = w.Button(description="Move up", icon="arrow-up", tooltip="Make the chosen priority more important")
    down = w.Button(description="Move down", icon="arrow-down", tooltip="Make the chosen priority less important")
    why = w.Textarea(
        placeholder="Why is this a priority here? What do the figures or local knowledge say?",
        continuous_update=False,
        layout=w.Layout(width=WIDE, height="80px"),
    )
    labelled(why, "Why this is a priority")
    notes = saved_text(
        wb,
        "Notes from the discussion",
        lambda plan: section(plan).notes,
        set_notes,
        "the discussion notes",
        placeholder="Anything else the group agreed or wants to check",
    )

    def sync(selected: str | None = None) -> None:
        """Show the saved plan in every control (after a change, saved or refused)."""
        loading["now"] = True
        saved = section(wb.plan)
        chosen = {p.objective for p in saved.priorities}
        for objective_id, box in boxes.items():
            box.value = objective_id in chosen
        selected = selected if selected in chosen else order.value
        order.options = [(f"{p.rank}. {titles.get(p.objective, p.objective)}", p.objective) for p in ranked(saved)]
        order.value = selected if selected in chosen else (order.options[0][1] if order.options else None)
        current = next((p for p in saved.priorities if p.objective == order.value), None)
        why.value = current.why if current else ""
        why.disabled = up.disabled = down.disabled = current is None
        loading["now"] = False

    def on_box(objective_id: str, checked: bool) -> None:
        if loading["now"]:
            return
        if checked:
            wb.edit(lambda plan: add_priority(plan, objective_id), f"'{titles[objective_id]}' as a priority")
        else:
            wb.edit(lambda plan: remove_priority(plan, objective_id), f"the removal of '{titles[objective_id]}'")
        sync(objective_id)

    def move(step: int) -> None:
        chosen = order.value
        if chosen is not None:
            wb.edit(lambda plan: move_priority(plan, chosen, step), "the new order of priorities")
            sync(chosen)

    def on_why(value: str) -> None:
        chosen = order.value
        if not loading["now"] and chosen is not None:
            if not wb.edit(lambda plan: set_priority_why(plan, chosen, value), f"why '{titles[chosen]}' is a priority"):
                sync(chosen)

    for objective_id, box in boxes.items():
        box.observe(lambda change, o=objective_id: on_box(o, change["new"]), names="value")
    up.on_click(lambda _b: move(-1))
    down.on_click(lambda _b: move(1))
    order.observe(lambda change: None if loading["now"] else sync(change["new"]), names="value")
    why.observe(lambda change: on_why(change["new"]), names="value")
    sync()
    return w.VBox(
        [
            help_text(
                "Tick the objectives your partnership will work on together, using the matrix and "
                "your area's figures above. Then put them in order, most important first, and say why "
                "each matters here. Every choice is saved at once and marked in the matrix."
            ),
            w.HBox(groups, layout=w.Layout(flex_flow="row wrap")),
            order,
            w.HBox([up, down]),
            why,
            notes,
            wb.status,
        ]
    )


def _priority_count(plan: Plan) -> display.Html:
    count = len(section(plan).priorities)
    return display.paragraph(f"{count} priorit{'y' if count == 1 else 'ies'} chosen; see the ranked list below.")


exercise = Exercise(
    static=_priority_count,
    widgets=_priority_widgets,
    doc="Choose and rank priorities: widgets in a workshop, a one-line summary in a batch run.",
)


# ---- actions on the priorities ----------------------------------------------------------------
def objective_options(plan: Plan) -> list[tuple[str, str]]:
    """The objectives an action can be on: the team's priorities first, in rank order, then the rest."""
    titles = objective_titles()
    first = [(f"Priority {p.rank}: {titles.get(p.objective, p.objective)}", p.objective) for p in ranked(section(plan))]
    chosen = {o for _, o in first}
    return first + [(o.get("title"), o.id) for o in current_objectives() if o.id not in chosen]


def action_arguments(values: Mapping[str, Any]) -> dict[str, Any]:
    """The arguments of :func:`add_action` / :func:`update_action` from the form's values."""
    return {
        "objective_id": values["objective"],
        "what": values["what"],
        "lead": values.get("lead") or "joint",
        "by_when": values.get("by_when"),
        "measure": values.get("measure") or "",
        "status": values.get("status") or ActionStatus.NOT_STARTED,
    }


def measure_suggestions(objective_id: str | None) -> list[str]:
    """The measures to suggest for an action on an objective: those that fit it first, then the rest."""
    fits = suggested_measures(objective_id) if objective_id else []
    return [m.get("title") for m in fits + [m for m in measures() if m not in fits]]


def measures_note(objective_id: str | None) -> display.Html:
    """The measures that fit an objective, in words under the measure box (or that none fits)."""
    fits = suggested_measures(objective_id) if objective_id else []
    if not fits:
        return display.Html(
            "<div>No published measure fits this objective directly: agree a local one, or pick from the list.</div>"
        )
    items = "".join(f"<li><strong>{display.esc(m.get('title'))}</strong>: {display.esc(m.text)}</li>" for m in fits)
    return display.Html(f"<div>Suggested measures for this objective:<ul>{items}</ul></div>")


ACTIONS = RecordList(
    noun="action",
    fields=(
        Field("objective", "Objective (your priorities first)", "choice", options=objective_options, default=None),
        Field("what", "What will be done", placeholder="what the partners will do"),
        Field("lead", "Lead", "choice", options=[(label, key) for key, label in LEADS.items()], default="joint"),
        Field("by_when", "By when", "date", default=None),
        Field(
            "status",
            "Status",
            "choice",
            options=[(s.value, s.value) for s in ActionStatus],
            default=ActionStatus.NOT_STARTED.value,
        ),
        Field(
            "measure",
            "How progress is measured",
            "suggest",
            options=lambda _plan, values: measure_suggestions(values["objective"]),
            follows="objective",
            describe=lambda _plan, values: measures_note(values["objective"]),
            placeholder="choose a suggestion or type your own",
        ),
    ),
    records=lambda plan: section(plan).actions,
    add=lambda plan, values: add_action(plan, **action_arguments(values)),
    update=lambda plan, index, values: update_action(plan, index, **action_arguments(values)),
    remove=remove_action,
    label=lambda i, a: f"{i + 1}. {a.what} ({LEADS[a.lead]}, {a.status.value})",
    help="For each priority agree what the partners will do, who leads it (the local authority, health or both "
    "jointly), by when, and how you will know it is working. The suggested measures are published indicators "
    "or local counts that fit the objective; you may type your own. Choose 'New action' to add one, or pick "
    "an action to change its status or details. Nothing is saved until you press a button.",
)


def _current_priorities(plan: Plan) -> display.Html:
    """The team's priorities in rank order, in one line above the action form."""
    titles = objective_titles()
    names = [f"{p.rank}. {titles.get(p.objective, p.objective)}" for p in ranked(section(plan))]
    return display.paragraph("Your priorities: " + ("; ".join(names) if names else "none chosen yet") + ".")


def _action_count(plan: Plan) -> display.Html:
    return display.paragraph(f"{len(section(plan).actions)} action(s) recorded; see the plan below.")


action_exercise = Exercise(
    static=_action_count,
    widgets=lambda wb: ACTIONS.widgets(wb, before=[wb.view(_current_priorities)]),
    doc="Agree actions on the priorities: a form in a workshop, a one-line summary in a batch run.",
)
