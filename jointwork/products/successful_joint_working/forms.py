"""Product 3's exercises: rating the factors, and agreeing actions for the weakest ones.

Each is an :class:`~jointwork.workshop.blocks.Exercise`: widgets bound to the plan in a workshop,
what is saved in a batch run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from ...core.plan import ActionStatus
from ...core.responses import AreaResponses, answers_of
from ...render import display
from ...workshop.blocks import Exercise, Field, RecordList, Scale, rating_control
from .calculations import MAX_SCORE, weakest_factors
from .content import SLUG, content, factor_titles, factors, scale_labels
from .edits import action_fields, add_action, remove_action, section, update_action, with_rating
from .questionnaire import QUESTIONNAIRE
from .views import ratings_table, respondents_table

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


def rating_scale() -> Scale:
    """The four-point scale, with "Not rated" for a factor not rated yet."""
    return Scale(tuple(sorted(scale_labels().items())))


def _rating_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled
    from ...workshop.responding import RespondentBar

    scale = rating_scale()
    loading = {"now": False}
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

    def load_response(response: Any) -> None:
        loading["now"] = True
        editable = response is not None and bar.can_answer
        for factor_id, (rating, evidence) in rows.items():
            score = response.value(factor_id) if response else None
            rating.value = score or 0
            evidence.value = response.note(factor_id) if response else ""
            rating.control.disabled = evidence.disabled = not editable
        loading["now"] = False

    bar = RespondentBar(wb, SLUG, QUESTIONNAIRE, load_response)
    load_response(bar.response)

    def on_change(factor_id: str, what: str) -> None:
        response = bar.response
        if loading["now"] or response is None:
            return
        rating, evidence = rows[factor_id]
        answers = with_rating(response.answers, factor_id, rating.value or None, evidence.value)
        bar.save(answers, f"{response.label}'s {what} '{factor_titles()[factor_id]}'")

    for factor_id, (rating, evidence) in rows.items():
        rating.control.observe(lambda _c, f=factor_id: on_change(f, "rating of"), names="value")
        evidence.observe(lambda _c, f=factor_id: on_change(f, "evidence for"), names="value")

    return w.VBox(
        [
            bar.widget,
            help_text(
                f"Rate every factor from 1 to {MAX_SCORE} as you see it today, with a note of your evidence. "
                "Each rating is saved into this round as soon as it is chosen; only your entry is written."
            ),
            wb.status,
            accordion,
        ]
    )


exercise = Exercise(
    static=lambda plan, responses=None: respondents_table(plan, responses) + ratings_table(plan, responses),
    widgets=_rating_widgets,
    doc="The rating exercise: each partner's own entry in a workshop, the round's ratings in a batch run.",
)


def _factor_options(responses: AreaResponses | None) -> list[tuple[str, str]]:
    """Every factor, the weakest (by the current round's ratings) first."""
    weakest = weakest_factors(answers_of(responses, SLUG), len(factors()))
    ordered = weakest + [f.id for f in factors() if f.id not in weakest]
    titles = factor_titles()
    return [(titles[f], f) for f in ordered]


ACTIONS = RecordList(
    noun="action",
    fields=(
        Field("factor", "Factor (weakest first)", "choice", options=lambda plan: _factor_options(None), default=None),
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


def _action_widgets(wb: Workbook) -> Any:
    """The action form, its factors ordered by the workbook's current round (weakest first)."""
    fields = tuple(
        replace(f, options=lambda plan: _factor_options(wb.responses)) if f.name == "factor" else f
        for f in ACTIONS.fields
    )
    return replace(ACTIONS, fields=fields).widgets(wb)


action_exercise = Exercise(
    static=lambda plan: display.paragraph(f"{len(section(plan).actions)} action(s) recorded; see the list below."),
    widgets=_action_widgets,
    doc="Agree actions for the weakest factors: a form in a workshop, a count in a batch run.",
)
