"""Product 7's views: the library of perspectives, the themes and questions, the team's interviews and
the thematic summary.

Every function returns :class:`~jointwork.render.display.Html`; those that take a plan are shown
with ``wb.view(...)``, so a workshop sees them re-drawn after each saved change. Perspectives are
paraphrased and attributed: nothing is a direct quotation.
"""

from __future__ import annotations

from ...core.content import Entry
from ...core.plan import PlanBase as Plan
from ...render import display
from ...render.charts import Series, bar_chart
from .calculations import filter_perspectives, most_common_barrier, theme_counts
from .content import content, entry_themes, interview_questions, perspectives, theme_titles, themes
from .edits import section as section_of


def _who(entry: Entry) -> str:
    where = entry.get("place") or ""
    parts = [entry.get(name) for name in ("person", "role", "organisation") if entry.get(name)]
    return ", ".join(parts) + (f" ({where})" if where and where not in ", ".join(parts) else "")


def _perspective_rows(entries: list[Entry]) -> list[dict[str, str]]:
    c = content()
    titles = theme_titles()
    return [
        {
            "Who": _who(p),
            "Barrier or enabler": p.get("kind"),
            "Themes": "; ".join(titles[t] for t in entry_themes(p)),
            "Then: what they said (paraphrased)": p.text,
            "Today": p.get("today"),
            "Source": c.cite(p),
        }
        for p in entries
    ]


def place_name(code: str) -> str:
    """The name of the area with GSS ``code`` (the code itself if it is not an area)."""
    from ...core.areas import find_area
    from ...core.errors import AreaNotFound

    try:
        return find_area(code).name
    except AreaNotFound:  # an unknown code only loses the name in a heading
        return code


# ---- Reference content ----------------------------------------------------------------------
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


def library(plan: Plan) -> display.Html:
    """Every perspective in the library, those from the plan's area first."""
    entries = filter_perspectives(area_code=plan.area_code)
    return render_perspectives(entries, plan.area_code, place_name(plan.area_code))


def themes_table() -> display.Html:
    """The themes with what each covers and how many library perspectives are barriers or enablers."""
    c = content()
    rows = []
    for t in themes():
        tagged = [p for p in perspectives() if t.id in entry_themes(p)]
        rows.append(
            {
                "Theme": t.get("title"),
                "What it covers": t.text,
                "Barriers in the library": sum(p.get("kind") == "barrier" for p in tagged),
                "Enablers in the library": sum(p.get("kind") == "enabler" for p in tagged),
                "Source": c.cite(t),
            }
        )
    return display.table(rows, "Themes used to tag the perspectives and interviews")


def questions_table() -> display.Html:
    """The suggested interview questions and the themes each is meant to draw out."""
    titles = theme_titles()
    rows = [
        {"Question": q.text, "Themes": "; ".join(titles[t] for t in entry_themes(q)), "Note": q.note or ""}
        for q in interview_questions()
    ]
    return display.table(rows, "Suggested questions for your own interviews")


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return display.sources_table(content())


# ---- The team's interviews --------------------------------------------------------------------
def interviews_table(plan: Plan) -> display.Html:
    """The team's own interviews, numbered, with their tags and what each person said."""
    titles = theme_titles()
    rows = [
        {
            "#": i + 1,
            "Interviewee": v.interviewee,
            "Role": v.role,
            "Sector": v.sector.label,
            "Date": v.interviewed_on.isoformat() if v.interviewed_on else "",
            "Barrier or enabler": v.kind,
            "Themes": "; ".join(titles.get(t, t) for t in v.themes),
            "What they said": v.summary,
        }
        for i, v in enumerate(section_of(plan).interviews)
    ]
    return display.table(rows, "Your team's interviews", empty="No interviews recorded yet.")


def theme_chart(plan: Plan) -> display.Html:
    """Barriers and enablers by theme, from the library and from the team's interviews."""
    section = section_of(plan)
    frame = theme_counts(section)
    has_own = bool(section.interviews)
    series = [
        Series("Library barriers", list(frame["library_barriers"])),
        Series("Library enablers", list(frame["library_enablers"])),
    ]
    if has_own:
        series += [
            Series("Your barriers", list(frame["team_barriers"])),
            Series("Your enablers", list(frame["team_enablers"])),
        ]
    top = most_common_barrier(section)
    if top is None:
        title = "No barriers recorded in any theme"
    else:
        row = frame.set_index("theme_id").loc[top]
        title = (
            f"Most common barrier theme: {row['theme']} ({row['barriers']} barriers: "
            f"{row['library_barriers']} in the library, {row['team_barriers']} in your interviews)"
        )
    whose = "the library and your team's interviews" if has_own else "the library (no interviews of your own yet)"
    description = (
        f"Horizontal bars count, for each of {len(frame)} themes, the perspectives tagged as barriers "
        f"and as enablers in {whose}. A perspective with several themes counts once in each. "
        "Each bar is labelled with its series and count."
    )
    peak = max(1, int(max(max(s.values) for s in series)))
    return bar_chart(list(frame["theme"]), series, title, description, peak, "{:.0f}", "Number of perspectives")
