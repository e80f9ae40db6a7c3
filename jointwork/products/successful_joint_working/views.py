"""Product 3's views: the framework and reference tables, and what the plan's ratings and actions show.

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change.
"""

from __future__ import annotations

from datetime import date

from ...core.plan import ActionStatus, Sector
from ...core.plan import PlanBase as Plan
from ...render import display
from ...render.charts import Series, bar_chart
from .calculations import MAX_SCORE, disagreement, scores, weakest_factors
from .content import content, factor_titles, factors, scale_labels
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


def respondents_table(plan: Plan) -> display.Html:
    """Who has rated the factors, their sector, and how many ratings and evidence notes each gave."""
    section = section_of(plan)
    rows = [
        {
            "Respondent": r.name,
            "Sector": r.sector.label,
            "Factors rated": sum(1 for x in r.ratings.values() if x.score is not None),
            "Evidence notes": sum(1 for x in r.ratings.values() if x.evidence),
        }
        for r in section.respondents
    ]
    return display.table(rows, "Who has rated the factors", empty="No one has rated the factors yet.")


def ratings_table(plan: Plan) -> display.Html:
    """Every rating with its evidence, factor by factor."""
    section = section_of(plan)
    labels = scale_labels()
    rows = []
    for factor in factors():
        for r in section.respondents:
            rating = r.ratings.get(factor.id)
            if rating and (rating.score is not None or rating.evidence):
                score = "" if rating.score is None else f"{rating.score} {labels[rating.score]}"
                rows.append(
                    {
                        "Factor": factor.get("title"),
                        "Respondent": r.name,
                        "Sector": r.sector.label,
                        "Rating": score,
                        "Evidence": rating.evidence,
                    }
                )
    return display.table(rows, "Ratings and evidence", empty="No ratings yet.")


def scores_table(plan: Plan) -> display.Html:
    """The mean score of each factor, overall and by each sector that has rated, with the range."""
    frame = scores(section_of(plan))
    present = [s.label for s in Sector if frame[s.label].notna().any()]
    shown = frame[["factor", "ratings", "mean", *present, "range"]].rename(
        columns={"factor": "Factor", "ratings": "Ratings", "mean": "All", "range": "Range (max - min)"}
    )
    return display.frame_table(shown, f"Mean score by factor and sector (1 = not in place, {MAX_SCORE} = embedded)")


def scores_chart(plan: Plan) -> display.Html:
    """Grouped bars of mean score by factor for each sector that has rated, with an active title."""
    section = section_of(plan)
    frame = scores(section)
    series = [
        Series(s.label, [None if v != v else v for v in frame[s.label]]) for s in Sector if frame[s.label].notna().any()
    ]
    if not series:
        return display.notice("No ratings yet: the chart appears once someone rates a factor.")
    weakest = weakest_factors(section, 1)
    title = (
        f"Weakest factor: {factor_titles()[weakest[0]]} "
        f"(mean {frame.set_index('factor_id').loc[weakest[0], 'mean']:.1f} of {MAX_SCORE})"
    )
    description = (
        f"Horizontal bars show the mean rating of each of {len(frame)} factors by "
        f"{', '.join(s.name.lower() for s in series)} respondents, on a scale of 1 to {MAX_SCORE}. "
        "Each bar is labelled with its sector and value."
    )
    return bar_chart(list(frame["factor"]), series, title, description, MAX_SCORE, "{:.1f}", "Mean rating")


def disagreements(plan: Plan, top: int = 5) -> display.Html:
    """The factors where local authority and health respondents differ most."""
    frame = disagreement(section_of(plan)).head(top)
    frame = frame[frame["gap"] > 0]
    if frame.empty:
        return display.notice(
            "No disagreement to show: it needs factors rated by both local authority "
            "and health respondents, with different means."
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


def action_list(plan: Plan, today: date | None = None) -> display.Html:
    """Actions for the factors, plus the weakest factors that still have no action."""
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
    gaps = [titles[f] for f in weakest_factors(section) if f not in covered]
    if gaps:
        blocks.append(display.paragraph("Weakest factors with no action yet: " + "; ".join(gaps) + "."))
    return display.join(blocks)


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())
