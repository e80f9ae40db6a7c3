"""Product 2's views: then and now, the offer, the objectives, the matrix, the area's figures, and the
team's priorities and actions.

Every function returns :class:`~jointwork.render.display.Html`; reference views take no arguments,
those that take a plan are shown with ``wb.view(...)``, so a workshop sees them re-drawn after each
saved change.
"""

from __future__ import annotations

import math
from collections import Counter
from datetime import date
from typing import Any

from ...core.indicators import FETCH
from ...core.licence import ATTRIBUTION
from ...core.plan import ActionStatus
from ...core.plan import PlanBase as Plan
from ...render import display
from ...render.charts import Series, bar_chart
from .calculations import (
    area_value_text,
    comparator_text,
    figure_for,
    figures,
    format_value,
    objectives_measured_by,
    overlap,
    ranked,
    series,
    trend,
)
from .content import (
    ERA_HEADING,
    KIND_HEADING,
    OFFER_ERAS,
    STRENGTH_WORD,
    alignments,
    cell,
    content,
    current_objectives,
    ecm_titles,
    kind_label,
    objective_titles,
    objectives,
    offers,
)
from .edits import section as section_of
from .model import LEADS, PriorityAction

NO_LINK = "–"
PRIORITY_BACKGROUND = "#FFF1D6"
STRONG_BACKGROUND = "#DCEBF5"


# ---- Reference content ----------------------------------------------------------------------
def then_and_now() -> display.Html:
    """What the 2007-08 toolkit named and what stands in its place today, with the 2014 to 2021 high impact areas."""
    c = content()
    blocks = [
        display.table(
            [
                {
                    "Topic": e.get("topic"),
                    "Then (2007-08)": e.get("then"),
                    "Now": e.get("now"),
                    "What changed": e.text,
                    "Source": c.cite(e),
                }
                for e in c.group("then_now")
            ],
            "The health programme, the offer and the outcomes, then and now",
        )
    ]
    titles = objective_titles()
    rows = [
        {
            "2014 high impact area": o.get("title"),
            "2021 high impact area": titles.get(o.get("successor"), ""),
            "What changed": o.text,
            "Source": c.cite(o),
        }
        for o in objectives()
        if o.get("era") == "2014"
    ]
    blocks.append(display.table(rows, "Healthy Child Programme high impact areas: 2014 names beside the 2021 ones"))
    for o in objectives():
        if o.get("era") == "2026":
            blocks.append(display.notice(f"{o.get('title')}: {o.text} ({c.cite(o)})"))
    blocks.append(high_impact_areas_2021_and_2026())
    return display.join(blocks)


TO_BE_COMPLETED = "To be completed [unverified]"


def area_2026_name(area_id: str | None, verified: bool = True) -> str:
    """A February 2026 high impact area as the tables name it; unknown names and unconfirmed fits say so."""
    if not area_id:
        return TO_BE_COMPLETED
    area = content().entry(area_id)
    if not area.get("name_confirmed", area.verified):
        return f"Area {area.get('number')} for ages {area.get('age_band')}: {TO_BE_COMPLETED.lower()}"
    name = f"{area.get('number')}. {area.get('title')} (ages {area.get('age_band')})"
    return name if verified else f"{name} [unverified]"


def high_impact_areas_2021_and_2026() -> display.Html:
    """The February 2026 framework's areas beside the 2021 ones, and where each objective sits in both.

    Only the names a stored source gives are shown; the others read "to be completed"."""
    c = content()
    titles = objective_titles()
    framework = [
        {
            "Age band": a.get("age_band"),
            "Area": a.get("number"),
            "Name": a.get("title") if a.get("name_confirmed", a.verified) else TO_BE_COMPLETED,
            "Source": c.cite(a),
        }
        for a in c.group("hia_2026_areas")
    ]
    rows = []
    for o in current_objectives():
        mapped = o.get("hia_map") or {}
        rows.append(
            {
                "Objective": o.get("title"),
                "Kind": kind_label(o),
                "2021 high impact area": titles.get(mapped.get("hia_2021"), "none"),
                "2026 high impact area": area_2026_name(mapped.get("hia_2026"), bool(mapped.get("hia_2026_verified"))),
            }
        )
    return display.join(
        [
            display.table(framework, "The Healthy Child Programme's high impact areas of February 2026"),
            display.table(rows, "Each objective in the 2021 high impact areas and in the 2026 framework"),
        ]
    )


def offers_side_by_side() -> display.Html:
    """The 2006-08 core offer beside today's family hub services, in two columns."""
    c = content()
    columns = []
    for era in OFFER_ERAS:
        items = "".join(
            f"<li><strong>{display.esc(o.get('title'))}</strong>: {display.esc(o.text)} "
            f"<small>({display.esc(c.cite(o))})</small></li>"
            for o in offers(era)
        )
        columns.append(f'<td style="vertical-align:top;width:50%"><ul>{items}</ul></td>')
    caption = "What a centre offered then and what a family hub offers now"
    head = "".join(f'<th scope="col">{display.esc(ERA_HEADING[era])}</th>' for era in OFFER_ERAS)
    markup = (
        f'<table class="jw-table"><caption>{display.esc(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody><tr>{''.join(columns)}</tr></tbody></table>"
    )
    text = [caption]
    for era in OFFER_ERAS:
        text.append(ERA_HEADING[era])
        text.extend(f"- {o.get('title')}: {o.text}" for o in offers(era))
    return display.Html(markup, "\n".join(text))


def objectives_table() -> display.Html:
    """The health objectives the matrix uses, with the Fingertips indicators behind them."""
    c = content()
    rows = [
        {
            "Objective": o.get("title"),
            "Kind": kind_label(o),
            "What it covers": o.text,
            "Fingertips indicator": ", ".join(str(i) for i in o.get("fingertips_ids") or []) or "none",
            "Source": c.cite(o),
        }
        for o in current_objectives()
    ]
    return display.table(rows, "Health objectives: the 2021 high impact areas and published outcome indicators")


def overlap_chart() -> display.Html:
    """How many offer strands each objective meets, then and now, with the finding in the title."""
    frame = overlap().sort_values(["links", "strong"], ascending=False, kind="stable")
    top = frame.iloc[0]
    total = len(offers())
    title = (
        f"Most shared ground: {top['objective']} meets {top['links']} of {total} offer strands "
        f"({top['then']} then, {top['now']} now)"
    )
    description = (
        f"Horizontal bars count, for each of {len(frame)} health objectives, the offer strands it meets: "
        f"the {len(offers('then'))} strands of the 2006-08 core offer and the {len(offers('now'))} family "
        "hub services of today. Each bar is labelled with then or now and its count."
    )
    most = int(max(frame["then"].max(), frame["now"].max(), 1))
    return bar_chart(
        list(frame["objective"]),
        [Series("Then", [int(v) for v in frame["then"]]), Series("Now", [int(v) for v in frame["now"]])],
        title,
        description,
        max(4, most),
        "{:.0f}",
        "Offer strands met",
    )


def alignment_notes() -> display.Html:
    """Why each objective and offer strand meet, with the source and whether it is the project's judgement."""
    c = content()
    titles, offered = objective_titles(), {o.id: o for o in offers()}
    ecm = ecm_titles()
    rows = [
        {
            "Objective": titles[a.get("objective")],
            "Offer strand": offered[a.get("offer")].get("title"),
            "Then or now": offered[a.get("offer")].get("era"),
            "Strength": STRENGTH_WORD[a.get("strength")],
            "Every Child Matters outcomes": "; ".join(ecm[e] for e in a.get("ecm", [])),
            "Why they meet": a.text,
            "Source": c.cite(a),
        }
        for a in alignments()
    ]
    return display.table(
        rows, "Why each objective and offer strand meet ([unverified] marks the project's own judgement)"
    )


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())


# ---- Views of the plan ------------------------------------------------------------------------
def matrix(plan: Plan) -> display.Html:
    """The alignment matrix: objectives as rows, offer strands (then and now) as columns.

    Each cell gives the strength of the link in words and the Every Child Matters outcomes it serves;
    the team's priorities are marked "Priority N" in their row heading (and shaded).
    """
    section = section_of(plan)
    rank = {p.objective: p.rank for p in section.priorities}
    ecm = ecm_titles()
    groups = [(era, offers(era)) for era in OFFER_ERAS]
    strands = [o for _, items in groups for o in items]
    eras = {o.id: o.get("era") for o in strands}
    caption = (
        "Where health objectives and the centre or hub offer meet. Each cell names the strength of the link "
        "(Strong or Some) and the Every Child Matters outcomes it serves; a dash means no link is recorded. "
        "Rows marked Priority are the team's chosen priorities."
    )
    cols = (
        '<colgroup span="1"></colgroup>'
        + "".join(f'<colgroup span="{len(items)}"></colgroup>' for _, items in groups)
        + '<colgroup span="1"></colgroup>'
    )
    head1 = (
        '<th scope="col" rowspan="2">Health objective</th>'
        + "".join(
            f'<th scope="colgroup" colspan="{len(items)}">{display.esc(ERA_HEADING[era])}</th>' for era, items in groups
        )
        + '<th scope="col" rowspan="2">Strands met (then / now)</th>'
    )
    head2 = "".join(f'<th scope="col">{display.esc(o.get("title"))}</th>' for o in strands)
    bodies = []
    text = [caption]
    width = len(strands) + 2
    for kind, heading in KIND_HEADING.items():
        rows = [f'<tr><th scope="rowgroup" colspan="{width}" style="text-align:left">{display.esc(heading)}</th></tr>']
        text.append(heading)
        for objective in [o for o in current_objectives() if o.get("kind") == kind]:
            mark = rank.get(objective.id)
            style = f' style="background:{PRIORITY_BACKGROUND}"' if mark else ""
            badge = f"<br><strong>Priority {mark}</strong>" if mark else ""
            cells = []
            line = [f"{objective.get('title')}" + (f" [Priority {mark}]" if mark else "")]
            counts = Counter()
            for offer in strands:
                link = cell(objective.id, offer.id)
                if link is None:
                    cells.append(f'<td style="text-align:center">{NO_LINK}</td>')
                    continue
                counts[eras[offer.id]] += 1
                word = STRENGTH_WORD[link.get("strength")]
                outcomes = "; ".join(ecm[e] for e in link.get("ecm", []))
                shade = f' style="background:{STRONG_BACKGROUND}"' if link.get("strength") == "strong" else ""
                cells.append(
                    f'<td{shade} title="{display.esc(link.text)}"><strong>{word}</strong>'
                    f"<br><small>{display.esc(outcomes)}</small></td>"
                )
                line.append(f"{offer.get('title')}: {word} ({outcomes})")
            met = f"{counts['then']} / {counts['now']}"
            rows.append(
                f'<tr{style}><th scope="row" style="text-align:left">{display.esc(objective.get("title"))}'
                f"{badge}</th>{''.join(cells)}<td>{met}</td></tr>"
            )
            text.append(" | ".join(line) + f" | strands met then / now: {met}")
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    markup = (
        f'<div style="overflow-x:auto"><table class="jw-table jw-matrix"><caption>{display.esc(caption)}</caption>'
        f"{cols}<thead><tr>{head1}</tr><tr>{head2}</tr></thead>{''.join(bodies)}</table></div>"
    )
    if not section.priorities:
        notice = display.notice("No priorities chosen yet: choose them below and they are marked in the matrix.")
        return display.Html(markup, "\n".join(text)) + notice
    return display.Html(markup, "\n".join(text))


def sparkline(frame: Any, label: str) -> display.Html:
    """A small inline SVG of the area's series (solid) and England's (dashed), with ``label`` as its text."""
    width, height, pad = 120, 28, 3
    points = [float(v) for column in ("area", "england") for v in frame[column] if v == v]
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    step = (width - 2 * pad) / max(len(frame) - 1, 1)

    def lines(column: str) -> list[str]:
        runs, run = [], []
        for i, value in enumerate(frame[column]):
            if value == value:
                y = height - pad - (float(value) - low) / span * (height - 2 * pad)
                run.append(f"{pad + i * step:.1f},{y:.1f}")
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        return [" ".join(r) for r in runs]

    body = "".join(
        f'<polyline points="{p}" fill="none" stroke="#3D3D3D" stroke-width="1" stroke-dasharray="3 2"/>'
        for p in lines("england")
    ) + "".join(f'<polyline points="{p}" fill="none" stroke="#12436D" stroke-width="2"/>' for p in lines("area"))
    last = lines("area")[-1].split(" ")[-1].split(",") if lines("area") else None
    if last:
        body += f'<circle cx="{last[0]}" cy="{last[1]}" r="2.5" fill="#12436D"/>'
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{display.esc(label)}"><title>{display.esc(label)}</title>'
        f"{body}</svg>"
    )
    return display.Html(f"{svg}<br><small>{display.esc(label)}</small>", label)


def _trend_cell(row: Any, area_code: str) -> Any:
    """The trend in words, with a sparkline when the area has two periods or more."""
    frame = series(area_code, row.key) if row.held else None
    words = trend(row, frame)
    if frame is None or row.status == "in combined area" or frame["area"].notna().sum() < 2:
        return words
    return sparkline(frame, f"{row.area} (solid line) and England (dashed): {words}")


def _hia(titles: str, era: str) -> str:
    if titles:
        return titles
    if era == "2026":
        return "not linked yet (only area 1 of the 2026 framework is named so far)"
    return "none: an outcome or context measure"


FIGURES_CAVEAT = (
    "Figures are as published, to one decimal place; jointwork never estimates a missing figure. "
    "A comparison marked 'values only' has no confidence interval, so a small gap may not be a real difference."
)


def area_figures_held(plan: Plan) -> display.Html:
    """The area's figures that are held, with their charts: :func:`area_figures` without the reference tables."""
    return area_figures(plan, reference=False)


def area_figures(plan: Plan, reference: bool = True) -> display.Html:
    """Every catalogue indicator for the area: its latest figure beside its region's and England's, with
    period, unit, source and trend, and in words what is missing (not downloaded, suppressed, combined).
    Without ``reference``, only the figures held and their charts (the tables of what each indicator
    measures and of those not downloaded are left out, as a short report does)."""
    snapshot = figures(plan.area_code)
    if snapshot is None or snapshot.empty:
        return display.notice(
            f"No published figures are held for area {plan.area_code}: the indicator snapshot "
            "covers current upper-tier local authorities in England."
        )
    rank = {p.objective: p.rank for p in section_of(plan).priorities}
    area = snapshot["area"].iloc[0]
    region = next((r for r in snapshot["region"] if isinstance(r, str) and r), "")
    region_heading = f"Region ({region})" if region else "Region"
    held = snapshot[snapshot["held"]]
    missing = snapshot[~snapshot["held"]]
    rows, waiting, about = [], [], []
    for r in snapshot.itertuples():
        informs = [
            o.get("title") + (f" (your priority {rank[o.id]})" if o.id in rank else "")
            for o in objectives_measured_by(r.key, r.fingertips_id)
        ]
        if r.held:
            rows.append(
                {
                    "Indicator": r.indicator,
                    "Period": r.period,
                    area: area_value_text(r),
                    region_heading: comparator_text(r, "region_value"),
                    "England": comparator_text(r, "england_value"),
                    "Compared with England": r.compared,
                    "Better is": r.polarity.replace(" is better", ""),
                    "Trend": _trend_cell(r, plan.area_code),
                    "Note": r.note or "",
                }
            )
        else:
            waiting.append(
                {
                    "Indicator": r.indicator,
                    "2021 high impact area": _hia(r.hia_2021_title, "2021"),
                    "Fingertips id": r.fingertips_id,
                    "How to get it (online)": f"`{FETCH.format(ids=r.fingertips_id)}`",
                }
            )
        recheck = r.recheck.replace("_", " ")
        checked = r.metadata + (f"; to re-check online: {recheck}" if recheck else "")
        about.append(
            {
                "Indicator": r.indicator,
                "Fingertips id": r.fingertips_id,
                "2021 high impact area": _hia(r.hia_2021_title, "2021"),
                "2026 high impact area": _hia(r.hia_2026_title, "2026"),
                "Objectives it informs": "; ".join(informs) or "none in this product's list",
                "Unit": r.unit,
                "Source": r.source,
                "Title, unit and polarity": checked,
            }
        )
    blocks = [
        display.paragraph(
            f"{area}: figures are held for {len(held)} of the {len(snapshot)} indicators in the catalogue"
            + (f"; {len(missing)} have not been downloaded yet (listed after the charts)." if len(missing) else ".")
        ),
        display.table(
            rows,
            f"{area}: the latest published figures beside the region and England",
            empty="no indicator's figures have been downloaded yet",
        ),
    ]
    for r in held.itertuples():
        bars = [
            (name, value)
            for name, value in ((area, r.area_value), (r.region, r.region_value), ("England", r.england_value))
            if name and value == value
        ]
        if len(bars) < 2 or not (r.area_value == r.area_value):
            blocks.append(display.paragraph(f"{r.indicator}: no figure for {area} in {r.period}, so no chart."))
            continue
        verdict = str(r.compared).split(" (")[0]
        title = (
            f"{area} {format_value(r.area_value, r.unit)} in {r.period}, {verdict} "
            f"({format_value(r.england_value, r.unit)})"
        )
        description = (
            f"{r.indicator}, {r.period}: bars for {', '.join(b[0] for b in bars)}, each labelled with its "
            f"value ({r.unit}; {r.polarity}). Source: {r.source}."
        )
        top = max(v for _, v in bars)
        scale = 10 ** math.floor(math.log10(top)) if top > 0 else 1
        max_value = math.ceil(top * 1.1 / scale) * scale
        blocks.append(
            bar_chart(
                [b[0] for b in bars],
                [Series(str(r.period), [float(b[1]) for b in bars])],
                title,
                description,
                max_value,
                "{:.1f}",
                r.unit,
            )
        )
    if not reference:
        blocks.append(display.paragraph(FIGURES_CAVEAT))
        return display.join(blocks)
    if waiting:
        ids = ",".join(missing["fingertips_id"])
        blocks.append(
            display.table(
                waiting, f"Not downloaded yet: {len(waiting)} of the {len(snapshot)} indicators in the catalogue"
            )
        )
        blocks.append(
            display.paragraph(
                "No figures are held for these yet, so none is shown. To add them all, run "
                f"`jointwork data fetch-indicators --ids {ids}` on a machine that is online (without --ids it "
                "fetches the whole catalogue), or download each indicator's export from Fingertips and run "
                "`jointwork data import-fingertips FILE`."
            )
        )
    blocks.append(
        display.table(about, "What each indicator measures, the high impact areas it belongs to and its source")
    )
    blocks.append(
        display.paragraph(
            FIGURES_CAVEAT + " The high impact areas are jointwork's reading of each area's scope; titles, units and "
            "polarities marked 'to re-check online' are the project's own record, not yet checked against "
            "Fingertips' metadata."
        )
    )
    blocks.append(display.Html(f'<p style="font-size:smaller">{display.esc(ATTRIBUTION)}</p>', ATTRIBUTION))
    return display.join(blocks)


def priorities_table(plan: Plan) -> display.Html:
    """The team's priorities, most important first, with why, overlap, the area's figure and actions agreed."""
    section = section_of(plan)
    if not section.priorities:
        blocks = [display.notice("No priorities chosen yet.")]
    else:
        snapshot = figures(plan.area_code)
        frame = overlap().set_index("objective_id")
        actions = Counter(a.objective for a in section.actions)
        c = content()
        rows = []
        for p in ranked(section):
            objective = c.entry(p.objective)
            met = (
                f"{frame.loc[p.objective, 'then']} / {frame.loc[p.objective, 'now']}"
                if p.objective in frame.index
                else ""
            )
            rows.append(
                {
                    "Rank": p.rank,
                    "Priority": objective.get("title"),
                    "Kind": kind_label(objective),
                    "Why it matters here": p.why or "not yet written",
                    "Strands met (then / now)": met,
                    "Area figure": figure_for(objective, snapshot),
                    "Actions agreed": actions.get(p.objective, 0),
                }
            )
        blocks = [display.table(rows, "Local health priorities, most important first")]
    if section.notes:
        blocks.append(display.heading("Notes from the discussion", 4))
        blocks.append(display.paragraph(section.notes))
    return display.join(blocks)


def action_plan(plan: Plan, today: date | None = None) -> display.Html:
    """The actions, priority by priority: what, lead, by when, how progress is measured and status."""
    section = section_of(plan)
    titles = objective_titles()
    rank = {p.objective: p.rank for p in section.priorities}

    def order(a: PriorityAction) -> tuple[Any, ...]:
        return (rank.get(a.objective, 99), a.by_when or date.max, a.what)

    rows = [
        {
            "Priority": rank.get(a.objective, "not ranked"),
            "Objective": titles.get(a.objective, a.objective),
            "What": a.what,
            "Lead": LEADS[a.lead],
            "By when": a.by_when.isoformat() if a.by_when else "no date",
            "How progress is measured": a.measure or "not yet agreed",
            "Status": a.status.value,
            "Overdue": "yes" if (a.by_when and today and a.by_when < today and a.status != ActionStatus.DONE) else "",
        }
        for a in sorted(section.actions, key=order)
    ]
    columns = ["Priority", "Objective", "What", "Lead", "By when", "How progress is measured", "Status"]
    blocks = [
        display.table(
            rows,
            "Joint action plan for the health priorities",
            columns + (["Overdue"] if today else []),
            empty="No actions agreed yet.",
        )
    ]
    if section.actions:
        leads = Counter(a.lead for a in section.actions)
        blocks.append(
            display.paragraph(
                "Actions by lead: " + ", ".join(f"{LEADS[k]} {leads[k]}" for k in LEADS if leads[k]) + "."
            )
        )
    covered = {a.objective for a in section.actions}
    gaps = [titles.get(p.objective, p.objective) for p in ranked(section) if p.objective not in covered]
    if gaps:
        blocks.append(display.paragraph("Priorities with no action yet: " + "; ".join(gaps) + "."))
    return display.join(blocks)
