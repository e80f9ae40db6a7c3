"""Product 1's views: the suite, the team's progress through it, the area, the team, the outcomes
and the reference tables.

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from ...core.areas import Area, find_area
from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from ...render import display
from ...render.charts import Series, bar_chart
from .calculations import MAX_MATCHES, coterminosity, find_matches, icb_list, progress
from .content import content, outcome_titles, outcomes, suite_entries
from .edits import TEAM_FIELDS, section

if TYPE_CHECKING:
    from ...core.store import PlanStore


# ---- Progress through the suite ------------------------------------------------------------
def progress_table(plan: Plan, responses: Any = None) -> display.Html:
    """Every product with its notebook, whether the team has started it and what is filled in."""
    frame = progress(plan, responses)
    started = int(frame["started"].sum())
    rows = [
        {
            "No.": r.number,
            "Product": r.title,
            "Notebook": r.notebook,
            "Status": r.status,
            "Entries": r.entries,
            "Filled in": r.filled or "nothing yet",
            "Not filled in yet": r.not_filled or "everything is filled in",
        }
        for r in frame.itertuples()
    ]
    return display.table(rows, f"The team's progress: {started} of {len(rows)} products started")


def progress_chart(plan: Plan, responses: Any = None) -> display.Html:
    """Bars of the number of entries per product, titled with how many products are started."""
    frame = progress(plan, responses)
    if not frame["entries"].any():
        return display.notice("Nothing entered yet in any product: the chart appears once the team records something.")
    started = int(frame["started"].sum())
    top = frame.sort_values(["entries", "number"], ascending=[False, True], kind="stable").iloc[0]
    title = (
        f"{started} of {len(frame)} products started; most entries in "
        f"{top['number']}. {top['title']} ({top['entries']})"
    )
    biggest = int(frame["entries"].max())
    max_value = max(4, -(-biggest // 4) * 4)
    description = (
        f"Horizontal bars show how many entries the plan holds for each of the {len(frame)} products: "
        "items in a list (respondents, stakeholders, notes...) plus each text or date filled in. "
        "A bar labelled 0 means the product has not been started."
    )
    categories = [f"{n}. {t}" for n, t in zip(frame["number"], frame["title"], strict=True)]
    return bar_chart(
        categories,
        [Series("Entries", [int(v) for v in frame["entries"]])],
        title,
        description,
        max_value,
        "{:.0f}",
        "Entries in the plan",
    )


# ---- Areas ---------------------------------------------------------------------------------
def area_facts(plan: Plan) -> display.Html:
    """The facts about the plan's area: codes, region, ICBs and how its boundary fits the NHS."""
    return facts_of(find_area(plan.area_code))


def facts_of(area: Area) -> display.Html:
    """The facts about ``area``: codes, region, ICBs and how its boundary fits the NHS."""
    rows = [
        {"": "Area", "Value": area.name},
        {"": "GSS code (use as area_code)", "Value": area.code},
        {"": "DfE code", "Value": area.dfe_code},
        {"": "Region", "Value": area.region},
        {"": "Integrated care board(s) from 1 April 2026", "Value": icb_list(area)},
        {"": "Co-terminous with its ICB", "Value": coterminosity(area)},
    ]
    if area.aliases:
        rows.append({"": "Former codes", "Value": ", ".join(area.aliases)})
    if area.change_note():
        rows.append({"": "Changes to the council", "Value": area.change_note()})
    blocks = [display.table(rows, f"{area.name} at a glance")]
    blocks += [display.paragraph(text) for text in area.icb_caveats()]
    if area.icb_basis != "exact":
        blocks.append(
            display.paragraph(
                "The ICB links are indicative: they come from 2021 commissioning boundaries carried onto the "
                "36 ICBs of 1 April 2026, so check them with the ICB's place team."
            )
        )
    return display.join(blocks)


def area_matches(text: str, store: PlanStore | None = None) -> display.Html:
    """A table of the areas matching ``text``; with a store, whether each has a plan in it."""
    if not text.strip():
        return display.paragraph("Type part of an area's name, a code, a region or an ICB name to search.")
    found = find_matches(text)
    rows = []
    for area in found[:MAX_MATCHES]:
        row = {
            "Area": area.name,
            "Code": area.code,
            "Region": area.region,
            "ICBs": area.icb_names,
            "Co-terminous": coterminosity(area),
        }
        if store is not None:
            row["Plan in this workspace"] = "yes" if store.exists(area.code) else "no"
        rows.append(row)
    caption = f"Areas matching '{text.strip()}'"
    if len(found) > MAX_MATCHES:
        caption += f" (first {MAX_MATCHES} of {len(found)}: type more to narrow the list)"
    return display.table(
        rows, caption, empty="no area matches; try part of the name, a code such as E06000045, a region or an ICB name."
    )


def parameters_note(area: Area) -> str:
    """How to open the product notebooks for ``area`` in JupyterLab (or in the app)."""
    return (
        f'To work on {area.name}, set area_code = "{area.code}" in the parameters cell (the first code cell) '
        "of each product notebook and run it again, or choose the area in the app."
    )


def app_area_note(area: Area) -> str:
    """Where the facilitator app's user chose the area and how to change it."""
    return (
        f"You chose {area.name} on the start page of the app. To work on another area, use the "
        "navigation at the top of the page."
    )


# ---- The team ------------------------------------------------------------------------------
def team_details(plan: Plan) -> display.Html:
    """The team details recorded in the plan."""
    values = {field: getattr(section(plan), field) for field in TEAM_FIELDS}
    if not any(values.values()):
        return display.notice(
            "No team details recorded yet: a team name, the facilitator, the workshop date and what the team hopes for."
        )
    rows = [
        {
            "": label,
            "Recorded": (values[field].isoformat() if isinstance(values[field], date) else values[field])
            or "not recorded yet",
        }
        for field, label in TEAM_FIELDS.items()
    ]
    return display.table(rows, "The team")


def outcome_notes_table(plan: Plan) -> display.Html:
    """The team's note on each Every Child Matters outcome, in the order of the outcomes."""
    notes = section(plan).outcome_notes
    rows = [{"Outcome": title, "Our notes": notes[oid]} for oid, title in outcome_titles().items() if oid in notes]
    return display.table(rows, "The team's notes on the outcomes", empty="No notes on the outcomes yet.")


def outcome_count(plan: Plan) -> display.Html:
    """How many outcomes have a note from the team."""
    count = len(section(plan).outcome_notes)
    return display.paragraph(f"{count} of {len(outcomes())} outcomes have a note from the team; see below.")


# ---- Reference content ----------------------------------------------------------------------
def _unverified_notes(entries: list[Entry], label: str) -> display.Html:
    """The notes on the entries marked [unverified], under a table of them."""
    noted = [f"{e.get(label)}: {e.note}" for e in entries if not e.verified and e.note]
    if not noted:
        return display.Html("", "")
    return display.join([display.paragraph("Notes on the entries marked [unverified]:"), display.bullet_list(noted)])


def suite(plan: Plan) -> display.Html:
    """The products of the 2007-08 suite beside the plan's products and their notebooks."""
    c = content()
    then = suite_entries()
    rows = []
    for product in type(plan).products:
        entry = then.get(product.number)
        rows.append(
            {
                "No.": product.number,
                "In this workbook": product.title,
                "In 2007-08": entry.get("title") if entry else "not part of the 2007-08 suite",
                "New in the 2008 refresh": ("yes" if entry.get("new_material") else "no") if entry else "",
                "What it is for": entry.text if entry else "",
                "Notebook": product.notebook,
                "Source": c.cite(entry) if entry else "",
            }
        )
    return display.table(rows, "The suite at a glance: the 2007-08 products and their notebooks")


def ecm_outcomes() -> display.Html:
    """The five outcomes with why health matters, their 2004 aims and today's health priorities."""
    c = content()
    rows = [
        {
            "Outcome": o.get("title"),
            "Why health matters": o.text,
            "Aims (2004)": "; ".join(o.get("aims", [])),
            "Today's health priorities": "; ".join(o.get("today", [])),
            "Source": c.cite(o),
        }
        for o in outcomes()
    ]
    return display.join(
        [
            display.table(rows, "Health and the five Every Child Matters outcomes, then and now"),
            _unverified_notes(outcomes(), "title"),
        ]
    )


def emotional_health() -> display.Html:
    """The emotional health and well-being strand added in the refresh, with what stands for it today."""
    c = content()
    entries = c.group("emotional_health")
    rows = [
        {"Theme": e.get("title"), "What the toolkit said (2008)": e.text, "Today": e.get("today"), "Source": c.cite(e)}
        for e in entries
    ]
    return display.join(
        [
            display.table(rows, "The emotional health and well-being strand, then and now"),
            _unverified_notes(entries, "title"),
        ]
    )


def case_studies() -> display.Html:
    """Case studies of councils and the NHS working through centres, summarised and cited."""
    c = content()
    entries = c.group("case_studies")
    rows = [
        {
            "Area": e.get("place"),
            "Case study": e.get("title"),
            "What they did": e.text,
            "Themes": ", ".join(e.get("theme", [])),
            "Source": c.cite(e),
        }
        for e in entries
    ]
    intro = display.paragraph(
        "Each case is summarised in the project's own words from the source named beside it. "
        "They describe practice between 2006 and 2013, under the names used then; today's "
        "equivalents are given in brackets or in the glossary."
    )
    return display.join(
        [
            intro,
            display.table(rows, f"What other areas did: {len(rows)} case studies"),
            _unverified_notes(entries, "place"),
        ]
    )


def glossary() -> display.Html:
    """Then and now: what the toolkit's names became, what changed and when."""
    c = content()
    entries = c.group("glossary")
    rows = [
        {
            "Then": e.get("term"),
            "Now": e.get("now"),
            "What it was and what changed": e.text,
            "When": e.get("changed"),
            "Source": c.cite(e),
        }
        for e in entries
    ]
    return display.join(
        [display.table(rows, "Then and now: a glossary of the toolkit's terms"), _unverified_notes(entries, "term")]
    )


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())
