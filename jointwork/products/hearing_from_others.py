"""Product 7, "Hearing from others...": a library of practitioners' perspectives on what helps or
hinders joint working, tagged by theme and as a barrier or an enabler, with a note on what holds
today; the team's own interviews, tagged the same way; and a thematic summary of both.

Perspectives are paraphrased and attributed (nothing is a direct quotation). Static outputs take a
:class:`~jointwork.plan.Plan` and return HTML, so a notebook shows them with ``wb.view(...)`` both
in a workshop and in a batch run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import display
from ..charts import Series, bar_chart
from ..content import Entry, ProductContent, load_content
from ..plan import Interview, InterviewsSection, Plan, Sector

if TYPE_CHECKING:
    import pandas as pd

    from ..workbook import Workbook

SLUG = "hearing_from_others"
KINDS = ("barrier", "enabler")
SECTORS = (Sector.LOCAL_AUTHORITY, Sector.HEALTH, Sector.OTHER)
SECTOR_LABEL = {Sector.LOCAL_AUTHORITY: "Local authority", Sector.HEALTH: "Health", Sector.OTHER: "Other"}


def content() -> ProductContent:
    return load_content(7)


def perspectives() -> list[Entry]:
    return content().group("perspectives")


def themes() -> list[Entry]:
    return content().group("themes")


def interview_questions() -> list[Entry]:
    return content().group("interview_questions")


def theme_titles() -> dict[str, str]:
    """Theme id (``data_sharing``) -> title (``data sharing``), in content order."""
    return {t.id: t.get("title") for t in themes()}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(text).strip().lower()).strip("_")


def theme_id(name: str) -> str:
    """The theme id for a theme id or title: "conditions of service" -> "conditions_of_service".

    The content tags perspectives and questions with titles (words with spaces); the plan stores ids.
    Raises ``ValueError`` naming the themes for anything else.
    """
    known = {_key(tid): tid for tid in theme_titles()}
    known.update({_key(title): tid for tid, title in theme_titles().items()})
    found = known.get(_key(name))
    if found is None:
        raise ValueError(f"{name!r} is not a theme; choose from: " + ", ".join(theme_titles().values()))
    return found


def theme_ids(names: Iterable[str]) -> list[str]:
    """Theme ids for ids or titles, without repeats, in the order given (one name may be given as text)."""
    if isinstance(names, str):
        names = [names]
    out: list[str] = []
    for name in names:
        tid = theme_id(name)
        if tid not in out:
            out.append(tid)
    return out


def entry_themes(entry: Entry) -> list[str]:
    """The theme ids a perspective or a question is tagged with."""
    return theme_ids(entry.get("themes") or [])


def check(section: InterviewsSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """The team's interviews must be tagged with theme ids that exist in the content."""
    known = theme_titles()
    expected = "one of the theme ids: " + ", ".join(known)
    for i, interview in enumerate(section.interviews):
        for j, tid in enumerate(interview.themes):
            if tid not in known:
                yield ("interviews", i, "themes", j), expected


# ---- Search and filter ----------------------------------------------------------------------
def _haystack(entry: Entry) -> str:
    titles = theme_titles()
    parts = [entry.get(name) or "" for name in ("person", "role", "organisation", "place", "today", "kind")]
    parts += [entry.text, *(titles[t] for t in entry_themes(entry))]
    return " ".join(parts).lower()


def filter_perspectives(text: str = "", themes: Iterable[str] = (), kind: str | None = None, *,
                        area_code: str | None = None) -> list[Entry]:
    """The perspectives that match every word of ``text``, any of ``themes`` and ``kind``.

    ``text`` is searched (ignoring case) in who said it, their role, organisation and place, what
    they said, the "today" note and the theme names. ``themes`` are theme ids or titles; an empty
    selection means every theme. ``kind`` is "barrier", "enabler" or None for both. With
    ``area_code``, perspectives from that area come first; otherwise content order is kept.
    """
    wanted = set(theme_ids(themes))
    if kind not in (None, "", *KINDS):
        raise ValueError(f"kind must be 'barrier', 'enabler' or empty for both, got {kind!r}")
    words = str(text or "").lower().split()
    found = [p for p in perspectives()
             if (not kind or p.get("kind") == kind)
             and (not wanted or wanted & set(entry_themes(p)))
             and all(word in _haystack(p) for word in words)]
    if area_code:
        found.sort(key=lambda p: p.get("area_code") != area_code)  # stable: local first, then content order
    return found


# ---- Reference content ----------------------------------------------------------------------
def _who(entry: Entry) -> str:
    where = entry.get("place") or ""
    parts = [entry.get(name) for name in ("person", "role", "organisation") if entry.get(name)]
    return ", ".join(parts) + (f" ({where})" if where and where not in ", ".join(parts) else "")


def _perspective_rows(entries: list[Entry]) -> list[dict[str, str]]:
    c = content()
    titles = theme_titles()
    return [{"Who": _who(p), "Barrier or enabler": p.get("kind"),
             "Themes": "; ".join(titles[t] for t in entry_themes(p)),
             "Then: what they said (paraphrased)": p.text, "Today": p.get("today"), "Source": c.cite(p)}
            for p in entries]


def render_perspectives(entries: list[Entry], area_code: str | None = None, area_name: str = "") -> display.Html:
    """Perspectives side by side with today's note; those from ``area_code`` first, under their own heading."""
    if not entries:
        return display.notice("No perspectives match: clear the search or choose other themes.")
    local = [p for p in entries if area_code and p.get("area_code") == area_code]
    others = [p for p in entries if p not in local]
    blocks = []
    if local:
        place = area_name or local[0].get("place") or area_code
        blocks.append(display.notice(f"From your area ({place}): {len(local)} perspective(s), shown first."))
        blocks.append(display.table(_perspective_rows(local), f"Perspectives from {place}, then and now"))
    if others:
        caption = "Perspectives from elsewhere, then and now" if local else "Perspectives, then and now"
        blocks.append(display.table(_perspective_rows(others), caption))
    return display.join(blocks)


def _area_name(code: str) -> str:
    from ..areas import find_area

    try:
        return find_area(code).name
    except Exception:  # an unknown code only loses the name in a heading
        return code


def library(plan: Plan) -> display.Html:
    """Every perspective in the library, those from the plan's area first."""
    entries = filter_perspectives(area_code=plan.area_code)
    return render_perspectives(entries, plan.area_code, _area_name(plan.area_code))


def themes_table() -> display.Html:
    """The themes with what each covers and how many library perspectives are barriers or enablers."""
    c = content()
    rows = []
    for t in themes():
        tagged = [p for p in perspectives() if t.id in entry_themes(p)]
        rows.append({"Theme": t.get("title"), "What it covers": t.text,
                     "Barriers in the library": sum(p.get("kind") == "barrier" for p in tagged),
                     "Enablers in the library": sum(p.get("kind") == "enabler" for p in tagged),
                     "Source": c.cite(t)})
    return display.table(rows, "Themes used to tag the perspectives and interviews")


def questions_table() -> display.Html:
    """The suggested interview questions and the themes each is meant to draw out."""
    titles = theme_titles()
    rows = [{"Question": q.text, "Themes": "; ".join(titles[t] for t in entry_themes(q)),
             "Note": q.note or ""} for q in interview_questions()]
    return display.table(rows, "Suggested questions for your own interviews")


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return content().sources_table()


# ---- The team's interviews --------------------------------------------------------------------
def interviews_table(plan: Plan) -> display.Html:
    titles = theme_titles()
    section: InterviewsSection = plan.section(SLUG)
    rows = [{"#": i + 1, "Interviewee": v.interviewee, "Role": v.role, "Sector": SECTOR_LABEL[v.sector],
             "Date": v.interviewed_on.isoformat() if v.interviewed_on else "", "Barrier or enabler": v.kind,
             "Themes": "; ".join(titles.get(t, t) for t in v.themes), "What they said": v.summary}
            for i, v in enumerate(section.interviews)]
    return display.table(rows, "Your team's interviews", empty="No interviews recorded yet.")


def theme_counts(plan: Plan | None = None) -> "pd.DataFrame":
    """One row per theme: barriers and enablers in the library and in the team's interviews."""
    import pandas as pd

    interviews = plan.section(SLUG).interviews if plan is not None else []
    rows = []
    for tid, title in theme_titles().items():
        lib = [p.get("kind") for p in perspectives() if tid in entry_themes(p)]
        own = [v.kind for v in interviews if tid in v.themes]
        row = {"theme_id": tid, "theme": title,
               "library_barriers": lib.count("barrier"), "library_enablers": lib.count("enabler"),
               "team_barriers": own.count("barrier"), "team_enablers": own.count("enabler")}
        row["barriers"] = row["library_barriers"] + row["team_barriers"]
        row["enablers"] = row["library_enablers"] + row["team_enablers"]
        rows.append(row)
    return pd.DataFrame(rows)


def most_common_barrier(plan: Plan | None = None) -> str | None:
    """The theme id with the most barriers (library and interviews together); ties go to content order."""
    frame = theme_counts(plan)
    if frame["barriers"].max() <= 0:
        return None
    return str(frame.loc[frame["barriers"].idxmax(), "theme_id"])


def theme_chart(plan: Plan) -> display.Html:
    """Barriers and enablers by theme, from the library and from the team's interviews."""
    frame = theme_counts(plan)
    has_own = bool(plan.section(SLUG).interviews)
    series = [Series("Library barriers", list(frame["library_barriers"])),
              Series("Library enablers", list(frame["library_enablers"]))]
    if has_own:
        series += [Series("Your barriers", list(frame["team_barriers"])),
                   Series("Your enablers", list(frame["team_enablers"]))]
    top = most_common_barrier(plan)
    if top is None:
        title = "No barriers recorded in any theme"
    else:
        row = frame.set_index("theme_id").loc[top]
        title = (f"Most common barrier theme: {row['theme']} ({row['barriers']} barriers: "
                 f"{row['library_barriers']} in the library, {row['team_barriers']} in your interviews)")
    whose = "the library and your team's interviews" if has_own else "the library (no interviews of your own yet)"
    description = (f"Horizontal bars count, for each of {len(frame)} themes, the perspectives tagged as barriers "
                   f"and as enablers in {whose}. A perspective with several themes counts once in each. "
                   "Each bar is labelled with its series and count.")
    peak = max(1, int(max(max(s.values) for s in series)))
    return bar_chart(list(frame["theme"]), series, title, description, peak, "{:.0f}", "Number of perspectives")


# ---- Workshop ----------------------------------------------------------------------------------
def explore(wb: "Workbook") -> Any:
    """Search and filter the library: widgets in a workshop, the whole library in a batch run."""
    if not wb.interactive:
        return library(wb.plan)
    return _library_widgets(wb)


def exercise(wb: "Workbook") -> Any:
    """Record the team's own interviews: a form in a workshop; in a batch run, how many are saved
    (the notebook shows the list itself with ``wb.view(interviews_table)``)."""
    if not wb.interactive:
        count = len(wb.plan.section(SLUG).interviews)
        return display.paragraph(f"{count} interview(s) recorded; see the list below.")
    return _interview_widgets(wb)


# ---- Plan edits (used by the widgets, the app and tests) --------------------------------------
def add_interview(plan: Plan, interviewee: str, summary: str, kind: str, themes: Iterable[str] = (),
                  role: str = "", sector: Sector | str = Sector.OTHER,
                  interviewed_on: date | None = None) -> None:
    """Add an interview; ``themes`` are theme ids or titles."""
    if not str(interviewee or "").strip():
        raise ValueError("give the interviewee's name or role")
    if not str(summary or "").strip():
        raise ValueError("write a short summary of what the interviewee said")
    if kind not in KINDS:
        raise ValueError(f"choose whether it is a barrier or an enabler, got {kind!r}")
    chosen = [tid for tid in theme_titles() if tid in theme_ids(themes)]  # content order
    if not chosen:
        raise ValueError("choose at least one theme, so the interview counts in the summary")
    plan.section(SLUG).interviews.append(Interview(
        interviewee=interviewee, role=role, sector=Sector(sector), summary=summary, kind=kind,
        themes=chosen, interviewed_on=interviewed_on))


def remove_interview(plan: Plan, index: int) -> None:
    interviews = plan.section(SLUG).interviews
    if not 0 <= index < len(interviews):
        raise ValueError(f"there is no interview number {index + 1}")
    del interviews[index]


def _library_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    area_name = _area_name(wb.area.code)
    search = w.Text(placeholder="e.g. health visitors, birth data, Derbyshire", continuous_update=False,
                    layout=w.Layout(width="420px"))
    labelled(search, "Search")
    theme_box = w.SelectMultiple(options=[(title, tid) for tid, title in theme_titles().items()], rows=6,
                                 layout=w.Layout(width="300px"))
    labelled(theme_box, "Themes (none chosen = all)")
    kind_box = w.ToggleButtons(options=[("Both", ""), ("Barriers", "barrier"), ("Enablers", "enabler")], value="")
    labelled(kind_box, "Show")
    clear = w.Button(description="Clear filters", tooltip="Show every perspective again")
    count = w.HTML()
    results = w.HTML(layout=w.Layout(width="100%"))

    def redraw(_change: Any = None) -> None:
        found = filter_perspectives(search.value, theme_box.value, kind_box.value or None, area_code=wb.area.code)
        count.value = (f'<div role="status" aria-live="polite">{len(found)} of {len(perspectives())} '
                       "perspectives match.</div>")
        results.value = render_perspectives(found, wb.area.code, area_name)._repr_html_()

    def reset(_button: Any) -> None:
        search.value, theme_box.value, kind_box.value = "", (), ""
        redraw()

    for control in (search, theme_box, kind_box):
        control.observe(redraw, names="value")
    clear.on_click(reset)
    redraw()
    return w.VBox([help_text("Type words to search for, pick one or more themes, or show only barriers or "
                             "enablers. The list below changes as you choose. Perspectives from your area "
                             "come first; the Today column says whether each point still holds."),
                   search, w.HBox([theme_box, w.VBox([kind_box, clear])]), count, results])


def _interview_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    who = w.Text(placeholder="a name, or a role such as 'Health visitor, north locality'", continuous_update=False,
                 layout=w.Layout(width="420px"))
    labelled(who, "Interviewee")
    role = w.Text(placeholder="their job", continuous_update=False, layout=w.Layout(width="420px"))
    labelled(role, "Role")
    sector = w.Dropdown(options=[(SECTOR_LABEL[s], s.value) for s in SECTORS], value=Sector.LOCAL_AUTHORITY.value)
    labelled(sector, "Sector")
    summary = w.Textarea(placeholder="What did they say helps or hinders joint working? In your own words.",
                         continuous_update=False, layout=w.Layout(width="100%", height="80px"))
    labelled(summary, "Summary")
    kind = w.ToggleButtons(options=[("Barrier", "barrier"), ("Enabler", "enabler")], value="barrier")
    labelled(kind, "Barrier or enabler")
    theme_box = w.SelectMultiple(options=[(title, tid) for tid, title in theme_titles().items()], rows=6,
                                 layout=w.Layout(width="300px"))
    labelled(theme_box, "Themes")
    when = w.DatePicker()
    labelled(when, "Date of interview")
    add_button = w.Button(description="Add interview", button_style="primary",
                          tooltip="Save this interview to the plan")
    existing = w.Dropdown(layout=w.Layout(width="420px"))
    labelled(existing, "Interview")
    remove_button = w.Button(description="Remove interview", button_style="warning",
                             tooltip="Delete the chosen interview from the plan")

    titles = theme_titles()
    questions = "".join(
        f"<li>{display.esc(q.text)} <em>({display.esc('; '.join(titles[t] for t in entry_themes(q)))})</em></li>"
        for q in interview_questions())
    suggested = w.HTML(f"<details><summary>Suggested questions</summary><ol>{questions}</ol></details>")

    def refresh_existing(chosen: int | None = None) -> None:
        existing.options = [(f"{i + 1}. {v.interviewee} ({v.kind})", i)
                            for i, v in enumerate(wb.plan.section(SLUG).interviews)]
        if existing.options:
            existing.value = min(chosen or 0, len(existing.options) - 1)
        remove_button.disabled = not existing.options

    def add(_button: Any) -> None:
        name = who.value.strip()
        if wb.edit(lambda plan: add_interview(plan, name, summary.value, kind.value, theme_box.value,
                                              role.value, sector.value, when.value), f"the interview with {name}"):
            who.value = role.value = summary.value = ""
            theme_box.value = ()
            when.value = None
            refresh_existing(len(wb.plan.section(SLUG).interviews) - 1)  # the one just added

    def remove(_button: Any) -> None:
        index = existing.value
        if index is None:
            wb.status.value = '<div role="alert">Not removed: there is no interview to remove.</div>'
        elif wb.edit(lambda plan: remove_interview(plan, index), f"removal of interview {index + 1}"):
            refresh_existing(index)

    add_button.on_click(add)
    remove_button.on_click(remove)
    refresh_existing()
    return w.VBox([help_text("Record each interview the team holds, tagged with the same themes as the library. "
                             "An interview is saved when you press Add interview; the summary chart below "
                             "then includes it."),
                   suggested, who, role, sector, summary, kind, theme_box, when, add_button, wb.status,
                   w.HTML("<strong>Remove an interview</strong>"), existing, remove_button])
