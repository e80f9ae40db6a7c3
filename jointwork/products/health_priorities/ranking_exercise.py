"""Product 2's partner ranking: each partner ranks the objectives on their own (a response in a round),
and the group sees the combined ranking and how far they agree before choosing the plan's priorities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.plan import PlanBase as Plan
from ...core.responses import AreaResponses, answers_of
from ...render import display
from ...workshop.blocks import Exercise
from .content import SLUG, current_objectives, objective_titles
from .partner_rankings import agreement_words, combined_ranking, kendalls_w, rankers
from .questionnaire import QUESTIONNAIRE

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


def _round_words(responses: AreaResponses | None) -> str:
    now = responses.current(SLUG) if responses is not None else None
    return f" in the round '{now.round.name}'" if now else ""


def combined_ranking_table(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """The partners' combined ranking (mean rank, best first) and, in words, how far they agree."""
    answers = answers_of(responses, SLUG)
    who = rankers(answers)
    if not who:
        return display.notice(
            "No partner has ranked the objectives yet: the combined ranking appears once someone does."
        )
    frame = combined_ranking(answers)
    rows = [
        {
            "Place": i,
            "Objective": r["objective"],
            "Mean rank": r["mean_rank"],
            "Partners who ranked it": r["ranked_by"],
            "Ranked first by": r["first_for"],
        }
        for i, (_, r) in enumerate(frame.iterrows(), start=1)
    ]
    caption = (
        f"Combined ranking of {len(who)} partner(s){_round_words(responses)}: mean rank, lowest first "
        "(an objective a partner did not rank counts as tied below the ones they did)"
    )
    return display.join([display.paragraph(agreement_words(kendalls_w(answers))), display.table(rows, caption)])


def _ranking_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled
    from ...workshop.responding import RespondentBar

    objectives = current_objectives()
    titles = objective_titles()
    places = [("not ranked", 0), *((str(n), n) for n in range(1, len(objectives) + 1))]
    loading = {"now": False}
    rows: dict[str, tuple[Any, Any]] = {}
    items = []
    for objective in objectives:
        rank = w.Dropdown(options=places, value=0, layout=w.Layout(width="260px"))
        labelled(rank, "Rank")
        why = w.Text(placeholder="why (optional)", continuous_update=False, layout=w.Layout(width="420px"))
        labelled(why, "Why")
        rows[objective.id] = (rank, why)
        items.append(
            w.VBox(
                [w.HTML(f"<strong>{display.esc(objective.get('title'))}</strong>"), w.HBox([rank, why])],
                layout=w.Layout(border="1px solid #ccc", padding="4px"),
            )
        )

    def load_response(response: Any) -> None:
        loading["now"] = True
        editable = response is not None and bar.can_answer
        for objective_id, (rank, why) in rows.items():
            value = response.value(objective_id) if response else None
            rank.value = value if isinstance(value, int) and 0 < value <= len(objectives) else 0
            why.value = response.note(objective_id) if response else ""
            rank.disabled = why.disabled = not editable
        loading["now"] = False

    bar = RespondentBar(wb, SLUG, QUESTIONNAIRE, load_response)
    load_response(bar.response)

    def on_change(objective_id: str) -> None:
        response = bar.response
        if loading["now"] or response is None:
            return
        chosen = rows[objective_id][0].value or None
        answers: dict[str, dict[str, Any]] = {}
        for other, (rank, why) in rows.items():
            value = rank.value or None
            if other != objective_id and chosen is not None and value == chosen:
                value = None  # the rank moves to the objective just given it
            if value is not None or why.value.strip():
                answers[other] = {"value": value, "note": why.value}
        bar.save(answers, f"{response.label}'s ranking of '{titles[objective_id]}'")

    for objective_id, (rank, why) in rows.items():
        rank.observe(lambda _c, o=objective_id: on_change(o), names="value")
        why.observe(lambda _c, o=objective_id: on_change(o), names="value")

    return w.VBox(
        [
            bar.widget,
            help_text(
                "Give the objectives that matter most here a rank: 1 for the most important, then 2, 3 and so on. "
                "Rank as many as you like; giving a rank that another objective has moves it to this one. "
                "Each choice is saved into this round at once; only your entry is written."
            ),
            wb.status,
            w.VBox(items),
        ]
    )


def _ranking_count(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    who = rankers(answers_of(responses, SLUG))
    return display.paragraph(
        f"{len(who)} partner(s) ranked the objectives{_round_words(responses)}; the combined ranking is below."
    )


ranking_exercise = Exercise(
    static=_ranking_count,
    widgets=_ranking_widgets,
    doc="Each partner ranks the objectives: their own entry in a workshop, the combined ranking in a batch run.",
)
