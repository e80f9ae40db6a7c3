"""Product 3's exercises: rating the factors, and agreeing actions for the weakest ones.

Each is an :class:`~jointwork.workshop.blocks.Exercise`: widgets bound to the plan in a workshop,
what is saved in a batch run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.plan import ActionStatus, Sector
from ...core.plan import PlanBase as Plan
from ...render import display
from ...workshop.blocks import Exercise, Field, RecordList, Scale, rating_control
from .calculations import MAX_SCORE, weakest_factors
from .content import content, factor_titles, factors, scale_labels
from .edits import action_fields, add_action, add_respondent, remove_action, section, set_rating, update_action
from .views import ratings_table, respondents_table

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


def rating_scale() -> Scale:
    """The four-point scale, with "Not rated" for a factor not rated yet."""
    return Scale(tuple(sorted(scale_labels().items())))


def _rating_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled

    scale = rating_scale()
    loading = {"now": False}

    name_box = w.Text(placeholder="a name or a label such as 'Respondent A'", layout=w.Layout(width="300px"))
    labelled(name_box, "New respondent")
    sector_box = w.Dropdown(options=[(s.label, s.value) for s in Sector], value=Sector.LOCAL_AUTHORITY.value)
    labelled(sector_box, "Sector")
    add_button = w.Button(
        description="Add respondent", button_style="primary", tooltip="Add this respondent to the plan"
    )
    picker = w.Dropdown(options=[r.name for r in section(wb.plan).respondents], layout=w.Layout(width="420px"))
    labelled(picker, "Rating as")

    rows: dict[str, tuple[Any, Any]] = {}
    groups = []
    for principle in content().group("principles"):
        items = []
        for factor in [f for f in factors() if f.get("principle") == principle.id]:
            rating = rating_control(scale, "Rating", factor.get("descriptors"))
            evidence = w.Textarea(
                placeholder="What evidence supports this rating?",
                continuous_update=False,
                layout=w.Layout(width="100%"),
            )
            labelled(evidence, "Evidence")
            rows[factor.id] = (rating, evidence)
            intro = w.HTML(f"<strong>{display.esc(factor.get('title'))}</strong>: {display.esc(factor.text)}")
            items.append(
                w.VBox([intro, *rating.widgets(), evidence], layout=w.Layout(border="1px solid #ccc", padding="6px"))
            )
        groups.append(w.VBox(items))
    accordion = w.Accordion(children=groups, titles=tuple(p.get("title") for p in content().group("principles")))

    def load_respondent(name: str | None) -> None:
        loading["now"] = True
        match = [r for r in section(wb.plan).respondents if r.name == name]
        for factor_id, (rating, evidence) in rows.items():
            saved = match[0].ratings.get(factor_id) if match else None
            rating.value = (saved.score or 0) if saved else 0
            evidence.value = saved.evidence if saved else ""
            rating.control.disabled = evidence.disabled = not match
        loading["now"] = False

    def on_score(factor_id: str, value: int) -> None:
        if not loading["now"] and picker.value:
            wb.edit(
                lambda plan: set_rating(
                    plan, picker.value, factor_id, score=value or None, evidence=rows[factor_id][1].value
                ),
                f"{picker.value}'s rating of '{factor_titles()[factor_id]}'",
            )

    def on_evidence(factor_id: str, value: str) -> None:
        if not loading["now"] and picker.value:
            wb.edit(
                lambda plan: set_rating(
                    plan, picker.value, factor_id, evidence=value, score=rows[factor_id][0].value or None
                ),
                f"{picker.value}'s evidence for '{factor_titles()[factor_id]}'",
            )

    for factor_id, (rating, evidence) in rows.items():
        rating.control.observe(lambda change, f=factor_id: on_score(f, change["new"]), names="value")
        evidence.observe(lambda change, f=factor_id: on_evidence(f, change["new"]), names="value")

    def add(_button: Any) -> None:
        name = name_box.value.strip()
        if not name:
            wb.say("Type a name or label for the respondent first.")
            return
        if wb.edit(lambda plan: add_respondent(plan, name, sector_box.value), f"respondent {name}"):
            picker.options = [r.name for r in section(wb.plan).respondents]
            picker.value = name
            name_box.value = ""

    add_button.on_click(add)
    picker.observe(lambda change: load_respondent(change["new"]), names="value")
    load_respondent(picker.value)
    return w.VBox(
        [
            help_text(
                "Add each person taking part, with their sector, then rate every factor from 1 to "
                f"{MAX_SCORE} as they see it today. Ratings are saved as soon as they are chosen."
            ),
            w.HBox([name_box, sector_box, add_button]),
            picker,
            wb.status,
            accordion,
        ]
    )


exercise = Exercise(
    static=lambda plan: respondents_table(plan) + ratings_table(plan),
    widgets=_rating_widgets,
    doc="The rating exercise: widgets in a workshop, the recorded ratings in a batch run.",
)


def _factor_options(plan: Plan) -> list[tuple[str, str]]:
    """Every factor, the weakest (by the ratings so far) first."""
    weakest = weakest_factors(section(plan), len(factors()))
    ordered = weakest + [f.id for f in factors() if f.id not in weakest]
    titles = factor_titles()
    return [(titles[f], f) for f in ordered]


ACTIONS = RecordList(
    noun="action",
    fields=(
        Field("factor", "Factor (weakest first)", "choice", options=_factor_options, default=None),
        Field("action", "Action", placeholder="what will be done"),
        Field("owner", "Owner", placeholder="who will do it"),
        Field("due", "Due by", "date", default=None),
        Field(
            "status",
            "Status",
            "choice",
            options=[(s.value, s.value) for s in ActionStatus],
            default=ActionStatus.NOT_STARTED.value,
        ),
    ),
    records=lambda plan: section(plan).actions,
    add=lambda plan, values: add_action(plan, **_renamed(action_fields(values))),
    update=lambda plan, index, values: update_action(plan, index, **action_fields(values)),
    remove=remove_action,
    label=lambda i, a: f"{i + 1}. {a.action} ({a.status.value})",
    help="Agree an action, an owner and a date for each of the weakest factors. Choose 'New action' to add one, "
    "or pick an action to change its status or details. Nothing is saved until you press a button.",
)


def _renamed(fields: dict[str, Any]) -> dict[str, Any]:
    return {"factor_id" if key == "factor" else key: value for key, value in fields.items()}


action_exercise = Exercise(
    static=lambda plan: display.paragraph(f"{len(section(plan).actions)} action(s) recorded; see the list below."),
    widgets=ACTIONS.widgets,
    doc="Agree actions for the weakest factors: a form in a workshop, a count in a batch run.",
)
