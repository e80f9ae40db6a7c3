"""Product 1's exercises: the area, the team details and the notes on the outcomes.

Each is an :class:`~jointwork.workshop.blocks.Exercise`: widgets bound to the plan in a workshop,
what is saved in a batch run. The area exercise also depends on the surface: in JupyterLab it is
a search with a Start button; the facilitator app has its own start page for choosing the area,
so there it says so in one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from ...core.areas import Area, find_area
from ...core.errors import PlanBusy
from ...core.plan import PlanBase as Plan
from ...render import display
from ...workshop.blocks import Exercise, saved_text
from .calculations import MAX_MATCHES, find_matches
from .content import outcomes
from .edits import TEAM_FIELDS, section, set_outcome_note, set_team_detail, start_plan
from .views import app_area_note, area_facts, area_matches, facts_of, outcome_count, parameters_note, team_details

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


# ---- The area --------------------------------------------------------------------------------
def _area_static(plan: Plan) -> display.Html:
    """The area's facts (a pack is made for one area: how to open another belongs to JupyterLab and the app)."""
    return area_facts(plan)


def _area_widgets(wb: Workbook) -> Any:
    """In JupyterLab, search for an area and start its plan; in the app, a line on where the area was chosen
    (the app's start page chooses the area, and the header above shows its facts)."""
    if wb.surface == "app":
        return display.paragraph(app_area_note(wb.area))
    return _area_search(wb)


def _area_search(wb: Workbook) -> Any:
    """A search box, the matches, a choice of area, its facts and a Start button."""
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled

    def option(area: Area) -> tuple[str, str]:
        return (f"{area.name} ({area.code})", area.code)

    search = w.Text(
        placeholder="name, code, region or ICB, e.g. Plymouth or E06000026",
        continuous_update=False,
        layout=w.Layout(width="420px"),
    )
    labelled(search, "Search for an area")
    matches = w.HTML(area_matches("").markup)
    chosen = w.Dropdown(options=[option(wb.area)], value=wb.area.code, layout=w.Layout(width="420px"))
    labelled(chosen, "Area")
    state = w.HTML()
    start = w.Button(
        description="Start a new plan",
        button_style="primary",
        tooltip="Save a blank plan for this area in the team's workspace",
    )
    note = w.HTML()

    def show_state() -> None:
        area = find_area(chosen.value)
        exists = wb.store.exists(area.code)
        state.value = (
            display.notice(
                f"{area.name} has a saved plan in this workspace."
                if exists
                else f"{area.name} has no plan in this workspace yet."
            )
            + facts_of(area)
        ).markup
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
            wb.say(f"Not saved: {exc}")
            return
        if created:
            wb.say(f"Started a new plan for {area.name}: saved to {wb.store.path_for(area.code).name}", ok=True)
            if area.code == wb.area.code:
                wb.plan = wb.store.load(area.code)
                wb.refresh()
        else:
            wb.say(f"{area.name} already has a plan; nothing was changed.", ok=True)
        show_state()

    search.observe(lambda change: on_search(change["new"]), names="value")
    chosen.observe(lambda change: show_state(), names="value")
    start.on_click(on_start)
    show_state()
    return w.VBox(
        [
            help_text(
                "Search for your area, check whether it already has a plan in this workspace and, if "
                "not, start one. Then open each product notebook for that area."
            ),
            search,
            matches,
            chosen,
            state,
            start,
            wb.status,
            note,
        ]
    )


area_picker = Exercise(
    static=_area_static,
    widgets=_area_widgets,
    doc="Choose an area or start its plan: a search in JupyterLab, the area chosen on the start page in the app, "
    "the area's facts in a batch run.",
)


# ---- The team --------------------------------------------------------------------------------
def _team_widgets(wb: Workbook) -> Any:
    """A box for each team detail, each saved when the user leaves it."""
    import ipywidgets as w

    from ...workshop.controls import help_text

    def detail(field: str, kind: Literal["text", "long", "date"], placeholder: str = "") -> Any:
        return saved_text(
            wb,
            TEAM_FIELDS[field],
            lambda plan: getattr(section(plan), field),
            lambda plan, value: set_team_detail(plan, field, value),
            f"the {TEAM_FIELDS[field].lower()}",
            placeholder=placeholder,
            kind=kind,
        )

    controls = [
        detail("team_name", "text", "e.g. Southampton family hubs partnership"),
        detail("facilitator", "text", "who is running the session"),
        detail("workshop_date", "date"),
        detail("hopes", "long", "what the council and NHS partners want to get out of working through the suite"),
    ]
    return w.VBox(
        [
            help_text(
                "Record who the team is, who is facilitating, when you meet and what you hope to get "
                "from the exercise. Each detail is saved when you leave the box."
            ),
            *controls,
            wb.status,
        ]
    )


exercise = Exercise(
    static=team_details,
    widgets=_team_widgets,
    doc="The team details: a form in a workshop, what is recorded in a batch run.",
)


# ---- The outcomes ------------------------------------------------------------------------------
def _outcome_widgets(wb: Workbook) -> Any:
    """A notes box per outcome, with today's health priorities above it."""
    import ipywidgets as w

    from ...workshop.controls import help_text

    items = []
    for outcome in outcomes():
        title = outcome.get("title")
        box = saved_text(
            wb,
            f"Notes: {title}",
            lambda plan, o=outcome.id: section(plan).outcome_notes.get(o, ""),
            lambda plan, value, o=outcome.id: set_outcome_note(plan, o, value),
            f"the note on '{title}'",
            placeholder="what this outcome means in your area: what is in place, what to talk about next",
        )
        today = "; ".join(outcome.get("today", []))
        items.append(
            w.VBox(
                [w.HTML(f"<strong>{display.esc(title)}</strong> <em>Today: {display.esc(today)}</em>"), box],
                layout=w.Layout(border="1px solid #ccc", padding="6px"),
            )
        )
    return w.VBox(
        [
            help_text(
                "For each outcome, note what it means for your area today. Each note is saved when you "
                "leave the box; empty a box to remove its note."
            ),
            *items,
            wb.status,
        ]
    )


outcome_exercise = Exercise(
    static=outcome_count,
    widgets=_outcome_widgets,
    doc="A notes box per outcome in a workshop; a count in a batch run (the notes follow in a table).",
)
