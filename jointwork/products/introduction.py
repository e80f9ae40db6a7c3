"""Product 1, "Introduction and start": choose an area or start its plan, record the team, see the
suite and the team's progress through it, health and the five Every Child Matters outcomes, the
emotional health and well-being strand, case studies and a then-and-now glossary.

Static outputs take a :class:`~jointwork.plan.Plan` and return HTML, so a notebook shows them
with ``wb.view(...)`` both in a workshop and in a batch run. :func:`progress` is general: the
batch summary and the app use it for any plan.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from .. import display
from ..areas import Area, find_area, search_areas
from ..charts import Series, bar_chart
from ..content import Entry, ProductContent, load_content
from ..plan import IntroductionSection, Plan
from . import PRODUCTS

if TYPE_CHECKING:
    import pandas as pd

    from ..store import PlanStore
    from ..workbook import Workbook

SLUG = "introduction"
TEAM_FIELDS: dict[str, str] = {
    "team_name": "Team name",
    "facilitator": "Facilitator",
    "workshop_date": "Workshop date",
    "hopes": "What the team hopes for",
}
SHORT_LIMIT = 200
LONG_LIMIT = 5000
MAX_MATCHES = 12
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def content() -> ProductContent:
    return load_content(1)


def outcomes() -> list[Entry]:
    """The five Every Child Matters outcomes, in the order of the 2004 framework."""
    return content().group("ecm_outcomes")


def outcome_titles() -> dict[str, str]:
    return {o.id: o.get("title") for o in outcomes()}


def check(section: IntroductionSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Outcome notes must be keyed by the id of an Every Child Matters outcome in the content."""
    known = outcome_titles()
    expected = "one of the Every Child Matters outcome ids: " + ", ".join(known)
    for outcome_id in section.outcome_notes:
        if outcome_id not in known:
            yield ("outcome_notes", outcome_id), expected


# ---- Progress through the suite ------------------------------------------------------------
def section_entries(section: Any) -> list[tuple[str, int]]:
    """What each field of a plan section holds, as (label, count), in the order of the fields.

    A list or mapping counts its items (respondents, stakeholders, outcome notes...); a text, date
    or other single value counts 1 when it is filled in. Works for any section of the plan.
    """
    found = []
    for name, field in type(section).model_fields.items():
        value = getattr(section, name)
        if isinstance(value, (list, tuple, dict, set)):
            count = sum(1 for v in (value.values() if isinstance(value, dict) else value) if v not in ("", None))
        elif isinstance(value, str):
            count = 1 if value.strip() else 0
        else:
            count = 0 if value is None or value == field.get_default(call_default_factory=True) else 1
        found.append((name.replace("_", " "), count))
    return found


def _describe(entries: list[tuple[str, int]], section: Any) -> tuple[list[str], list[str]]:
    collections = {name.replace("_", " ") for name, value in
                   ((n, getattr(section, n)) for n in type(section).model_fields)
                   if isinstance(value, (list, tuple, dict, set))}
    filled = [f"{label}: {count}" if label in collections else label for label, count in entries if count]
    empty = [label for label, count in entries if not count]
    return filled, empty


def progress(plan: Plan) -> "pd.DataFrame":
    """One row per product of the suite: whether the team has started it and what its section holds.

    Columns: ``number``, ``slug``, ``title``, ``notebook`` (file name), ``available`` (the product's
    module is in this version of jointwork), ``started`` (bool), ``status`` ("started" or
    "not started"), ``entries`` (see :func:`section_entries`), ``filled`` and ``not_filled``
    ("; "-joined field labels, e.g. "respondents: 4; actions: 2").
    """
    import pandas as pd

    rows = []
    for product in PRODUCTS.values():
        section = plan.section(product.slug)
        entries = section_entries(section)
        filled, empty = _describe(entries, section)
        started = plan.is_started(product.slug)
        rows.append({
            "number": product.number,
            "slug": product.slug,
            "title": product.title,
            "notebook": product.notebook,
            "available": product.available,
            "started": started,
            "status": "started" if started else "not started",
            "entries": sum(count for _label, count in entries),
            "filled": "; ".join(filled),
            "not_filled": "; ".join(empty),
        })
    return pd.DataFrame(rows)


def progress_table(plan: Plan) -> display.Html:
    """Every product with its notebook, whether the team has started it and what is filled in."""
    frame = progress(plan)
    started = int(frame["started"].sum())
    rows = [{"No.": r.number, "Product": r.title,
             "Notebook": r.notebook if r.available else f"{r.notebook} (not in this version yet)",
             "Status": r.status, "Entries": r.entries, "Filled in": r.filled or "nothing yet",
             "Not filled in yet": r.not_filled or "everything is filled in"}
            for r in frame.itertuples()]
    return display.table(rows, f"The team's progress: {started} of {len(rows)} products started")


def progress_chart(plan: Plan) -> display.Html:
    """Bars of the number of entries per product, titled with how many products are started."""
    frame = progress(plan)
    if not frame["entries"].any():
        return display.notice("Nothing entered yet in any product: the chart appears once the team records something.")
    started = int(frame["started"].sum())
    top = frame.sort_values(["entries", "number"], ascending=[False, True], kind="stable").iloc[0]
    title = (f"{started} of {len(frame)} products started; most entries in "
             f"{top['number']}. {top['title']} ({top['entries']})")
    biggest = int(frame["entries"].max())
    max_value = max(4, -(-biggest // 4) * 4)
    description = (f"Horizontal bars show how many entries the plan holds for each of the {len(frame)} products: "
                   "items in a list (respondents, stakeholders, notes...) plus each text or date filled in. "
                   "A bar labelled 0 means the product has not been started.")
    categories = [f"{n}. {t}" for n, t in zip(frame["number"], frame["title"])]
    return bar_chart(categories, [Series("Entries", [int(v) for v in frame["entries"]])], title, description,
                     max_value, "{:.0f}", "Entries in the plan")


# ---- Areas ---------------------------------------------------------------------------------
def coterminosity(area: Area) -> str:
    """How the area's boundary fits the NHS: one ICB of its own, one shared ICB, or several."""
    basis = "" if area.icb_basis == "exact" else f" ({area.icb_basis})"
    if area.coterminous:
        return f"yes: one ICB, which covers no other council{basis}"
    if area.single_icb:
        return f"no: one ICB, shared with other councils{basis}"
    return f"no: spans {len(area.icbs)} ICBs{basis}"


def _icb_list(area: Area) -> str:
    parts = []
    for link in area.icbs:
        share = f" ({link.lsoa_share:.1%} of the area's LSOAs)" if link.lsoa_share is not None and not area.single_icb else ""
        parts.append(f"{link.name} [{link.ods_code}]{share}")
    return "; ".join(parts) or "none recorded"


def area_facts(plan: Plan) -> display.Html:
    """The facts about the plan's area: codes, region, ICBs and how its boundary fits the NHS."""
    return _area_facts(find_area(plan.area_code))


def _area_facts(area: Area) -> display.Html:
    rows = [{"": "Area", "Value": area.name},
            {"": "GSS code (use as area_code)", "Value": area.code},
            {"": "DfE code", "Value": area.dfe_code},
            {"": "Region", "Value": area.region},
            {"": "Integrated care board(s)", "Value": _icb_list(area)},
            {"": "Co-terminous with its ICB", "Value": coterminosity(area)}]
    if area.aliases:
        rows.append({"": "Former codes", "Value": ", ".join(area.aliases)})
    blocks = [display.table(rows, f"{area.name} at a glance")]
    if area.icb_basis != "exact":
        blocks.append(display.paragraph("The ICB links are indicative: they come from 2021 commissioning boundaries, "
                                        "so check them with the ICB's place team."))
    return display.join(blocks)


def find_matches(text: str) -> list[Area]:
    """Areas matching ``text`` (see :func:`jointwork.areas.search_areas`), best first.

    An exact code or name comes first, then names that start with the text, then names that
    contain it, then matches on region or ICB; alphabetical within each group.
    """
    needle = text.strip().casefold()
    if not needle:
        return []

    def rank(area: Area) -> int:
        name = area.name.casefold()
        if needle in (name, area.code.casefold(), area.dfe_code.casefold()):
            return 0
        if name.startswith(needle):
            return 1
        return 2 if needle in name else 3

    return sorted(search_areas(text), key=lambda a: (rank(a), a.name))


def area_matches(text: str, store: "PlanStore | None" = None) -> display.Html:
    """A table of the areas matching ``text``; with a store, whether each has a plan in it."""
    if not text.strip():
        return display.paragraph("Type part of an area's name, a code, a region or an ICB name to search.")
    found = find_matches(text)
    rows = []
    for area in found[:MAX_MATCHES]:
        row = {"Area": area.name, "Code": area.code, "Region": area.region, "ICBs": area.icb_names,
               "Co-terminous": coterminosity(area)}
        if store is not None:
            row["Plan in this workspace"] = "yes" if store.exists(area.code) else "no"
        rows.append(row)
    caption = f"Areas matching '{text.strip()}'"
    if len(found) > MAX_MATCHES:
        caption += f" (first {MAX_MATCHES} of {len(found)}: type more to narrow the list)"
    return display.table(rows, caption, empty="no area matches; try part of the name, a code such as E06000045, "
                                              "a region or an ICB name.")


def parameters_note(area: Area) -> str:
    return (f'To work on {area.name}, set area_code = "{area.code}" in the parameters cell (the first code cell) '
            "of each product notebook and run it again, or choose the area in the app.")


def start_plan(store: "PlanStore", code: str) -> bool:
    """Save a blank plan for ``code`` if it has none; True when one was created.

    An existing plan is never replaced: the store's update leaves an unchanged plan as it is.
    """
    if store.exists(code):
        return False
    store.update(code, lambda plan: None)
    return True


def area_picker(wb: "Workbook") -> Any:
    """Choose an area or start its plan: a search in a workshop; the area's facts in a batch run."""
    if not wb.interactive:
        return area_facts(wb.plan) + display.paragraph(parameters_note(wb.area))
    return _area_widgets(wb)


# ---- The team ------------------------------------------------------------------------------
def _as_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"the workshop date should be a date such as 2026-03-05, got {value!r}") from None
    if not isinstance(value, date):
        raise ValueError(f"the workshop date should be a date such as 2026-03-05, got {value!r}")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"the workshop date should fall between {EARLIEST_YEAR} and {LATEST_YEAR}, "
                         f"got {value.isoformat()}")
    return value


def _checked_text(value: Any, what: str, limit: int) -> str:
    text = "" if value is None else str(value).strip()
    if len(text) > limit:
        raise ValueError(f"{what} is {len(text):,} characters long; keep it to {limit:,} or fewer")
    return text


def set_team_detail(plan: Plan, field: str, value: Any) -> None:
    """Record one team detail: ``team_name``, ``facilitator``, ``workshop_date`` or ``hopes``."""
    if field not in TEAM_FIELDS:
        raise ValueError(f"there is no team detail called {field!r}; use one of {', '.join(TEAM_FIELDS)}")
    section = plan.section(SLUG)
    if field == "workshop_date":
        section.workshop_date = _as_date(value)
        return
    limit = LONG_LIMIT if field == "hopes" else SHORT_LIMIT
    setattr(section, field, _checked_text(value, f"the {TEAM_FIELDS[field].lower()}", limit))


def set_outcome_note(plan: Plan, outcome_id: str, note: str) -> None:
    """Record the team's note on one Every Child Matters outcome; an empty note removes it."""
    titles = outcome_titles()
    if outcome_id not in titles:
        raise ValueError(f"there is no Every Child Matters outcome {outcome_id!r}; use one of {', '.join(titles)}")
    text = _checked_text(note, f"the note on '{titles[outcome_id]}'", LONG_LIMIT)
    notes = dict(plan.section(SLUG).outcome_notes)
    if text:
        notes[outcome_id] = text
    else:
        notes.pop(outcome_id, None)
    plan.section(SLUG).outcome_notes = {k: notes[k] for k in titles if k in notes}


def team_details(plan: Plan) -> display.Html:
    """The team details recorded in the plan."""
    section = plan.section(SLUG)
    values = {field: getattr(section, field) for field in TEAM_FIELDS}
    if not any(values.values()):
        return display.notice("No team details recorded yet: a team name, the facilitator, the workshop date "
                              "and what the team hopes for.")
    rows = [{"": label, "Recorded": (values[field].isoformat() if isinstance(values[field], date) else values[field])
             or "not recorded yet"} for field, label in TEAM_FIELDS.items()]
    return display.table(rows, "The team")


def exercise(wb: "Workbook") -> Any:
    """The team details: a form in a workshop, what is recorded in a batch run."""
    if not wb.interactive:
        return team_details(wb.plan)
    return _team_widgets(wb)


# ---- Reference content ----------------------------------------------------------------------
def _unverified_notes(entries: list[Entry], label: str) -> display.Html:
    noted = [f"{e.get(label)}: {e.note}" for e in entries if not e.verified and e.note]
    if not noted:
        return display.Html("", "")
    return display.join([display.paragraph("Notes on the entries marked [unverified]:"), display.bullet_list(noted)])


def suite() -> display.Html:
    """The eight products of the 2007-08 suite beside their notebooks in this project."""
    c = content()
    rows = []
    for entry in sorted(c.group("suite"), key=lambda e: e.get("number")):
        product = PRODUCTS[entry.get("number")]
        rows.append({"No.": product.number, "In this workbook": product.title, "In 2007-08": entry.get("title"),
                     "New in the 2008 refresh": "yes" if entry.get("new_material") else "no",
                     "What it is for": entry.text, "Notebook": product.notebook, "Source": c.cite(entry)})
    return display.table(rows, "The suite at a glance: the 2007-08 products and their notebooks")


def ecm_outcomes() -> display.Html:
    """The five outcomes with why health matters, their 2004 aims and today's health priorities."""
    c = content()
    rows = [{"Outcome": o.get("title"), "Why health matters": o.text, "Aims (2004)": "; ".join(o.get("aims", [])),
             "Today's health priorities": "; ".join(o.get("today", [])), "Source": c.cite(o)} for o in outcomes()]
    return display.join([display.table(rows, "Health and the five Every Child Matters outcomes, then and now"),
                         _unverified_notes(outcomes(), "title")])


def outcome_notes_table(plan: Plan) -> display.Html:
    notes = plan.section(SLUG).outcome_notes
    rows = [{"Outcome": title, "Our notes": notes[oid]} for oid, title in outcome_titles().items() if oid in notes]
    return display.table(rows, "The team's notes on the outcomes", empty="No notes on the outcomes yet.")


def outcome_exercise(wb: "Workbook") -> Any:
    """A notes box per outcome in a workshop; a count in a batch run (the notes follow in a table)."""
    if not wb.interactive:
        count = len(wb.plan.section(SLUG).outcome_notes)
        return display.paragraph(f"{count} of {len(outcomes())} outcomes have a note from the team; see below.")
    return _outcome_widgets(wb)


def emotional_health() -> display.Html:
    """The emotional health and well-being strand added in the refresh, with what stands for it today."""
    c = content()
    entries = c.group("emotional_health")
    rows = [{"Theme": e.get("title"), "What the toolkit said (2008)": e.text, "Today": e.get("today"),
             "Source": c.cite(e)} for e in entries]
    return display.join([display.table(rows, "The emotional health and well-being strand, then and now"),
                         _unverified_notes(entries, "title")])


def case_studies() -> display.Html:
    """Case studies of councils and the NHS working through centres, summarised and cited."""
    c = content()
    entries = c.group("case_studies")
    rows = [{"Area": e.get("place"), "Case study": e.get("title"), "What they did": e.text,
             "Themes": ", ".join(e.get("theme", [])), "Source": c.cite(e)} for e in entries]
    intro = display.paragraph("Each case is summarised in the project's own words from the source named beside it. "
                              "They describe practice between 2006 and 2013, under the names used then; today's "
                              "equivalents are given in brackets or in the glossary.")
    return display.join([intro, display.table(rows, f"What other areas did: {len(rows)} case studies"),
                         _unverified_notes(entries, "place")])


def glossary() -> display.Html:
    """Then and now: what the toolkit's names became, what changed and when."""
    c = content()
    entries = c.group("glossary")
    rows = [{"Then": e.get("term"), "Now": e.get("now"), "What it was and what changed": e.text,
             "When": e.get("changed"), "Source": c.cite(e)} for e in entries]
    return display.join([display.table(rows, "Then and now: a glossary of the toolkit's terms"),
                         _unverified_notes(entries, "term")])


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return content().sources_table()


# ---- Workshop widgets ----------------------------------------------------------------------
def _area_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..errors import PlanBusy
    from ..widgets import help_text, labelled
    from ..workbook import _status_html

    def option(area: Area) -> tuple[str, str]:
        return (f"{area.name} ({area.code})", area.code)

    search = w.Text(placeholder="name, code, region or ICB, e.g. Plymouth or E06000026", continuous_update=False,
                    layout=w.Layout(width="420px"))
    labelled(search, "Search for an area")
    matches = w.HTML(area_matches("").markup)
    chosen = w.Dropdown(options=[option(wb.area)], value=wb.area.code, layout=w.Layout(width="420px"))
    labelled(chosen, "Area")
    state = w.HTML()
    start = w.Button(description="Start a new plan", button_style="primary",
                     tooltip="Save a blank plan for this area in the team's workspace")
    note = w.HTML()

    def show_state() -> None:
        area = find_area(chosen.value)
        exists = wb.store.exists(area.code)
        state.value = (display.notice(f"{area.name} has a saved plan in this workspace." if exists else
                                      f"{area.name} has no plan in this workspace yet.")
                       + _area_facts(area)).markup
        start.disabled = exists
        note.value = display.paragraph(parameters_note(area)).markup

    def on_search(text: str) -> None:
        matches.value = area_matches(text, wb.store).markup
        found = find_matches(text)[:MAX_MATCHES]
        if found:
            previous = chosen.value
            chosen.options = [option(a) for a in found]
            chosen.value = previous if previous in {a.code for a in found} else found[0].code

    def on_start(_button: Any) -> None:
        area = find_area(chosen.value)
        try:
            created = start_plan(wb.store, area.code)
        except (ValueError, PlanBusy) as exc:
            wb.status.value = _status_html(f"Not saved: {exc}", ok=False)
            return
        if created:
            wb.status.value = _status_html(f"Started a new plan for {area.name}: saved to "
                                           f"{wb.store.path_for(area.code).name}", ok=True)
            if area.code == wb.area.code:
                wb.plan = wb.store.load(area.code)
                wb.refresh()
        else:
            wb.status.value = _status_html(f"{area.name} already has a plan; nothing was changed.", ok=True)
        show_state()

    search.observe(lambda change: on_search(change["new"]), names="value")
    chosen.observe(lambda change: show_state(), names="value")
    start.on_click(on_start)
    show_state()
    return w.VBox([help_text("Search for your area, check whether it already has a plan in this workspace and, if "
                             "not, start one. Then open each product notebook for that area."),
                   search, matches, chosen, state, start, wb.status, note])


def _team_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled, on_commit, text_box

    section = wb.plan.section(SLUG)
    controls = {
        "team_name": text_box(section.team_name, TEAM_FIELDS["team_name"], "e.g. Southampton family hubs partnership"),
        "facilitator": text_box(section.facilitator, TEAM_FIELDS["facilitator"], "who is running the session"),
        "workshop_date": labelled(w.DatePicker(value=section.workshop_date), TEAM_FIELDS["workshop_date"]),
        "hopes": text_box(section.hopes, TEAM_FIELDS["hopes"],
                          "what the council and NHS partners want to get out of working through the suite", long=True),
    }

    def save(field: str, value: Any) -> None:
        wb.edit(lambda plan: set_team_detail(plan, field, value), f"the {TEAM_FIELDS[field].lower()}")

    for field, control in controls.items():
        on_commit(control, lambda value, f=field: save(f, value))
    return w.VBox([help_text("Record who the team is, who is facilitating, when you meet and what you hope to get "
                             "from the exercise. Each detail is saved when you leave the box."),
                   *controls.values(), wb.status])


def _outcome_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, on_commit, text_box

    notes = wb.plan.section(SLUG).outcome_notes
    items = []
    for outcome in outcomes():
        box = text_box(notes.get(outcome.id, ""), f"Notes: {outcome.get('title')}",
                       "what this outcome means in your area: what is in place, what to talk about next", long=True)
        on_commit(box, lambda value, o=outcome: wb.edit(lambda plan: set_outcome_note(plan, o.id, value),
                                                         f"the note on '{o.get('title')}'"))
        today = "; ".join(outcome.get("today", []))
        items.append(w.VBox([w.HTML(f"<strong>{display.esc(outcome.get('title'))}</strong> "
                                    f"<em>Today: {display.esc(today)}</em>"), box],
                            layout=w.Layout(border="1px solid #ccc", padding="6px")))
    return w.VBox([help_text("For each outcome, note what it means for your area today. Each note is saved when you "
                             "leave the box; empty a box to remove its note."), *items, wb.status])
