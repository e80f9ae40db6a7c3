"""Product 7's exercises: exploring the library, and recording the team's own interviews.

Each is an :class:`~jointwork.workshop.blocks.Exercise`: widgets bound to the plan in a workshop,
what is saved in a batch run. The interviews are a shared :class:`~jointwork.workshop.blocks.RecordList`;
the library explorer (search and filters that change nothing in the plan) is this product's own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...core.plan import Sector
from ...render import display
from ...workshop.blocks import Exercise, Field, RecordList
from .calculations import filter_perspectives
from .content import entry_themes, interview_questions, perspectives, theme_titles
from .edits import add_interview, interview_fields, remove_interview, section, update_interview
from .views import library, place_name, render_perspectives

if TYPE_CHECKING:
    from ...workshop.workbook import Workbook


# ---- the library explorer -----------------------------------------------------------------------
def _library_widgets(wb: Workbook) -> Any:
    import ipywidgets as w

    from ...workshop.controls import help_text, labelled

    area_name = place_name(wb.area.code)
    search = w.Text(
        placeholder="e.g. health visitors, birth data, Derbyshire",
        continuous_update=False,
        layout=w.Layout(width="420px"),
    )
    labelled(search, "Search")
    theme_box = w.SelectMultiple(
        options=[(title, tid) for tid, title in theme_titles().items()], rows=6, layout=w.Layout(width="300px")
    )
    labelled(theme_box, "Themes (none chosen = all)")
    kind_box = w.ToggleButtons(options=[("Both", ""), ("Barriers", "barrier"), ("Enablers", "enabler")], value="")
    labelled(kind_box, "Show")
    clear = w.Button(description="Clear filters", tooltip="Show every perspective again")
    count = w.HTML()
    results = w.HTML(layout=w.Layout(width="100%"))

    def redraw(_change: Any = None) -> None:
        found = filter_perspectives(search.value, theme_box.value, kind_box.value or None, area_code=wb.area.code)
        count.value = (
            f'<div role="status" aria-live="polite">{len(found)} of {len(perspectives())} perspectives match.</div>'
        )
        results.value = render_perspectives(found, wb.area.code, area_name)._repr_html_()

    def reset(_button: Any) -> None:
        search.value, theme_box.value, kind_box.value = "", (), ""
        redraw()

    for control in (search, theme_box, kind_box):
        control.observe(redraw, names="value")
    clear.on_click(reset)
    redraw()
    return w.VBox(
        [
            help_text(
                "Type words to search for, pick one or more themes, or show only barriers or "
                "enablers. The list below changes as you choose. Perspectives from your area "
                "come first; the Today column says whether each point still holds."
            ),
            search,
            w.HBox([theme_box, w.VBox([kind_box, clear])]),
            count,
            results,
        ]
    )


explore = Exercise(
    static=library,
    widgets=_library_widgets,
    doc="Search and filter the library: widgets in a workshop, the whole library (your area first) in a batch run.",
)


# ---- the team's interviews ----------------------------------------------------------------------
def _theme_options(_plan: Any) -> list[tuple[str, str]]:
    """Every theme, in content order, as (title, id)."""
    return [(title, tid) for tid, title in theme_titles().items()]


INTERVIEWS = RecordList(
    noun="interview",
    fields=(
        Field("interviewee", "Interviewee", placeholder="a name, or a role such as 'Health visitor, north locality'"),
        Field("role", "Role", placeholder="their job"),
        Field(
            "sector",
            "Sector",
            "choice",
            options=[(s.label, s.value) for s in Sector],
            default=Sector.LOCAL_AUTHORITY.value,
        ),
        Field(
            "summary",
            "Summary",
            "long",
            placeholder="What did they say helps or hinders joint working? In your own words.",
        ),
        Field(
            "kind",
            "Barrier or enabler",
            "toggle",
            options=[("Barrier", "barrier"), ("Enabler", "enabler")],
            default="barrier",
        ),
        Field("themes", "Themes", "multi", options=_theme_options, default=()),
        Field("interviewed_on", "Date of interview", "date", default=None),
    ),
    records=lambda plan: section(plan).interviews,
    add=lambda plan, values: add_interview(plan, **interview_fields(values)),
    update=lambda plan, index, values: update_interview(plan, index, **interview_fields(values)),
    remove=remove_interview,
    label=lambda i, v: f"{i + 1}. {v.interviewee} ({v.kind})",
    help="Record each interview the team holds, tagged with the same themes as the library. Choose 'New interview' "
    "to add one, or pick an interview to change or remove it. Nothing is saved until you press a button; "
    "the summary chart below then includes it.",
)


def suggested_questions() -> Any:
    """The suggested questions, folded away under a heading, to keep beside the interview form."""
    import ipywidgets as w

    titles = theme_titles()
    questions = "".join(
        f"<li>{display.esc(q.text)} <em>({display.esc('; '.join(titles[t] for t in entry_themes(q)))})</em></li>"
        for q in interview_questions()
    )
    return w.HTML(f"<details><summary>Suggested questions</summary><ol>{questions}</ol></details>")


exercise = Exercise(
    static=lambda plan: display.paragraph(
        f"{len(section(plan).interviews)} interview(s) recorded; see the list below."
    ),
    widgets=lambda wb: INTERVIEWS.widgets(wb, before=[suggested_questions()]),
    doc="Record the team's own interviews: a form in a workshop; in a batch run, how many are saved (the "
    "notebook shows the list itself with ``wb.view(interviews_table)``).",
)
