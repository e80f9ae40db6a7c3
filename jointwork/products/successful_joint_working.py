"""Product 3, "Successful joint working needs...": factors, barriers, essential actions and a
self-assessment rated by several respondents from each sector.

Static outputs take a :class:`~jointwork.plan.Plan` and return HTML, so a notebook shows them
with ``wb.view(...)`` both in a workshop and in a batch run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from statistics import mean
from typing import TYPE_CHECKING, Any

from .. import display
from ..charts import Series, bar_chart
from ..content import Entry, ProductContent, load_content
from ..plan import ActionStatus, FactorAction, FactorRating, Plan, Respondent, Sector, SelfAssessmentSection

if TYPE_CHECKING:
    import pandas as pd

    from ..workbook import Workbook

SLUG = "successful_joint_working"
SECTORS = (Sector.LOCAL_AUTHORITY, Sector.HEALTH, Sector.OTHER)
SECTOR_LABEL = {Sector.LOCAL_AUTHORITY: "Local authority", Sector.HEALTH: "Health", Sector.OTHER: "Other"}
MAX_SCORE = 4


def content() -> ProductContent:
    return load_content(3)


def factors() -> list[Entry]:
    return content().group("factors")


def factor_titles() -> dict[str, str]:
    return {f.id: f.get("title") for f in factors()}


def scale_labels() -> dict[int, str]:
    return {int(s.get("score")): s.get("label") for s in content().group("scale")}


def check(section: SelfAssessmentSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Ratings and actions must name factors that exist in the content."""
    known = factor_titles()
    expected = "one of the factor ids: " + ", ".join(known)
    for i, respondent in enumerate(section.respondents):
        for factor_id in respondent.ratings:
            if factor_id not in known:
                yield ("respondents", i, "ratings", factor_id), expected
    for i, action in enumerate(section.actions):
        if action.factor not in known:
            yield ("actions", i, "factor"), expected


# ---- Reference content ----------------------------------------------------------------------
def framework() -> display.Html:
    """The six principles, the factors under each and what every point of the scale looks like."""
    c = content()
    labels = scale_labels()
    blocks = []
    for principle in c.group("principles"):
        blocks.append(display.heading(principle.get("title"), 4))
        blocks.append(display.paragraph(principle.text))
        rows = [{"Factor": f.get("title"), "What good looks like": f.text,
                 **{f"{n} {labels[n]}": f.get("descriptors")[n] for n in sorted(labels)},
                 "Source": c.cite(f)}
                for f in factors() if f.get("principle") == principle.id]
        blocks.append(display.table(rows, f"Factors under '{principle.get('title')}' and the rating scale"))
    return display.join(blocks)


def barriers_table() -> display.Html:
    """The barriers partnerships met in 2007-08, each with its theme and how it shows up today."""
    c = content()
    rows = [{"Barrier": b.get("title"), "Theme": b.get("theme"), "What happened": b.text,
             "Today": b.get("then_now"), "Source": c.cite(b)} for b in c.group("barriers")]
    return display.table(rows, "Barriers to joint working, then and now")


def essential_actions_table() -> display.Html:
    """Essential actions, who leads each and which factors they strengthen."""
    c = content()
    titles = factor_titles()
    rows = [{"Essential action": a.get("title"), "What it involves": a.text, "Lead": a.get("lead"),
             "Strengthens": "; ".join(titles[f] for f in a.get("factors", [])), "Source": c.cite(a)}
            for a in c.group("essential_actions")]
    return display.table(rows, "Essential actions that put the factors into practice")


# ---- Scores ---------------------------------------------------------------------------------
def scores(section: SelfAssessmentSection) -> "pd.DataFrame":
    """One row per factor: mean score overall and by sector, the number of ratings and their range."""
    import pandas as pd

    rows = []
    for factor in factors():
        by_sector: dict[Sector, list[int]] = {s: [] for s in SECTORS}
        for respondent in section.respondents:
            rating = respondent.ratings.get(factor.id)
            if rating is not None and rating.score is not None:
                by_sector[respondent.sector].append(rating.score)
        every = [s for values in by_sector.values() for s in values]
        rows.append({
            "factor_id": factor.id,
            "factor": factor.get("title"),
            "principle": factor.get("principle"),
            "ratings": len(every),
            "mean": round(float(mean(every)), 2) if every else None,
            **{SECTOR_LABEL[s]: (round(float(mean(v)), 2) if v else None) for s, v in by_sector.items()},
            "range": (max(every) - min(every)) if every else None,
        })
    return pd.DataFrame(rows)


def disagreement(section: SelfAssessmentSection) -> "pd.DataFrame":
    """Factors rated by both local authority and health respondents, largest gap first."""
    frame = scores(section)
    both = frame.dropna(subset=["Local authority", "Health"]).copy()
    both["gap"] = (both["Local authority"] - both["Health"]).abs().round(2)
    return both.sort_values(["gap", "factor"], ascending=[False, True]).reset_index(drop=True)


def weakest_factors(section: SelfAssessmentSection, count: int = 3) -> list[str]:
    """Ids of the rated factors with the lowest mean score (ties broken by content order)."""
    frame = scores(section).dropna(subset=["mean"])
    return list(frame.sort_values("mean", kind="stable")["factor_id"].head(count))


def respondents_table(plan: Plan) -> display.Html:
    section = plan.section(SLUG)
    rows = [{"Respondent": r.name, "Sector": SECTOR_LABEL[r.sector],
             "Factors rated": sum(1 for x in r.ratings.values() if x.score is not None),
             "Evidence notes": sum(1 for x in r.ratings.values() if x.evidence)} for r in section.respondents]
    return display.table(rows, "Who has rated the factors", empty="No one has rated the factors yet.")


def ratings_table(plan: Plan) -> display.Html:
    """Every rating with its evidence, factor by factor."""
    section = plan.section(SLUG)
    labels = scale_labels()
    rows = []
    for factor in factors():
        for r in section.respondents:
            rating = r.ratings.get(factor.id)
            if rating and (rating.score is not None or rating.evidence):
                score = "" if rating.score is None else f"{rating.score} {labels[rating.score]}"
                rows.append({"Factor": factor.get("title"), "Respondent": r.name,
                             "Sector": SECTOR_LABEL[r.sector], "Rating": score, "Evidence": rating.evidence})
    return display.table(rows, "Ratings and evidence", empty="No ratings yet.")


def scores_table(plan: Plan) -> display.Html:
    frame = scores(plan.section(SLUG))
    present = [SECTOR_LABEL[s] for s in SECTORS if frame[SECTOR_LABEL[s]].notna().any()]
    shown = frame[["factor", "ratings", "mean", *present, "range"]].rename(
        columns={"factor": "Factor", "ratings": "Ratings", "mean": "All", "range": "Range (max - min)"})
    return display.frame_table(shown, f"Mean score by factor and sector (1 = not in place, {MAX_SCORE} = embedded)")


def scores_chart(plan: Plan) -> display.Html:
    """Grouped bars of mean score by factor for each sector that has rated, with an active title."""
    section = plan.section(SLUG)
    frame = scores(section)
    series = [Series(SECTOR_LABEL[s], [None if v != v else v for v in frame[SECTOR_LABEL[s]]])
              for s in SECTORS if frame[SECTOR_LABEL[s]].notna().any()]
    if not series:
        return display.notice("No ratings yet: the chart appears once someone rates a factor.")
    weakest = weakest_factors(section, 1)
    title = (f"Weakest factor: {factor_titles()[weakest[0]]} "
             f"(mean {frame.set_index('factor_id').loc[weakest[0], 'mean']:.1f} of {MAX_SCORE})")
    description = (f"Horizontal bars show the mean rating of each of {len(frame)} factors by "
                   f"{', '.join(s.name.lower() for s in series)} respondents, on a scale of 1 to {MAX_SCORE}. "
                   "Each bar is labelled with its sector and value.")
    return bar_chart(list(frame["factor"]), series, title, description, MAX_SCORE, "{:.1f}", "Mean rating")


def disagreements(plan: Plan, top: int = 5) -> display.Html:
    """The factors where local authority and health respondents differ most."""
    frame = disagreement(plan.section(SLUG)).head(top)
    frame = frame[frame["gap"] > 0]
    if frame.empty:
        return display.notice("No disagreement to show: it needs factors rated by both local authority "
                              "and health respondents, with different means.")
    rows = [{"Factor": r.factor, "Local authority": r["Local authority"], "Health": r.Health, "Gap": r.gap,
             "Who rates it higher": "Local authority" if r["Local authority"] > r.Health else "Health"}
            for _, r in frame.iterrows()]
    return display.table(rows, f"Where local authority and health respondents disagree most (top {len(rows)})")


def action_list(plan: Plan, today: date | None = None) -> display.Html:
    """Actions for the factors, plus the weakest factors that still have no action."""
    section = plan.section(SLUG)
    titles = factor_titles()
    rows = [{"Factor": titles[a.factor], "Action": a.action, "Owner": a.owner or "not yet named",
             "Due": a.due.isoformat() if a.due else "no date", "Status": a.status.value,
             "Overdue": "yes" if (a.due and today and a.due < today and a.status != ActionStatus.DONE) else ""}
            for a in sorted(section.actions, key=lambda a: (a.due or date.max, a.action))]
    columns = ["Factor", "Action", "Owner", "Due", "Status"] + (["Overdue"] if today else [])
    blocks = [display.table(rows, "Action list for the weakest factors", columns,
                            empty="No actions agreed yet.")]
    covered = {a.factor for a in section.actions}
    gaps = [titles[f] for f in weakest_factors(section) if f not in covered]
    if gaps:
        blocks.append(display.paragraph("Weakest factors with no action yet: " + "; ".join(gaps) + "."))
    return display.join(blocks)


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return content().sources_table()


# ---- Workshop ------------------------------------------------------------------------------
def exercise(wb: "Workbook") -> Any:
    """The rating exercise: widgets in a workshop, the recorded ratings in a batch run."""
    if not wb.interactive:
        return respondents_table(wb.plan) + ratings_table(wb.plan)
    return _rating_widgets(wb)


def action_exercise(wb: "Workbook") -> Any:
    """Agree actions for the weakest factors: a form in a workshop, nothing extra in a batch run."""
    if not wb.interactive:
        return display.paragraph(f"{len(wb.plan.section(SLUG).actions)} action(s) recorded; see the list below.")
    return _action_widgets(wb)


# ---- Plan edits (used by the widgets, the app and tests) --------------------------------------
def add_respondent(plan: Plan, name: str, sector: Sector | str) -> None:
    section = plan.section(SLUG)
    if any(r.name == name.strip() for r in section.respondents):
        raise ValueError(f"a respondent called {name!r} is already in the plan")
    section.respondents.append(Respondent(name=name, sector=Sector(sector)))


def set_rating(plan: Plan, respondent: str, factor_id: str, score: int | None = None,
               evidence: str | None = None) -> None:
    section = plan.section(SLUG)
    match = [r for r in section.respondents if r.name == respondent]
    if not match:
        raise ValueError(f"no respondent called {respondent!r}")
    current = match[0].ratings.get(factor_id, FactorRating())
    match[0].ratings[factor_id] = FactorRating(
        score=current.score if score is None and evidence is not None else score,
        evidence=current.evidence if evidence is None else evidence)


def add_action(plan: Plan, factor_id: str, action: str, owner: str = "", due: date | None = None,
               status: ActionStatus | str = ActionStatus.NOT_STARTED) -> None:
    plan.section(SLUG).actions.append(FactorAction(factor=factor_id, action=action, owner=owner, due=due,
                                                   status=ActionStatus(status)))


def set_action_status(plan: Plan, index: int, status: ActionStatus | str) -> None:
    plan.section(SLUG).actions[index].status = ActionStatus(status)


def _rating_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    labels = scale_labels()
    descriptors = {f.id: f.get("descriptors") for f in factors()}
    score_options = [("Not rated", 0)] + [(f"{n} {labels[n]}", n) for n in sorted(labels)]
    loading = {"now": False}

    name_box = w.Text(placeholder="a name or a label such as 'Respondent A'", layout=w.Layout(width="300px"))
    labelled(name_box, "New respondent")
    sector_box = w.Dropdown(options=[(SECTOR_LABEL[s], s.value) for s in SECTORS], value=Sector.LOCAL_AUTHORITY.value)
    labelled(sector_box, "Sector")
    add_button = w.Button(description="Add respondent", button_style="primary", tooltip="Add this respondent to the plan")
    picker = w.Dropdown(options=[r.name for r in wb.plan.section(SLUG).respondents], layout=w.Layout(width="420px"))
    labelled(picker, "Rating as")

    rows: dict[str, tuple[Any, Any, Any]] = {}
    groups = []
    for principle in content().group("principles"):
        items = []
        for factor in [f for f in factors() if f.get("principle") == principle.id]:
            score = w.RadioButtons(options=score_options, value=0, layout=w.Layout(width="auto"))
            labelled(score, "Rating")
            meaning = w.HTML()
            evidence = w.Textarea(placeholder="What evidence supports this rating?", continuous_update=False,
                                  layout=w.Layout(width="100%"))
            labelled(evidence, "Evidence")
            rows[factor.id] = (score, meaning, evidence)
            items.append(w.VBox([w.HTML(f"<strong>{display.esc(factor.get('title'))}</strong>: {display.esc(factor.text)}"),
                                 score, meaning, evidence], layout=w.Layout(border="1px solid #ccc", padding="6px")))
        groups.append(w.VBox(items))
    accordion = w.Accordion(children=groups, titles=tuple(p.get("title") for p in content().group("principles")))

    def show_meaning(factor_id: str, value: int) -> None:
        text = descriptors[factor_id].get(value) if value else "Choose the point of the scale that fits best."
        rows[factor_id][1].value = f"<em>{display.esc(text)}</em>"

    def load_respondent(name: str | None) -> None:
        loading["now"] = True
        match = [r for r in wb.plan.section(SLUG).respondents if r.name == name]
        for factor_id, (score, _meaning, evidence) in rows.items():
            rating = match[0].ratings.get(factor_id) if match else None
            score.value = (rating.score or 0) if rating else 0
            evidence.value = rating.evidence if rating else ""
            score.disabled = evidence.disabled = not match
            show_meaning(factor_id, score.value)
        loading["now"] = False

    def on_score(factor_id: str, value: int) -> None:
        show_meaning(factor_id, value)
        if not loading["now"] and picker.value:
            wb.edit(lambda plan: set_rating(plan, picker.value, factor_id, score=value or None,
                                            evidence=rows[factor_id][2].value),
                    f"{picker.value}'s rating of '{factor_titles()[factor_id]}'")

    def on_evidence(factor_id: str, value: str) -> None:
        if not loading["now"] and picker.value:
            wb.edit(lambda plan: set_rating(plan, picker.value, factor_id, evidence=value,
                                            score=rows[factor_id][0].value or None),
                    f"{picker.value}'s evidence for '{factor_titles()[factor_id]}'")

    for factor_id, (score, _meaning, evidence) in rows.items():
        score.observe(lambda change, f=factor_id: on_score(f, change["new"]), names="value")
        evidence.observe(lambda change, f=factor_id: on_evidence(f, change["new"]), names="value")

    def add(_button: Any) -> None:
        name = name_box.value.strip()
        if not name:
            wb.status.value = '<div role="alert">Type a name or label for the respondent first.</div>'
            return
        if wb.edit(lambda plan: add_respondent(plan, name, sector_box.value), f"respondent {name}"):
            picker.options = [r.name for r in wb.plan.section(SLUG).respondents]
            picker.value = name
            name_box.value = ""

    add_button.on_click(add)
    picker.observe(lambda change: load_respondent(change["new"]), names="value")
    load_respondent(picker.value)
    return w.VBox([help_text("Add each person taking part, with their sector, then rate every factor from 1 to "
                             f"{MAX_SCORE} as they see it today. Ratings are saved as soon as they are chosen."),
                   w.HBox([name_box, sector_box, add_button]), picker, wb.status, accordion])


def _action_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    def factor_options() -> list[tuple[str, str]]:
        weakest = weakest_factors(wb.plan.section(SLUG), len(factors()))
        ordered = weakest + [f.id for f in factors() if f.id not in weakest]
        return [(factor_titles()[f], f) for f in ordered]

    factor_box = w.Dropdown(options=factor_options(), layout=w.Layout(width="420px"))
    labelled(factor_box, "Factor (weakest first)")
    action_box = w.Text(placeholder="what will be done", layout=w.Layout(width="420px"))
    labelled(action_box, "Action")
    owner_box = w.Text(placeholder="who will do it", layout=w.Layout(width="420px"))
    labelled(owner_box, "Owner")
    due_box = w.DatePicker()
    labelled(due_box, "Due by")
    status_box = w.Dropdown(options=[s.value for s in ActionStatus], value=ActionStatus.NOT_STARTED.value)
    labelled(status_box, "Status")
    add_button = w.Button(description="Add action", button_style="primary")

    existing = w.Dropdown(layout=w.Layout(width="420px"))
    labelled(existing, "Existing action")
    new_status = w.Dropdown(options=[s.value for s in ActionStatus])
    labelled(new_status, "New status")
    update_button = w.Button(description="Update status")

    def refresh_existing() -> None:
        chosen = existing.value
        existing.options = [(f"{a.action} ({a.status.value})", i) for i, a in enumerate(wb.plan.section(SLUG).actions)]
        if existing.options:
            existing.value = chosen if chosen is not None and chosen < len(existing.options) else 0

    def add(_button: Any) -> None:
        if not action_box.value.strip():
            wb.status.value = '<div role="alert">Describe the action before adding it.</div>'
            return
        if wb.edit(lambda plan: add_action(plan, factor_box.value, action_box.value, owner_box.value,
                                           due_box.value, status_box.value), "a new action"):
            action_box.value = owner_box.value = ""
            refresh_existing()
            factor_box.options = factor_options()

    def update(_button: Any) -> None:
        if existing.value is not None and wb.edit(lambda plan: set_action_status(plan, existing.value, new_status.value),
                                                  "an action's status"):
            refresh_existing()

    add_button.on_click(add)
    update_button.on_click(update)
    refresh_existing()
    return w.VBox([help_text("Agree an action, an owner and a date for each of the weakest factors. "
                             "Each action is saved when you press Add action."),
                   factor_box, action_box, owner_box, due_box, status_box, add_button,
                   w.HTML("<strong>Update an action</strong>"), existing, new_status, update_button, wb.status])
