"""Product 3's views: the framework and reference tables, and what the plan's ratings and actions show.

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ...core.plan import ActionStatus, Sector
from ...core.plan import PlanBase as Plan
from ...core.responses import AreaResponses, Response, RoundResponses, answers_of
from ...render import display
from ...render.charts import Series, bar_chart, dot_chart
from .calculations import (
    MAX_SCORE,
    MIN_GROUP,
    agreement_words,
    answered,
    change,
    disagreement,
    hidden_notice_text,
    hidden_sectors,
    principle_means,
    scores,
    sector_means,
    weakest_factors,
)
from .content import SLUG, content, factor_titles, factors, scale_labels
from .edits import section as section_of


# ---- Reference content ----------------------------------------------------------------------
def framework() -> display.Html:
    """The six principles, the factors under each and what every point of the scale looks like."""
    c = content()
    labels = scale_labels()
    blocks = []
    for principle in c.group("principles"):
        blocks.append(display.heading(principle.get("title"), 4))
        blocks.append(display.paragraph(principle.text))
        rows = [
            {
                "Factor": f.get("title"),
                "What good looks like": f.text,
                **{f"{n} {labels[n]}": f.get("descriptors")[n] for n in sorted(labels)},
                "Source": c.cite(f),
            }
            for f in factors()
            if f.get("principle") == principle.id
        ]
        blocks.append(display.table(rows, f"Factors under '{principle.get('title')}' and the rating scale"))
    return display.join(blocks)


def barriers_table() -> display.Html:
    """The barriers partnerships met in 2007-08, each with its theme and how it shows up today."""
    c = content()
    rows = [
        {
            "Barrier": b.get("title"),
            "Theme": b.get("theme"),
            "What happened": b.text,
            "Today": b.get("then_now"),
            "Source": c.cite(b),
        }
        for b in c.group("barriers")
    ]
    return display.table(rows, "Barriers to joint working, then and now")


def essential_actions_table() -> display.Html:
    """Essential actions, who leads each and which factors they strengthen."""
    c = content()
    titles = factor_titles()
    rows = [
        {
            "Essential action": a.get("title"),
            "What it involves": a.text,
            "Lead": a.get("lead"),
            "Strengthens": "; ".join(titles[f] for f in a.get("factors", [])),
            "Source": c.cite(a),
        }
        for a in c.group("essential_actions")
    ]
    return display.table(rows, "Essential actions that put the factors into practice")


def _round(responses: AreaResponses | None) -> RoundResponses | None:
    return responses.current(SLUG) if responses is not None else None


def _answers(responses: AreaResponses | None) -> tuple[Response, ...]:
    return answers_of(responses, SLUG)


def _round_words(responses: AreaResponses | None) -> str:
    """`` in the round 'Baseline, February 2026'`` (or "" when there is no round)."""
    now = _round(responses)
    return f" in the round '{now.round.name}'" if now else ""


def _hidden(answers: Sequence[Response]) -> list[display.Html]:
    text = hidden_notice_text(answers)
    return [display.notice(text)] if text else []


def who(response: Response) -> str:
    """How a response is named in a table: the name, or "anonymous" (never the label, which would let
    one anonymous person's answers be followed from factor to factor)."""
    return "anonymous" if response.anonymous else str(response.name)


def respondents_table(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """Who has rated the factors in this round, their sector, and how many ratings and evidence notes
    each gave; anonymous responses are counted together, by sector, so none can be told apart."""
    answers = _answers(responses)
    rows = [
        {
            "Respondent": r.name,
            "Sector": r.sector.label,
            "Factors rated": sum(1 for f in factor_titles() if isinstance(r.value(f), int)),
            "Evidence notes": sum(1 for f in factor_titles() if r.note(f)),
        }
        for r in answers
        if not r.anonymous
    ]
    anonymous = [r for r in answers if r.anonymous]
    hidden = set(hidden_sectors(answers))
    for sector in Sector:
        group = [r for r in anonymous if r.sector == sector]
        if group:
            rows.append(
                {
                    "Respondent": f"{len(group)} anonymous",
                    "Sector": sector.label,
                    "Factors rated": sum(sum(1 for f in factor_titles() if isinstance(r.value(f), int)) for r in group),
                    "Evidence notes": sum(sum(1 for f in factor_titles() if r.note(f)) for r in group),
                }
            )
    if hidden and len(anonymous) < MIN_GROUP:  # so few anonymous answers that a sector would give them away
        rows = [r for r in rows if not str(r["Respondent"]).endswith("anonymous")]
        rows.append(
            {
                "Respondent": f"{len(anonymous)} anonymous",
                "Sector": "not shown",
                "Factors rated": sum(sum(1 for f in factor_titles() if isinstance(r.value(f), int)) for r in anonymous),
                "Evidence notes": sum(sum(1 for f in factor_titles() if r.note(f)) for r in anonymous),
            }
        )
    return display.table(
        rows, "Who has rated the factors" + _round_words(responses), empty="No one has rated the factors yet."
    )


def ratings_table(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """Every rating with its evidence, factor by factor. Anonymous ratings show no name and no sector,
    and come after the named ones in score order, so none can be followed from factor to factor."""
    answers = _answers(responses)
    labels = scale_labels()
    rows = []
    for factor in factors():
        named, anonymous = [], []
        for r in answers:
            score, note = r.value(factor.id), r.note(factor.id)
            if score is None and not note:
                continue
            row = {
                "Factor": factor.get("title"),
                "Respondent": who(r),
                "Sector": "" if r.anonymous else r.sector.label,
                "Rating": "" if score is None else f"{score} {labels[score]}",
                "Evidence": note,
            }
            (anonymous if r.anonymous else named).append(row)
        rows.extend(named)
        rows.extend(sorted(anonymous, key=lambda row: (row["Rating"], row["Evidence"])))
    return display.table(rows, "Ratings and evidence" + _round_words(responses), empty="No ratings yet.")


def scores_table(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """The mean score of each factor, overall and by each sector that has rated (a small sector with
    anonymous answers left out, saying so), with the range and the spread of the scores."""
    answers = _answers(responses)
    frame = scores(answers)
    present = [s.label for s in Sector if frame[s.label].notna().any()]
    frame["agreement"] = [agreement_words(r, n) for r, n in zip(frame["range"], frame["ratings"], strict=True)]
    shown = frame[["factor", "ratings", "mean", *present, "range", "spread", "agreement"]].rename(
        columns={
            "factor": "Factor",
            "ratings": "Ratings",
            "mean": "All",
            "range": "Range (max - min)",
            "spread": "Spread (standard deviation)",
            "agreement": "How far partners agree",
        }
    )
    caption = f"Mean score by factor and sector{_round_words(responses)} (1 = not in place, {MAX_SCORE} = embedded)"
    return display.join([*_hidden(answers), display.frame_table(shown, caption)])


def scores_chart(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """Grouped bars of mean score by factor for each sector that has rated, with an active title."""
    answers = _answers(responses)
    frame = scores(answers)
    series = [
        Series(s.label, [None if v is None or v != v else v for v in frame[s.label]])
        for s in Sector
        if frame[s.label].notna().any()
    ]
    if not series:
        if frame["mean"].notna().any():  # every sector hidden: the overall means only
            series = [Series("All", [None if v is None or v != v else v for v in frame["mean"]])]
        else:
            return display.notice("No ratings yet: the chart appears once someone rates a factor.")
    weakest = weakest_factors(answers, 1)
    title = (
        f"Weakest factor: {factor_titles()[weakest[0]]} "
        f"(mean {frame.set_index('factor_id').loc[weakest[0], 'mean']:.1f} of {MAX_SCORE})"
    )
    description = (
        f"Horizontal bars show the mean rating of each of {len(frame)} factors by "
        f"{', '.join(s.name.lower() for s in series)} respondents, on a scale of 1 to {MAX_SCORE}. "
        "Each bar is labelled with its sector and value."
    )
    chart = bar_chart(list(frame["factor"]), series, title, description, MAX_SCORE, "{:.1f}", "Mean rating")
    return display.join([*_hidden(answers), chart])


def disagreements(plan: Plan, responses: AreaResponses | None = None, top: int = 5) -> display.Html:
    """The factors where local authority and health respondents differ most."""
    answers = _answers(responses)
    frame = disagreement(answers).head(top)
    frame = frame[frame["gap"] > 0]
    if frame.empty:
        return display.join(
            [
                *_hidden(answers),
                display.notice(
                    "No disagreement to show: it needs factors rated by both local authority "
                    "and health respondents, with different means."
                ),
            ]
        )
    rows = [
        {
            "Factor": r.factor,
            "Local authority": r["Local authority"],
            "Health": r.Health,
            "Gap": r.gap,
            "Who rates it higher": "Local authority" if r["Local authority"] > r.Health else "Health",
        }
        for _, r in frame.iterrows()
    ]
    return display.table(rows, f"Where local authority and health respondents disagree most (top {len(rows)})")


def _signed(value: float | None) -> str | None:
    return None if value is None else f"{value:+.2f}"


def change_table(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """Beside this round's mean scores, the previous round's and the change, by factor and by sector."""
    now, before = _round(responses), responses.previous(SLUG) if responses is not None else None
    if now is None or before is None:
        return display.notice(
            "No change to show yet: it needs an earlier round of ratings. The facilitator opens a new round "
            "for each repeat of the self-assessment, and this view then compares it with the one before."
        )
    frame = change(now.responses, before.responses)
    sectors = [s.label for s in Sector if frame[f"{s.label} change"].notna().any()]
    rows = [
        {
            "Factor": r["factor"],
            "Before": r["mean before"],
            "Now": r["mean now"],
            "Change": _signed(r["mean change"]),
            **{f"{s} change": _signed(r[f"{s} change"]) for s in sectors},
        }
        for _, r in frame.iterrows()
    ]
    hidden = hidden_notice_text(now.responses) or hidden_notice_text(before.responses)
    caption = (
        f"Change in mean score by factor and sector, from '{before.round.name}' to '{now.round.name}' "
        "(a positive change is an improvement)"
    )
    return display.join([*([display.notice(hidden)] if hidden else []), display.table(rows, caption)])


def change_chart(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """Bars of each factor's mean score in the previous round and in this one, with an active title."""
    now, before = _round(responses), responses.previous(SLUG) if responses is not None else None
    if now is None or before is None:
        return display.notice("No change chart yet: it needs an earlier round of ratings to compare with.")
    frame = change(now.responses, before.responses)
    moved = frame.dropna(subset=["mean change"])
    if moved.empty:
        return display.notice(
            f"No change chart: no factor is rated in both '{before.round.name}' and '{now.round.name}'."
        )
    biggest = moved.loc[moved["mean change"].astype(float).abs().idxmax()]
    if float(biggest["mean change"]) == 0:
        title = f"No factor's mean score changed between '{before.round.name}' and '{now.round.name}'"
    else:
        direction = "rose" if float(biggest["mean change"]) > 0 else "fell"
        title = f"Biggest change: {biggest['factor']} {direction} by {abs(float(biggest['mean change'])):.1f}"
    series = [
        Series(before.round.name, [None if v is None or v != v else v for v in frame["mean before"]]),
        Series(now.round.name, [None if v is None or v != v else v for v in frame["mean now"]]),
    ]
    description = (
        f"Horizontal bars show each of {len(frame)} factors' mean rating by every respondent in "
        f"'{before.round.name}' and then in '{now.round.name}', on a scale of 1 to {MAX_SCORE}. "
        "Each bar is labelled with its round and value."
    )
    by_factor = bar_chart(list(frame["factor"]), series, title, description, MAX_SCORE, "{:.1f}", "Mean rating")
    return display.join([by_factor, _sector_change_chart(before, now)])


def _sector_change_chart(before: RoundResponses, now: RoundResponses) -> display.Html:
    """Bars of each sector's mean score (over the factors) in the two rounds, for the sectors shown in both."""
    then, later = sector_means(before.responses), sector_means(now.responses)
    sectors = [s.label for s in Sector if then[s.label] is not None and later[s.label] is not None]
    if not sectors:
        return display.notice(
            "No change by sector to show: no sector's ratings are shown in both rounds (a sector needs ratings "
            f"in each, and at least {MIN_GROUP} people where some answered anonymously)."
        )
    moves = {s: round(later[s] - then[s], 2) for s in sectors}
    most = max(sectors, key=lambda s: abs(moves[s]))
    title = (
        f"By sector: {most} respondents' mean score moved most ({moves[most]:+.1f})"
        if moves[most]
        else "By sector: no sector's mean score changed"
    )
    description = (
        f"Horizontal bars show the mean over the factors of each sector's ratings in '{before.round.name}' and "
        f"in '{now.round.name}', on a scale of 1 to {MAX_SCORE}, for {', '.join(s.lower() for s in sectors)}."
    )
    series = [
        Series(before.round.name, [then[s] for s in sectors]),
        Series(now.round.name, [later[s] for s in sectors]),
    ]
    return bar_chart(sectors, series, title, description, MAX_SCORE, "{:.1f}", "Mean rating")


def principles_chart(plan: Plan, responses: AreaResponses | None = None) -> display.Html:
    """A dot chart of the mean score of each principle (over its factors), this round and the previous one."""
    now, before = _round(responses), responses.previous(SLUG) if responses is not None else None
    if now is None or not answered(now.responses):
        return display.notice("No principle chart yet: it appears once someone rates a factor.")
    current = principle_means(now.responses)
    series = [Series(now.round.name, [m for _, _, m in current])]
    if before is not None and answered(before.responses):
        series.insert(0, Series(before.round.name, [m for _, _, m in principle_means(before.responses)]))
    rated = [(title, m) for _, title, m in current if m is not None]
    weakest = min(rated, key=lambda item: item[1])
    title = f"Weakest principle: {weakest[0]} (mean {weakest[1]:.1f} of {MAX_SCORE})"
    description = (
        f"Dots show the mean rating of the factors under each of {len(current)} principles, on a scale of "
        f"1 to {MAX_SCORE}, "
        + (f"in '{series[0].name}' and in '{series[1].name}'" if len(series) > 1 else f"in '{series[0].name}'")
        + ". Each dot is labelled with its round and value."
    )
    return dot_chart([t for _, t, _ in current], series, title, description, 1, MAX_SCORE, "{:.1f}", "Mean rating")


def action_list(plan: Plan, responses: AreaResponses | None = None, today: date | None = None) -> display.Html:
    """Actions for the factors, plus the weakest factors (by this round's ratings) that still have no action."""
    section = section_of(plan)
    titles = factor_titles()
    rows = [
        {
            "Factor": titles[a.factor],
            "Action": a.action,
            "Owner": a.owner or "not yet named",
            "Due": a.due.isoformat() if a.due else "no date",
            "Status": a.status.value,
            "Overdue": "yes" if (a.due and today and a.due < today and a.status != ActionStatus.DONE) else "",
        }
        for a in sorted(section.actions, key=lambda a: (a.due or date.max, a.action))
    ]
    columns = ["Factor", "Action", "Owner", "Due", "Status"] + (["Overdue"] if today else [])
    blocks = [display.table(rows, "Action list for the weakest factors", columns, empty="No actions agreed yet.")]
    covered = {a.factor for a in section.actions}
    gaps = [titles[f] for f in weakest_factors(_answers(responses)) if f not in covered]
    if gaps:
        blocks.append(display.paragraph("Weakest factors with no action yet: " + "; ".join(gaps) + "."))
    return display.join(blocks)


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())
