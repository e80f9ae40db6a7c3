"""Product 2, "How can Children's Centres contribute towards health priorities?": a matrix of health
objectives against what a centre or family hub offers, the area's own figures, and the team's ranked
local priorities with an action for each.

Static outputs take a :class:`~jointwork.plan.Plan` and return HTML, so a notebook shows them with
``wb.view(...)`` both in a workshop and in a batch run. Reference content that does not depend on the
plan is a function of no arguments.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import display
from ..charts import Series, bar_chart
from ..content import Entry, ProductContent, load_content
from ..plan import ActionStatus, HealthPrioritiesSection, LocalPriority, Plan, PriorityAction

if TYPE_CHECKING:
    import pandas as pd

    from ..workbook import Workbook

SLUG = "health_priorities"
CURRENT_ERAS = ("2021", "now")  # the objectives that form the matrix's rows
OFFER_ERAS = ("then", "now")
ERA_HEADING = {"then": "Then: children's centre core offer (2006-08)",
               "now": "Now: family hub and Start for Life services"}
KIND_HEADING = {"high impact area": "Healthy Child Programme high impact areas (2021)",
                "outcome indicator": "Outcome indicators published for every council area"}
STRENGTH_WORD = {"strong": "Strong", "some": "Some"}
LEADS = {"joint": "Joint", "LA": "Local authority", "health": "Health"}
NO_LINK = "–"
PRIORITY_BACKGROUND = "#FFF1D6"
STRONG_BACKGROUND = "#DCEBF5"


def content() -> ProductContent:
    return load_content(2)


def objectives() -> list[Entry]:
    """Every health objective in the content: 2021 and 2014 high impact areas, the 2026 framework and outcome indicators."""
    return content().group("health_objectives")


def current_objectives() -> list[Entry]:
    """The objectives the matrix shows and the team chooses from: the 2021 areas and the outcome indicators."""
    return [o for o in objectives() if o.get("era") in CURRENT_ERAS]


def objective_titles() -> dict[str, str]:
    return {o.id: o.get("title") for o in objectives()}


def offers(era: str | None = None) -> list[Entry]:
    """The centre offer strands: ``then`` (the 2006-08 core offer), ``now`` (family hub services) or both."""
    return [o for o in content().group("centre_offer") if era is None or o.get("era") == era]


def offer_titles() -> dict[str, str]:
    return {o.id: o.get("title") for o in offers()}


def alignments() -> list[Entry]:
    return content().group("alignment")


def measures() -> list[Entry]:
    return content().group("measures")


def ecm_titles() -> dict[str, str]:
    """Every Child Matters outcome id -> title, from the introduction's content (product 1)."""
    return {e.id: e.get("title") for e in load_content(1).group("ecm_outcomes")}


def kind_label(objective: Entry) -> str:
    kind = str(objective.get("kind"))
    era = objective.get("era")
    label = kind[0].upper() + kind[1:]
    return f"{label} ({era})" if era not in (None, "now") else label


def check(section: HealthPrioritiesSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Priorities and actions must name objectives that exist; no objective or rank is used twice."""
    known = objective_titles()
    expected = "one of the health objective ids: " + ", ".join(known)
    ranks: dict[int, str] = {}
    chosen: set[str] = set()
    for i, priority in enumerate(section.priorities):
        if priority.objective not in known:
            yield ("priorities", i, "objective"), expected
        elif priority.objective in chosen:
            yield ("priorities", i, "objective"), f"an objective listed once ({priority.objective!r} is listed twice)"
        chosen.add(priority.objective)
        if priority.rank in ranks:
            yield ("priorities", i, "rank"), (f"a rank no other priority has (rank {priority.rank} is also given "
                                              f"to {ranks[priority.rank]!r})")
        ranks.setdefault(priority.rank, priority.objective)
    for i, action in enumerate(section.actions):
        if action.objective not in known:
            yield ("actions", i, "objective"), expected


# ---- Calculations ---------------------------------------------------------------------------
def cell(objective_id: str, offer_id: str) -> Entry | None:
    """The alignment entry where an objective meets an offer strand, or ``None``."""
    for entry in alignments():
        if entry.get("objective") == objective_id and entry.get("offer") == offer_id:
            return entry
    return None


def overlap() -> "pd.DataFrame":
    """One row per current objective: how many offer strands it meets then and now, and how strongly."""
    import pandas as pd

    eras = {o.id: o.get("era") for o in offers()}
    rows = []
    for objective in current_objectives():
        links = [a for a in alignments() if a.get("objective") == objective.id]
        rows.append({
            "objective_id": objective.id, "objective": objective.get("title"), "kind": objective.get("kind"),
            "then": sum(1 for a in links if eras[a.get("offer")] == "then"),
            "now": sum(1 for a in links if eras[a.get("offer")] == "now"),
            "strong": sum(1 for a in links if a.get("strength") == "strong"),
            "links": len(links),
            "ecm": sorted({e for a in links for e in a.get("ecm", [])}),
        })
    return pd.DataFrame(rows)


def ranked(section: HealthPrioritiesSection) -> list[LocalPriority]:
    """The priorities, most important (rank 1) first."""
    return sorted(section.priorities, key=lambda p: (p.rank, p.objective))


def suggested_measures(objective_id: str) -> list[Entry]:
    """Measures from the content that fit an objective: the same Fingertips indicator, or named for it."""
    try:
        objective = content().entry(objective_id)
    except KeyError:
        return []
    ids = set(objective.get("fingertips_ids") or [])
    return [m for m in measures()
            if (m.get("fingertips_id") is not None and m.get("fingertips_id") in ids)
            or objective_id in (m.get("objectives") or [])]


def figures(area_code: str) -> "pd.DataFrame | None":
    """The area's indicator snapshot (see :func:`jointwork.indicators.area_snapshot`), or ``None`` if it has none."""
    from ..errors import JointworkError
    from ..indicators import area_snapshot

    try:
        return area_snapshot(area_code)
    except JointworkError:
        return None


def format_value(value: Any, unit: str) -> str:
    """A figure as the notebook shows it: one decimal place and its unit (``61.8%``, ``72.1 per 10,000``)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "not published"
    return f"{float(value):.1f}%" if unit == "%" else f"{float(value):.1f} {unit}"


def _objectives_for_indicator(key: str) -> list[Entry]:
    return [o for o in current_objectives() if key in (o.get("indicator_keys") or [])]


# ---- Reference content ----------------------------------------------------------------------
def then_and_now() -> display.Html:
    """What the 2007-08 toolkit named and what stands in its place today, with the 2014 to 2021 high impact areas."""
    c = content()
    blocks = [display.table([{"Topic": e.get("topic"), "Then (2007-08)": e.get("then"), "Now": e.get("now"),
                              "What changed": e.text, "Source": c.cite(e)} for e in c.group("then_now")],
                            "The health programme, the offer and the outcomes, then and now")]
    titles = objective_titles()
    rows = [{"2014 high impact area": o.get("title"), "2021 high impact area": titles.get(o.get("successor"), ""),
             "What changed": o.text, "Source": c.cite(o)}
            for o in objectives() if o.get("era") == "2014"]
    blocks.append(display.table(rows, "Healthy Child Programme high impact areas: 2014 names beside the 2021 ones"))
    for o in objectives():
        if o.get("era") == "2026":
            blocks.append(display.notice(f"{o.get('title')}: {o.text} ({c.cite(o)})"))
    return display.join(blocks)


def offers_side_by_side() -> display.Html:
    """The 2006-08 core offer beside today's family hub services, in two columns."""
    c = content()
    columns = []
    for era in OFFER_ERAS:
        items = "".join(f"<li><strong>{display.esc(o.get('title'))}</strong>: {display.esc(o.text)} "
                        f"<small>({display.esc(c.cite(o))})</small></li>" for o in offers(era))
        columns.append(f'<td style="vertical-align:top;width:50%"><ul>{items}</ul></td>')
    caption = "What a centre offered then and what a family hub offers now"
    head = "".join(f'<th scope="col">{display.esc(ERA_HEADING[era])}</th>' for era in OFFER_ERAS)
    markup = (f'<table class="jw-table"><caption>{display.esc(caption)}</caption><thead><tr>{head}</tr></thead>'
              f"<tbody><tr>{''.join(columns)}</tr></tbody></table>")
    text = [caption]
    for era in OFFER_ERAS:
        text.append(ERA_HEADING[era])
        text.extend(f"- {o.get('title')}: {o.text}" for o in offers(era))
    return display.Html(markup, "\n".join(text))


def objectives_table() -> display.Html:
    """The health objectives the matrix uses, with the Fingertips indicators behind them."""
    c = content()
    rows = [{"Objective": o.get("title"), "Kind": kind_label(o), "What it covers": o.text,
             "Fingertips indicator": ", ".join(str(i) for i in o.get("fingertips_ids") or []) or "none",
             "Source": c.cite(o)} for o in current_objectives()]
    return display.table(rows, "Health objectives: the 2021 high impact areas and published outcome indicators")


def overlap_chart() -> display.Html:
    """How many offer strands each objective meets, then and now, with the finding in the title."""
    frame = overlap().sort_values(["links", "strong"], ascending=False, kind="stable")
    top = frame.iloc[0]
    total = len(offers())
    title = (f"Most shared ground: {top['objective']} meets {top['links']} of {total} offer strands "
             f"({top['then']} then, {top['now']} now)")
    description = (f"Horizontal bars count, for each of {len(frame)} health objectives, the offer strands it meets: "
                   f"the {len(offers('then'))} strands of the 2006-08 core offer and the {len(offers('now'))} family "
                   "hub services of today. Each bar is labelled with then or now and its count.")
    most = int(max(frame["then"].max(), frame["now"].max(), 1))
    return bar_chart(list(frame["objective"]),
                     [Series("Then", [int(v) for v in frame["then"]]), Series("Now", [int(v) for v in frame["now"]])],
                     title, description, max(4, most), "{:.0f}", "Offer strands met")


def alignment_notes() -> display.Html:
    """Why each objective and offer strand meet, with the source and whether it is the project's judgement."""
    c = content()
    titles, offered = objective_titles(), {o.id: o for o in offers()}
    ecm = ecm_titles()
    rows = [{"Objective": titles[a.get("objective")], "Offer strand": offered[a.get("offer")].get("title"),
             "Then or now": offered[a.get("offer")].get("era"), "Strength": STRENGTH_WORD[a.get("strength")],
             "Every Child Matters outcomes": "; ".join(ecm[e] for e in a.get("ecm", [])),
             "Why they meet": a.text, "Source": c.cite(a)} for a in alignments()]
    return display.table(rows, "Why each objective and offer strand meet ([unverified] marks the project's own judgement)")


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return content().sources_table()


# ---- Plan-dependent outputs -------------------------------------------------------------------
def matrix(plan: Plan) -> display.Html:
    """The alignment matrix: objectives as rows, offer strands (then and now) as columns.

    Each cell gives the strength of the link in words and the Every Child Matters outcomes it serves;
    the team's priorities are marked "Priority N" in their row heading (and shaded).
    """
    section = plan.section(SLUG)
    rank = {p.objective: p.rank for p in section.priorities}
    ecm = ecm_titles()
    groups = [(era, offers(era)) for era in OFFER_ERAS]
    strands = [o for _, items in groups for o in items]
    eras = {o.id: o.get("era") for o in strands}
    caption = ("Where health objectives and the centre or hub offer meet. Each cell names the strength of the link "
               "(Strong or Some) and the Every Child Matters outcomes it serves; a dash means no link is recorded. "
               "Rows marked Priority are the team's chosen priorities.")
    cols = ('<colgroup span="1"></colgroup>' + "".join(f'<colgroup span="{len(items)}"></colgroup>' for _, items in groups)
            + '<colgroup span="1"></colgroup>')
    head1 = ('<th scope="col" rowspan="2">Health objective</th>'
             + "".join(f'<th scope="colgroup" colspan="{len(items)}">{display.esc(ERA_HEADING[era])}</th>'
                       for era, items in groups)
             + '<th scope="col" rowspan="2">Strands met (then / now)</th>')
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
                cells.append(f'<td{shade} title="{display.esc(link.text)}"><strong>{word}</strong>'
                             f"<br><small>{display.esc(outcomes)}</small></td>")
                line.append(f"{offer.get('title')}: {word} ({outcomes})")
            met = f"{counts['then']} / {counts['now']}"
            rows.append(f'<tr{style}><th scope="row" style="text-align:left">{display.esc(objective.get("title"))}'
                        f"{badge}</th>{''.join(cells)}<td>{met}</td></tr>")
            text.append(" | ".join(line) + f" | strands met then / now: {met}")
        bodies.append("<tbody>" + "".join(rows) + "</tbody>")
    markup = (f'<div style="overflow-x:auto"><table class="jw-table jw-matrix"><caption>{display.esc(caption)}</caption>'
              f"{cols}<thead><tr>{head1}</tr><tr>{head2}</tr></thead>{''.join(bodies)}</table></div>")
    if not section.priorities:
        notice = display.notice("No priorities chosen yet: choose them below and they are marked in the matrix.")
        return display.Html(markup, "\n".join(text)) + notice
    return display.Html(markup, "\n".join(text))


def area_figures(plan: Plan) -> display.Html:
    """The area's published figures beside its region's and England's, with period, source and attribution."""
    from ..indicators import ATTRIBUTION

    snapshot = figures(plan.area_code)
    if snapshot is None or snapshot.empty:
        return display.notice(f"No published figures are held for area {plan.area_code}: the indicator snapshot "
                              "covers current upper-tier local authorities in England.")
    rank = {p.objective: p.rank for p in plan.section(SLUG).priorities}
    area = snapshot["area"].iloc[0]
    rows = []
    for r in snapshot.itertuples():
        informs = []
        for o in _objectives_for_indicator(r.key):
            informs.append(o.get("title") + (f" (your priority {rank[o.id]})" if o.id in rank else ""))
        rows.append({"Indicator": r.indicator, "Period": r.period, area: format_value(r.area_value, r.unit),
                     f"Region ({r.region})": format_value(r.region_value, r.unit),
                     "England": format_value(r.england_value, r.unit), "Compared with England": r.compared,
                     "Better is": r.polarity.replace(" is better", ""), "Objectives it informs": "; ".join(informs),
                     "Source": r.source, "Note": r.note})
    blocks = [display.table(rows, f"{area}: published figures beside the region and England (latest period)")]
    for r in snapshot.itertuples():
        bars = [(name, value) for name, value in ((area, r.area_value), (r.region, r.region_value),
                                                   ("England", r.england_value))
                if name is not None and value == value]
        if len(bars) < 2 or not (r.area_value == r.area_value):
            blocks.append(display.paragraph(f"{r.indicator}: no figure for {area} in {r.period}, so no chart."))
            continue
        verdict = str(r.compared).split(" (")[0]
        title = (f"{area} {format_value(r.area_value, r.unit)} in {r.period}, {verdict} "
                 f"({format_value(r.england_value, r.unit)})")
        description = (f"{r.indicator}, {r.period}: bars for {', '.join(b[0] for b in bars)}, each labelled with its "
                       f"value ({r.unit}; {r.polarity}). Source: {r.source}.")
        top = max(v for _, v in bars)
        scale = 10 ** math.floor(math.log10(top)) if top > 0 else 1
        max_value = math.ceil(top * 1.1 / scale) * scale
        blocks.append(bar_chart([b[0] for b in bars], [Series(str(r.period), [float(b[1]) for b in bars])],
                                title, description, max_value, "{:.1f}", r.unit))
    blocks.append(display.paragraph("Figures are as published, to one decimal place; jointwork never estimates a "
                                    "missing figure. A comparison marked 'values only' has no confidence interval, so "
                                    "a small gap may not be a real difference."))
    blocks.append(display.Html(f'<p style="font-size:smaller">{display.esc(ATTRIBUTION)}</p>', ATTRIBUTION))
    return display.join(blocks)


def _figure_for(objective: Entry, snapshot: "pd.DataFrame | None") -> str:
    if snapshot is None:
        return "no local figure held"
    parts = []
    for key in objective.get("indicator_keys") or []:
        match = snapshot[snapshot["key"] == key]
        if not match.empty:
            r = match.iloc[0]
            parts.append(f"{format_value(r.area_value, r.unit)} (England {format_value(r.england_value, r.unit)}, "
                         f"{r.period})")
    return "; ".join(parts) or "no local figure held"


def priorities_table(plan: Plan) -> display.Html:
    """The team's priorities, most important first, with why, overlap, the area's figure and actions agreed."""
    section = plan.section(SLUG)
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
            met = (f"{frame.loc[p.objective, 'then']} / {frame.loc[p.objective, 'now']}"
                   if p.objective in frame.index else "")
            rows.append({"Rank": p.rank, "Priority": objective.get("title"), "Kind": kind_label(objective),
                         "Why it matters here": p.why or "not yet written", "Strands met (then / now)": met,
                         "Area figure": _figure_for(objective, snapshot), "Actions agreed": actions.get(p.objective, 0)})
        blocks = [display.table(rows, "Local health priorities, most important first")]
    if section.notes:
        blocks.append(display.heading("Notes from the discussion", 4))
        blocks.append(display.paragraph(section.notes))
    return display.join(blocks)


def action_plan(plan: Plan, today: date | None = None) -> display.Html:
    """The actions, priority by priority: what, lead, by when, how progress is measured and status."""
    section = plan.section(SLUG)
    titles = objective_titles()
    rank = {p.objective: p.rank for p in section.priorities}

    def order(a: PriorityAction) -> tuple[Any, ...]:
        return (rank.get(a.objective, 99), a.by_when or date.max, a.what)

    rows = [{"Priority": rank.get(a.objective, "not ranked"), "Objective": titles.get(a.objective, a.objective),
             "What": a.what, "Lead": LEADS[a.lead], "By when": a.by_when.isoformat() if a.by_when else "no date",
             "How progress is measured": a.measure or "not yet agreed", "Status": a.status.value,
             "Overdue": "yes" if (a.by_when and today and a.by_when < today and a.status != ActionStatus.DONE) else ""}
            for a in sorted(section.actions, key=order)]
    columns = ["Priority", "Objective", "What", "Lead", "By when", "How progress is measured", "Status"]
    blocks = [display.table(rows, "Joint action plan for the health priorities", columns + (["Overdue"] if today else []),
                            empty="No actions agreed yet.")]
    if section.actions:
        leads = Counter(a.lead for a in section.actions)
        blocks.append(display.paragraph("Actions by lead: " + ", ".join(f"{LEADS[k]} {leads[k]}" for k in LEADS
                                                                         if leads[k]) + "."))
    covered = {a.objective for a in section.actions}
    gaps = [titles.get(p.objective, p.objective) for p in ranked(section) if p.objective not in covered]
    if gaps:
        blocks.append(display.paragraph("Priorities with no action yet: " + "; ".join(gaps) + "."))
    return display.join(blocks)


# ---- Workshop ------------------------------------------------------------------------------
def exercise(wb: "Workbook") -> Any:
    """Choose and rank priorities: widgets in a workshop, a one-line summary in a batch run."""
    if not wb.interactive:
        count = len(wb.plan.section(SLUG).priorities)
        return display.paragraph(f"{count} priorit{'y' if count == 1 else 'ies'} chosen; see the ranked list below.")
    return _priority_widgets(wb)


def action_exercise(wb: "Workbook") -> Any:
    """Agree actions: a form in a workshop, a one-line summary in a batch run."""
    if not wb.interactive:
        return display.paragraph(f"{len(wb.plan.section(SLUG).actions)} action(s) recorded; see the plan below.")
    return _action_widgets(wb)


# ---- Plan edits (used by the widgets, the app and tests) --------------------------------------
def _known_objective(objective_id: str) -> str:
    if objective_id not in objective_titles():
        raise ValueError(f"there is no health objective {objective_id!r}; choose one of the objectives in the matrix")
    return objective_id


def _priority(section: HealthPrioritiesSection, objective_id: str) -> LocalPriority:
    for p in section.priorities:
        if p.objective == objective_id:
            return p
    raise ValueError(f"{objective_titles().get(objective_id, objective_id)!r} is not one of the chosen priorities")


def _renumber(section: HealthPrioritiesSection) -> None:
    """Keep priorities in rank order with ranks 1, 2, 3... (after one is removed)."""
    order = ranked(section)
    section.priorities = [LocalPriority(objective=p.objective, rank=i, why=p.why) for i, p in enumerate(order, 1)]


def add_priority(plan: Plan, objective_id: str, why: str = "", rank: int | None = None) -> None:
    """Choose an objective as a priority, by default ranked after the others.

    A rank another priority already has is refused: ranks are unique.
    """
    section = plan.section(SLUG)
    title = objective_titles().get(_known_objective(objective_id))
    if any(p.objective == objective_id for p in section.priorities):
        raise ValueError(f"{title!r} is already a priority")
    taken = {p.rank: p.objective for p in section.priorities}
    if rank is None:
        rank = max(taken, default=0) + 1
    elif rank in taken:
        raise ValueError(f"rank {rank} is already given to {objective_titles()[taken[rank]]!r}: "
                         "each priority needs its own rank, so choose another or move that one first")
    section.priorities.append(LocalPriority(objective=objective_id, rank=rank, why=why))
    section.priorities = ranked(section)


def remove_priority(plan: Plan, objective_id: str) -> None:
    """Drop a priority; the others keep their order and are renumbered 1, 2, 3..."""
    section = plan.section(SLUG)
    section.priorities.remove(_priority(section, objective_id))
    _renumber(section)


def set_priority_rank(plan: Plan, objective_id: str, rank: int) -> None:
    """Give a priority a new rank; a rank held by another priority is refused."""
    section = plan.section(SLUG)
    priority = _priority(section, objective_id)
    holder = next((p for p in section.priorities if p.rank == rank and p is not priority), None)
    if holder is not None:
        raise ValueError(f"rank {rank} is already given to {objective_titles()[holder.objective]!r}: "
                         "each priority needs its own rank, so move that one first or use Move up / Move down")
    priority.rank = rank
    section.priorities = ranked(section)


def move_priority(plan: Plan, objective_id: str, step: int) -> None:
    """Swap a priority with its neighbour: ``step=-1`` moves it up (more important), ``+1`` down."""
    section = plan.section(SLUG)
    order = ranked(section)
    priority = _priority(section, objective_id)
    index = order.index(priority)
    target = index + step
    if not 0 <= target < len(order):
        raise ValueError(f"{objective_titles()[objective_id]!r} is already "
                         f"{'the most important' if step < 0 else 'the last'} priority")
    other = order[target]
    priority.rank, other.rank = other.rank, priority.rank
    section.priorities = ranked(section)


def set_priority_why(plan: Plan, objective_id: str, why: str) -> None:
    _priority(plan.section(SLUG), objective_id).why = why


def set_notes(plan: Plan, notes: str) -> None:
    plan.section(SLUG).notes = notes


def _lead(lead: str) -> str:
    words = {"la": "LA", "local authority": "LA", "council": "LA", "health": "health", "nhs": "health",
             "joint": "joint", "both": "joint"}
    value = words.get(str(lead).strip().lower())
    if value is None:
        raise ValueError(f"the lead must be the local authority (LA), health or joint, not {lead!r}")
    return value


def add_action(plan: Plan, objective_id: str, what: str, lead: str = "joint", by_when: date | None = None,
               measure: str = "", status: ActionStatus | str = ActionStatus.NOT_STARTED) -> None:
    """Record an action on an objective: what, who leads (LA, health or joint), by when, how it is measured."""
    _known_objective(objective_id)
    if not what or not what.strip():
        raise ValueError("describe what will be done before adding the action")
    plan.section(SLUG).actions.append(PriorityAction(objective=objective_id, what=what, lead=_lead(lead),
                                                     by_when=by_when, measure=measure, status=ActionStatus(status)))


def _action(plan: Plan, index: int) -> PriorityAction:
    actions = plan.section(SLUG).actions
    if not 0 <= index < len(actions):
        raise ValueError(f"there is no action number {index + 1}; the plan has {len(actions)}")
    return actions[index]


def set_action_status(plan: Plan, index: int, status: ActionStatus | str) -> None:
    _action(plan, index).status = ActionStatus(status)


def remove_action(plan: Plan, index: int) -> None:
    plan.section(SLUG).actions.remove(_action(plan, index))


# ---- Widgets ------------------------------------------------------------------------------
def _priority_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

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
        groups.append(w.VBox([w.HTML(f"<strong>{display.esc(heading)}</strong>"), *items],
                             layout=w.Layout(margin="0 24px 8px 0")))

    order = w.Select(options=[], rows=6, layout=w.Layout(width="520px"))
    labelled(order, "Your priorities, most important first")
    up = w.Button(description="Move up", icon="arrow-up", tooltip="Make the chosen priority more important")
    down = w.Button(description="Move down", icon="arrow-down", tooltip="Make the chosen priority less important")
    why = w.Textarea(placeholder="Why is this a priority here? What do the figures or local knowledge say?",
                     continuous_update=False, layout=w.Layout(width="520px", height="80px"))
    labelled(why, "Why this is a priority")
    notes = w.Textarea(value=wb.plan.section(SLUG).notes, placeholder="Anything else the group agreed or wants to check",
                       continuous_update=False, layout=w.Layout(width="520px", height="60px"))
    labelled(notes, "Notes from the discussion")

    def sync(selected: str | None = None) -> None:
        """Show the saved plan in every control (after a change, saved or refused)."""
        loading["now"] = True
        section = wb.plan.section(SLUG)
        chosen = {p.objective for p in section.priorities}
        for objective_id, box in boxes.items():
            box.value = objective_id in chosen
        selected = selected if selected in chosen else order.value
        order.options = [(f"{p.rank}. {titles.get(p.objective, p.objective)}", p.objective) for p in ranked(section)]
        order.value = selected if selected in chosen else (order.options[0][1] if order.options else None)
        current = next((p for p in section.priorities if p.objective == order.value), None)
        why.value = current.why if current else ""
        why.disabled = up.disabled = down.disabled = current is None
        notes.value = section.notes
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
            wb.edit(lambda plan: set_priority_why(plan, chosen, value), f"why '{titles[chosen]}' is a priority")

    def on_notes(value: str) -> None:
        if not loading["now"]:
            wb.edit(lambda plan: set_notes(plan, value), "the discussion notes")

    for objective_id, box in boxes.items():
        box.observe(lambda change, o=objective_id: on_box(o, change["new"]), names="value")
    up.on_click(lambda _b: move(-1))
    down.on_click(lambda _b: move(1))
    order.observe(lambda change: None if loading["now"] else sync(change["new"]), names="value")
    why.observe(lambda change: on_why(change["new"]), names="value")
    notes.observe(lambda change: on_notes(change["new"]), names="value")
    sync()
    return w.VBox([help_text("Tick the objectives your partnership will work on together, using the matrix and "
                             "your area's figures above. Then put them in order, most important first, and say why "
                             "each matters here. Every choice is saved at once and marked in the matrix."),
                   w.HBox(groups, layout=w.Layout(flex_flow="row wrap")),
                   order, w.HBox([up, down]), why, notes, wb.status])


def _action_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    titles = objective_titles()

    def objective_options() -> list[tuple[str, str]]:
        section = wb.plan.section(SLUG)
        first = [(f"Priority {p.rank}: {titles.get(p.objective, p.objective)}", p.objective) for p in ranked(section)]
        chosen = {o for _, o in first}
        return first + [(o.get("title"), o.id) for o in current_objectives() if o.id not in chosen]

    objective_box = w.Dropdown(options=objective_options(), layout=w.Layout(width="520px"))
    labelled(objective_box, "Objective (your priorities first)")
    what_box = w.Text(placeholder="what the partners will do", continuous_update=False, layout=w.Layout(width="520px"))
    labelled(what_box, "What will be done")
    lead_box = w.Dropdown(options=[(label, key) for key, label in LEADS.items()], value="joint")
    labelled(lead_box, "Lead")
    by_box = w.DatePicker()
    labelled(by_box, "By when")
    measure_box = w.Combobox(placeholder="choose a suggestion or type your own", ensure_option=False,
                             continuous_update=False, layout=w.Layout(width="520px"))
    labelled(measure_box, "How progress is measured")
    suggestions = w.HTML()
    add_button = w.Button(description="Add action", button_style="primary", tooltip="Add this action to the plan")

    existing = w.Dropdown(layout=w.Layout(width="520px"))
    labelled(existing, "Existing action")
    new_status = w.Dropdown(options=[s.value for s in ActionStatus])
    labelled(new_status, "New status")
    update_button = w.Button(description="Update status")
    remove_button = w.Button(description="Remove action", button_style="warning",
                             tooltip="Delete the chosen action from the plan")

    def suggest(objective_id: str | None) -> None:
        fits = suggested_measures(objective_id) if objective_id else []
        others = [m for m in measures() if m not in fits]
        measure_box.options = [m.get("title") for m in fits + others]
        if fits:
            items = "".join(f"<li><strong>{display.esc(m.get('title'))}</strong>: {display.esc(m.text)}</li>"
                            for m in fits)
            suggestions.value = f"<div>Suggested measures for this objective:<ul>{items}</ul></div>"
        else:
            suggestions.value = ("<div>No published measure fits this objective directly: agree a local one, or pick "
                                 "from the list.</div>")

    def refresh_objectives() -> None:
        """Re-list the objectives with the priorities as saved now (they may change in the exercise above)."""
        chosen = objective_box.value
        options = objective_options()
        if options != list(objective_box.options):
            objective_box.options = options
            objective_box.value = chosen if chosen in {o for _, o in options} else options[0][1]

    def current_priorities(plan: Plan) -> display.Html:
        # Re-drawn after every saved change, so the objective list follows priorities chosen above.
        refresh_objectives()
        names = [f"{p.rank}. {titles.get(p.objective, p.objective)}" for p in ranked(plan.section(SLUG))]
        return display.paragraph("Your priorities: " + ("; ".join(names) if names else "none chosen yet") + ".")

    def refresh_existing() -> None:
        chosen = existing.value
        actions = wb.plan.section(SLUG).actions
        existing.options = [(f"{i + 1}. {a.what} ({LEADS[a.lead]}, {a.status.value})", i) for i, a in enumerate(actions)]
        if existing.options:
            existing.value = chosen if chosen is not None and chosen < len(existing.options) else 0
        update_button.disabled = remove_button.disabled = not existing.options

    def add(_button: Any) -> None:
        if not what_box.value.strip():
            wb.status.value = '<div role="alert">Not saved: describe what will be done before adding the action.</div>'
            return
        if wb.edit(lambda plan: add_action(plan, objective_box.value, what_box.value, lead_box.value, by_box.value,
                                           measure_box.value), "a new action"):
            what_box.value = measure_box.value = ""
            refresh_existing()

    def update(_button: Any) -> None:
        if existing.value is not None and wb.edit(
                lambda plan: set_action_status(plan, existing.value, new_status.value), "an action's status"):
            refresh_existing()

    def remove(_button: Any) -> None:
        if existing.value is not None and wb.edit(lambda plan: remove_action(plan, existing.value),
                                                  "the removal of an action"):
            existing.value = None
            refresh_existing()

    objective_box.observe(lambda change: suggest(change["new"]), names="value")
    add_button.on_click(add)
    update_button.on_click(update)
    remove_button.on_click(remove)
    suggest(objective_box.value)
    refresh_existing()
    return w.VBox([help_text("For each priority agree what the partners will do, who leads it (the local authority, "
                             "health or both jointly), by when, and how you will know it is working. The suggested "
                             "measures are published indicators or local counts that fit the objective; you may "
                             "type your own. Each action is saved when you press Add action."),
                   wb.view(current_priorities), objective_box, what_box, lead_box, by_box, measure_box,
                   suggestions, add_button,
                   w.HTML("<strong>Update or remove an action</strong>"), existing, new_status,
                   w.HBox([update_button, remove_button]), wb.status])
