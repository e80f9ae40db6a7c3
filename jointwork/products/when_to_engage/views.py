"""Product 5's views: the stages then and now, the activities and roles, and what the team's plan shows.

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change. The four stages
are the project's reconstruction, so every view of them says so.
"""

from __future__ import annotations

from ...core.plan import PlanBase as Plan
from ...core.plan import Rag
from ...render import display
from ...render.charts import timeline
from .calculations import NO_LETTER, NO_STATUS, planned, raci_problems, stage_counts
from .content import activities, activity_titles, content, raci_roles, role_label, stage_of, stages
from .edits import section as section_of

RACI_MEANING = {
    "R": "Responsible: does the work",
    "A": "Accountable: signs the work off (one person only)",
    "C": "Consulted: asked for views before decisions",
    "I": "Informed: kept up to date",
}


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


# ---- Reference content ----------------------------------------------------------------------
def reconstruction_notice() -> display.Html:
    """A clear warning that the stages are reconstructed, shown wherever the stages are."""
    unconfirmed = [s for s in stages() if not s.verified]
    if not unconfirmed:
        return display.join([])
    names = ", ".join(f"{s.get('number')} ({s.get('title')})" for s in unconfirmed)
    return display.notice(
        f"Reconstructed stages: the toolkit names 'Four Stages to Developing a Children's Centre', but its "
        f"text was not found. Stages {names} are the project's reconstruction, not the toolkit's words: "
        "use them as a starting point and change them to fit local plans. The note beside each stage says "
        "what is reconstructed and what a source confirms.",
        "warning",
    )


def stages_then_and_now() -> display.Html:
    """The four stages as a children's centre went through them (2007-08) and as a family hub does today."""
    c = content()
    rows = [
        {
            "Stage": f"{s.get('number')}. {s.get('title')}",
            "Then: developing a children's centre (2007-08)": s.text,
            "Now: developing a family hub": s.get("now"),
            "Status": "Confirmed" if s.verified else "Reconstructed",
            "Note": s.note or "",
            "Source": c.cite(s),
        }
        for s in stages()
    ]
    return reconstruction_notice() + display.table(rows, "The four stages, then and now")


def activities_reference() -> display.Html:
    """For each stage, its activities: what they involve, whether they need joint work and which health partners."""
    c = content()
    blocks = [
        display.paragraph(
            "Joint work means the council and health partners must both take part. "
            "Entries marked [unverified] are the project's reconstruction; the note says why."
        )
    ]
    for stage in stages():
        rows = [
            {
                "Activity": a.get("title"),
                "What it involves": a.text,
                "Joint LA and health work": "yes" if a.get("joint") else "no",
                "Health partners to involve": "; ".join(a.get("health_partners") or []),
                "Council lead": a.get("la_lead") or "",
                "Evidence to bring": "; ".join(a.get("evidence") or []),
                "Note": a.note or "",
                "Source": c.cite(a),
            }
            for a in activities(stage.id)
        ]
        joint = sum(1 for a in activities(stage.id) if a.get("joint"))
        blocks.append(display.heading(f"Stage {stage.get('number')}: {stage.get('title')}", 4))
        blocks.append(
            display.table(
                rows,
                f"Stage {stage.get('number')}: {joint} of {len(rows)} activities need joint council and health work",
            )
        )
    return display.join(blocks)


def roles_table() -> display.Html:
    """The roles used as columns of the RACI table, and what the four letters mean."""
    c = content()
    rows = [
        {"Role": r.get("title"), "Sector": r.get("sector") or "", "Usual part": r.text, "Source": c.cite(r)}
        for r in raci_roles()
    ]
    return display.join(
        [
            display.table(rows, "Roles in the who-does-what (RACI) table"),
            display.bullet_list([f"{k} = {v}" for k, v in RACI_MEANING.items()]),
        ]
    )


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())


# ---- The team's plan --------------------------------------------------------------------------
def plan_table(plan: Plan) -> display.Html:
    """Every planned activity with its dates, owner and status, and the team's notes."""
    section = section_of(plan)
    entries = planned(section)
    if not entries:
        blocks = [display.notice("Nothing planned yet: no activity has dates, an owner, a status or roles.")]
    else:
        titles = activity_titles()
        rows = [
            {
                "Stage": stage_of(aid).get("number"),
                "Activity": titles[aid],
                "Start": item.start.isoformat() if item.start else "no date",
                "End": item.end.isoformat() if item.end else "no date",
                "Owner": item.owner or "not yet named",
                "Status": item.rag.value if item.rag else NO_STATUS,
            }
            for aid, item in entries.items()
        ]
        blocks = [display.table(rows, f"{_count(len(rows), 'activity', 'activities')} planned")]
    if section.notes:
        blocks.append(display.paragraph(f"Notes: {section.notes}"))
    return display.join(blocks)


def stage_summary(plan: Plan) -> display.Html:
    """Per stage: activities planned, the joint ones among them and how many are red, amber or green."""
    counts = stage_counts(section_of(plan))
    if not any(r["planned"] for r in counts):
        return display.notice("Nothing planned yet: the summary fills in as activities are planned.")
    rows = [
        {
            "Stage": r["stage"],
            "Activities": r["activities"],
            "Planned": r["planned"],
            "Joint (of planned)": r["joint"],
            "Red": r["red"],
            "Amber": r["amber"],
            "Green": r["green"],
            "No status": r[NO_STATUS],
        }
        for r in counts
    ]
    red = sum(r["red"] for r in counts)
    total = sum(r["planned"] for r in counts)
    return display.table(
        rows, f"{_count(total, 'activity', 'activities')} planned across the four stages; {red} at red"
    )


def stage_line(plan: Plan, stage_id: str) -> display.Html:
    """One sentence summing up a stage, shown beside the planning widgets."""
    row = next(r for r in stage_counts(section_of(plan)) if r["stage_id"] == stage_id)
    text = (
        f"Stage {row['stage']}: {row['planned']} of {row['activities']} activities planned "
        f"({row['joint']} joint); red {row['red']}, amber {row['amber']}, green {row['green']}, "
        f"no status {row[NO_STATUS]}."
    )
    return display.paragraph(text)


def timeline_chart(plan: Plan) -> display.Html:
    """Activities with start and end dates as bars, the RAG status written beside each bar."""
    entries = planned(section_of(plan))
    if not entries:
        return display.notice("Nothing planned yet: the timeline appears once an activity has a start and end date.")
    titles = activity_titles()
    order = list(titles)
    dated = sorted(
        ((aid, item) for aid, item in entries.items() if item.start and item.end),
        key=lambda pair: (pair[1].start, pair[1].end, order.index(pair[0])),
    )
    rows = [
        (
            f"S{stage_of(aid).get('number')} {titles[aid]}",
            item.start,
            item.end,
            item.rag.value if item.rag else NO_STATUS,
        )
        for aid, item in dated
    ]
    undated = [titles[aid] for aid, item in entries.items() if not (item.start and item.end)]
    if not rows:
        return display.notice(
            "No timeline yet: give an activity both a start and an end date to see it here. "
            "Planned without both dates: " + "; ".join(undated) + "."
        )
    first, last = rows[0][1], max(r[2] for r in rows)
    span = f"{first:%B %Y} to {last:%B %Y}"
    red = [r for r in rows if r[3] == Rag.RED.value]
    of_dated = f"of {_count(len(rows), 'dated activity', 'dated activities')} at red; the plan runs from {span}"
    title = f"{len(red)} {of_dated}" if red else f"None {of_dated}"
    description = (
        f"A bar for each of {_count(len(rows), 'activity', 'activities')}, from its start date to its "
        "end date, earliest first. "
        "Each label begins with the stage number (S1 to S4) and each bar has its status "
        "(red, amber, green or no status) written beside it."
    )
    blocks = [timeline(rows, title, description)]
    if undated:
        blocks.append(
            display.paragraph("Planned but not on the timeline (no start or end date yet): " + "; ".join(undated) + ".")
        )
    return display.join(blocks)


def raci_table(plan: Plan) -> display.Html:
    """Who does what: planned activities by role, with R, A, C or I, and a check of each row."""
    entries = planned(section_of(plan))
    if not entries:
        return display.notice(
            "Nothing planned yet: the who-does-what (RACI) table appears once an activity is planned."
        )
    titles = activity_titles()
    roles = raci_roles()
    rows, flagged = [], []
    for aid, item in entries.items():
        problems = raci_problems(item)
        if problems:
            flagged.append(f"{titles[aid]}: {'; '.join(problems)}")
        rows.append(
            {
                "Stage": stage_of(aid).get("number"),
                "Activity": titles[aid],
                **{role_label(r): item.raci.get(r.id, NO_LETTER) for r in roles},
                "Check": "; ".join(problems) if problems else "ok",
            }
        )
    if flagged:
        caption = (
            f"Who does what: {len(flagged)} of {len(rows)} planned activities to sort out "
            "(no single accountable person, A, or no one responsible, R)"
        )
    else:
        caption = (
            f"Who does what: every planned activity ({len(rows)}) has one accountable person (A) and "
            "someone responsible (R)"
        )
    blocks = [
        display.table(rows, caption),
        display.paragraph(
            "Key: " + "; ".join(f"{k} = {v}" for k, v in RACI_MEANING.items()) + f"; {NO_LETTER} = no part."
        ),
    ]
    if flagged:
        blocks.append(display.heading("Activities to sort out", 4))
        blocks.append(display.bullet_list(flagged))
    return display.join(blocks)
