"""The toolkit's "Developing a Children's Centre: when to engage with health?" (product 5): the four stages of
developing a centre (then) or family hub (now), the activities of each stage that need joint
council and health work, and the team's plan for them: dates, owners, a RAG status and who does
what (a RACI table).

The four stages are the project's reconstruction (the Together for Children text was not
found), so every output that shows them says so. Static outputs take a
:class:`~jointwork.plan.Plan` and return HTML, so a notebook shows them with ``wb.view(...)``
both in a workshop and in a batch run.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from .. import display
from ..charts import timeline
from ..content import Entry, ProductContent, load_content
from ..plan import ActivityPlan, Plan, Rag, StagePlanSection

if TYPE_CHECKING:
    from ..workbook import Workbook

SLUG = "when_to_engage"
RACI_LETTERS = ("R", "A", "C", "I")
RACI_MEANING = {
    "R": "Responsible: does the work",
    "A": "Accountable: signs the work off (one person only)",
    "C": "Consulted: asked for views before decisions",
    "I": "Informed: kept up to date",
}
RAG_ORDER = (Rag.RED, Rag.AMBER, Rag.GREEN)
NO_STATUS = "no status"
NO_LETTER = "-"


def content() -> ProductContent:
    return load_content(5)


def stages() -> list[Entry]:
    return sorted(content().group("stages"), key=lambda s: s.get("number"))


def activities(stage_id: str | None = None) -> list[Entry]:
    """The activities of one stage (or of every stage), in content order."""
    return [a for a in content().group("activities") if stage_id is None or a.get("stage") == stage_id]


def raci_roles() -> list[Entry]:
    return content().group("raci_roles")


def activity_titles() -> dict[str, str]:
    return {a.id: a.get("title") for a in activities()}


def stage_of(activity_id: str) -> Entry:
    stage_id = content().entry(activity_id).get("stage")
    return next(s for s in stages() if s.id == stage_id)


def role_label(role: Entry) -> str:
    """A role's title without its bracketed alternative, short enough for a column heading."""
    return role.get("title").split(" (")[0]


def check(section: StagePlanSection) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Planned activities and their RACI entries must name activities and roles that exist."""
    known_activities = activity_titles()
    known_roles = [r.id for r in raci_roles()]
    expected_activity = "one of the activity ids: " + ", ".join(known_activities)
    expected_role = "one of the RACI role ids: " + ", ".join(known_roles)
    for i, item in enumerate(section.activities):
        if item.activity not in known_activities:
            yield ("activities", i, "activity"), expected_activity
        for role_id in item.raci:
            if role_id not in known_roles:
                yield ("activities", i, "raci", role_id), expected_role


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
        "what is reconstructed and what a source confirms.", "warning")


def stages_then_and_now() -> display.Html:
    """The four stages as a children's centre went through them (2007-08) and as a family hub does today."""
    c = content()
    rows = [{"Stage": f"{s.get('number')}. {s.get('title')}",
             "Then: developing a children's centre (2007-08)": s.text,
             "Now: developing a family hub": s.get("now"),
             "Status": "Confirmed" if s.verified else "Reconstructed",
             "Note": s.note or "", "Source": c.cite(s)} for s in stages()]
    return reconstruction_notice() + display.table(rows, "The four stages, then and now")


def activities_reference() -> display.Html:
    """For each stage, its activities: what they involve, whether they need joint work and which health partners."""
    c = content()
    blocks = [display.paragraph("Joint work means the council and health partners must both take part. "
                                "Entries marked [unverified] are the project's reconstruction; the note says why.")]
    for stage in stages():
        rows = [{"Activity": a.get("title"), "What it involves": a.text,
                 "Joint LA and health work": "yes" if a.get("joint") else "no",
                 "Health partners to involve": "; ".join(a.get("health_partners") or []),
                 "Council lead": a.get("la_lead") or "",
                 "Evidence to bring": "; ".join(a.get("evidence") or []),
                 "Note": a.note or "", "Source": c.cite(a)} for a in activities(stage.id)]
        joint = sum(1 for a in activities(stage.id) if a.get("joint"))
        blocks.append(display.heading(f"Stage {stage.get('number')}: {stage.get('title')}", 4))
        blocks.append(display.table(rows, f"Stage {stage.get('number')}: {joint} of {len(rows)} activities "
                                          "need joint council and health work"))
    return display.join(blocks)


def roles_table() -> display.Html:
    """The roles used as columns of the RACI table, and what the four letters mean."""
    c = content()
    rows = [{"Role": r.get("title"), "Sector": r.get("sector") or "", "Usual part": r.text, "Source": c.cite(r)}
            for r in raci_roles()]
    return display.join([display.table(rows, "Roles in the who-does-what (RACI) table"),
                         display.bullet_list([f"{k} = {v}" for k, v in RACI_MEANING.items()])])


def sources() -> display.Html:
    """The sources this product cites, with the data attribution."""
    return content().sources_table()


# ---- Calculations ---------------------------------------------------------------------------
def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def planned(section: StagePlanSection) -> dict[str, ActivityPlan]:
    """The section's entries by activity id, in content order (unknown ids left out)."""
    by_id = {item.activity: item for item in section.activities}
    return {a.id: by_id[a.id] for a in activities() if a.id in by_id}


def raci_problems(item: ActivityPlan) -> list[str]:
    """What is wrong with an activity's RACI: no single accountable person, or no one responsible."""
    letters = list(item.raci.values())
    problems = []
    if letters.count("A") == 0:
        problems.append("no one accountable (A)")
    elif letters.count("A") > 1:
        problems.append(f"{letters.count('A')} people accountable (A): choose one")
    if "R" not in letters:
        problems.append("no one responsible (R)")
    return problems


def stage_counts(section: StagePlanSection) -> list[dict[str, Any]]:
    """Per stage: activities in the content, activities planned, joint ones planned and RAG counts."""
    entries = planned(section)
    rows = []
    for stage in stages():
        items = [(a, entries[a.id]) for a in activities(stage.id) if a.id in entries]
        rags = [item.rag for _a, item in items]
        rows.append({"stage_id": stage.id, "stage": f"{stage.get('number')}. {stage.get('title')}",
                     "activities": len(activities(stage.id)), "planned": len(items),
                     "joint": sum(1 for a, _item in items if a.get("joint")),
                     **{rag.value: rags.count(rag) for rag in RAG_ORDER},
                     NO_STATUS: rags.count(None)})
    return rows


# ---- Static outputs of the plan ---------------------------------------------------------------
def plan_table(plan: Plan) -> display.Html:
    """Every planned activity with its dates, owner and status."""
    section: StagePlanSection = plan.section(SLUG)
    entries = planned(section)
    if not entries:
        blocks = [display.notice("Nothing planned yet: no activity has dates, an owner, a status or roles.")]
    else:
        titles = activity_titles()
        rows = [{"Stage": stage_of(aid).get("number"), "Activity": titles[aid],
                 "Start": item.start.isoformat() if item.start else "no date",
                 "End": item.end.isoformat() if item.end else "no date",
                 "Owner": item.owner or "not yet named", "Status": item.rag.value if item.rag else NO_STATUS}
                for aid, item in entries.items()]
        blocks = [display.table(rows, f"{_count(len(rows), 'activity', 'activities')} planned")]
    if section.notes:
        blocks.append(display.paragraph(f"Notes: {section.notes}"))
    return display.join(blocks)


def stage_summary(plan: Plan) -> display.Html:
    """Per stage: activities planned, the joint ones among them and how many are red, amber or green."""
    counts = stage_counts(plan.section(SLUG))
    if not any(r["planned"] for r in counts):
        return display.notice("Nothing planned yet: the summary fills in as activities are planned.")
    rows = [{"Stage": r["stage"], "Activities": r["activities"], "Planned": r["planned"],
             "Joint (of planned)": r["joint"], "Red": r["red"], "Amber": r["amber"], "Green": r["green"],
             "No status": r[NO_STATUS]} for r in counts]
    red = sum(r["red"] for r in counts)
    total = sum(r["planned"] for r in counts)
    return display.table(rows, f"{_count(total, 'activity', 'activities')} planned across the four stages; "
                               f"{red} at red")


def stage_line(plan: Plan, stage_id: str) -> display.Html:
    """One sentence summing up a stage, shown beside the planning widgets."""
    row = next(r for r in stage_counts(plan.section(SLUG)) if r["stage_id"] == stage_id)
    text = (f"Stage {row['stage']}: {row['planned']} of {row['activities']} activities planned "
            f"({row['joint']} joint); red {row['red']}, amber {row['amber']}, green {row['green']}, "
            f"no status {row[NO_STATUS]}.")
    return display.paragraph(text)


def timeline_chart(plan: Plan) -> display.Html:
    """Activities with start and end dates as bars, the RAG status written beside each bar."""
    entries = planned(plan.section(SLUG))
    if not entries:
        return display.notice("Nothing planned yet: the timeline appears once an activity has a start and end date.")
    titles = activity_titles()
    order = list(titles)
    dated = sorted(((aid, item) for aid, item in entries.items() if item.start and item.end),
                   key=lambda pair: (pair[1].start, pair[1].end, order.index(pair[0])))
    rows = [(f"S{stage_of(aid).get('number')} {titles[aid]}", item.start, item.end,
             item.rag.value if item.rag else NO_STATUS) for aid, item in dated]
    undated = [titles[aid] for aid, item in entries.items() if not (item.start and item.end)]
    if not rows:
        return display.notice("No timeline yet: give an activity both a start and an end date to see it here. "
                              "Planned without both dates: " + "; ".join(undated) + ".")
    first, last = rows[0][1], max(r[2] for r in rows)
    span = f"{first:%B %Y} to {last:%B %Y}"
    red = [r for r in rows if r[3] == Rag.RED.value]
    of_dated = f"of {_count(len(rows), 'dated activity', 'dated activities')} at red; the plan runs from {span}"
    title = f"{len(red)} {of_dated}" if red else f"None {of_dated}"
    description = (f"A bar for each of {_count(len(rows), 'activity', 'activities')}, from its start date to its "
                   "end date, earliest first. "
                   "Each label begins with the stage number (S1 to S4) and each bar has its status "
                   "(red, amber, green or no status) written beside it.")
    blocks = [timeline(rows, title, description)]
    if undated:
        blocks.append(display.paragraph("Planned but not on the timeline (no start or end date yet): "
                                        + "; ".join(undated) + "."))
    return display.join(blocks)


def raci_table(plan: Plan) -> display.Html:
    """Who does what: planned activities by role, with R, A, C or I, and a check of each row."""
    entries = planned(plan.section(SLUG))
    if not entries:
        return display.notice("Nothing planned yet: the who-does-what (RACI) table appears once an activity "
                              "is planned.")
    titles = activity_titles()
    roles = raci_roles()
    rows, flagged = [], []
    for aid, item in entries.items():
        problems = raci_problems(item)
        if problems:
            flagged.append(f"{titles[aid]}: {'; '.join(problems)}")
        rows.append({"Stage": stage_of(aid).get("number"), "Activity": titles[aid],
                     **{role_label(r): item.raci.get(r.id, NO_LETTER) for r in roles},
                     "Check": "; ".join(problems) if problems else "ok"})
    if flagged:
        caption = (f"Who does what: {len(flagged)} of {len(rows)} planned activities to sort out "
                   "(no single accountable person, A, or no one responsible, R)")
    else:
        caption = (f"Who does what: every planned activity ({len(rows)}) has one accountable person (A) and "
                   "someone responsible (R)")
    blocks = [display.table(rows, caption),
              display.paragraph("Key: " + "; ".join(f"{k} = {v}" for k, v in RACI_MEANING.items())
                                + f"; {NO_LETTER} = no part.")]
    if flagged:
        blocks.append(display.heading("Activities to sort out", 4))
        blocks.append(display.bullet_list(flagged))
    return display.join(blocks)


# ---- Plan edits (used by the widgets, the sample plans and tests) -----------------------------
def _known_activity(activity_id: str) -> Entry:
    for a in activities():
        if a.id == activity_id:
            return a
    raise ValueError(f"there is no activity {activity_id!r} in this product's content")


def _update(plan: Plan, activity_id: str, **changes: Any) -> None:
    """Replace an activity's entry with ``changes`` applied, keeping entries in content order.

    An entry left with nothing in it is removed, so "planned" means the team entered something.
    """
    _known_activity(activity_id)
    section: StagePlanSection = plan.section(SLUG)
    current = next((item for item in section.activities if item.activity == activity_id),
                   ActivityPlan(activity=activity_id))
    updated = ActivityPlan.model_validate({**current.model_dump(), **changes, "activity": activity_id})
    others = [item for item in section.activities if item.activity != activity_id]
    if updated != ActivityPlan(activity=activity_id):
        others.append(updated)
    order = list(activity_titles())
    section.activities = sorted(others, key=lambda item: order.index(item.activity) if item.activity in order
                                else len(order))


def _check_dates(activity_id: str, start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValueError(f"the end date ({end.isoformat()}) is before the start date ({start.isoformat()}) "
                         f"for '{_known_activity(activity_id).get('title')}': choose an end on or after the start")


def set_dates(plan: Plan, activity_id: str, start: date | None, end: date | None) -> None:
    """Set both dates of an activity; an end before the start is refused."""
    _check_dates(activity_id, start, end)
    _update(plan, activity_id, start=start, end=end)


def set_start(plan: Plan, activity_id: str, start: date | None) -> None:
    current = planned(plan.section(SLUG)).get(activity_id)
    set_dates(plan, activity_id, start, current.end if current else None)


def set_end(plan: Plan, activity_id: str, end: date | None) -> None:
    current = planned(plan.section(SLUG)).get(activity_id)
    set_dates(plan, activity_id, current.start if current else None, end)


def set_owner(plan: Plan, activity_id: str, owner: str) -> None:
    _update(plan, activity_id, owner=(owner or "").strip())


def set_rag(plan: Plan, activity_id: str, rag: Rag | str | None) -> None:
    """Set the RAG status; ``None``, "" or "no status" clears it."""
    _update(plan, activity_id, rag=None if rag in (None, "", NO_STATUS) else Rag(rag))


def set_raci(plan: Plan, activity_id: str, role_id: str, letter: str | None) -> None:
    """Give a role R, A, C or I for an activity; ``None``, "" or "-" takes the role off it."""
    roles = [r.id for r in raci_roles()]
    if role_id not in roles:
        raise ValueError(f"there is no RACI role {role_id!r}; the roles are {', '.join(roles)}")
    letter = None if letter in (None, "", NO_LETTER) else str(letter).strip().upper()
    if letter is not None and letter not in RACI_LETTERS:
        raise ValueError(f"a RACI letter must be one of R, A, C or I (or - for no part), got {letter!r}")
    current = planned(plan.section(SLUG)).get(activity_id)
    raci = dict(current.raci) if current else {}
    if letter is None:
        raci.pop(role_id, None)
    else:
        raci[role_id] = letter
    _update(plan, activity_id, raci={r: raci[r] for r in roles if r in raci})


def plan_activity(plan: Plan, activity_id: str, start: date | None = None, end: date | None = None,
                  owner: str = "", rag: Rag | str | None = None, raci: dict[str, str] | None = None) -> None:
    """Set everything about one activity at once (replacing what was there)."""
    _check_dates(activity_id, start, end)
    roles = [r.id for r in raci_roles()]
    unknown = [r for r in (raci or {}) if r not in roles]
    if unknown:
        raise ValueError(f"there is no RACI role {unknown[0]!r}; the roles are {', '.join(roles)}")
    _update(plan, activity_id, start=start, end=end, owner=(owner or "").strip(),
            rag=None if rag in (None, "", NO_STATUS) else Rag(rag),
            raci={r: str(raci[r]).upper() for r in roles if raci and r in raci})


def set_notes(plan: Plan, notes: str) -> None:
    plan.section(SLUG).notes = notes or ""


# ---- Workshop -------------------------------------------------------------------------------
def exercise(wb: "Workbook") -> Any:
    """Plan the activities stage by stage: widgets in a workshop, the saved plan in a batch run."""
    if not wb.interactive:
        return plan_table(wb.plan)
    return _planning_widgets(wb)


def _planning_widgets(wb: "Workbook") -> Any:
    import ipywidgets as w

    from ..widgets import help_text, labelled

    c = content()
    roles = raci_roles()
    loading = {"now": False}
    rag_options = [(NO_STATUS, "")] + [(r.value, r.value) for r in RAG_ORDER]

    stage_picker = w.Dropdown(options=[(f"Stage {s.get('number')}: {s.get('title')}", s.id) for s in stages()],
                              layout=w.Layout(width="420px"))
    labelled(stage_picker, "Stage")
    stage_about = w.HTML()
    summary = wb.view(lambda plan: stage_line(plan, stage_picker.value))
    notes_box = w.Textarea(value=wb.plan.section(SLUG).notes, continuous_update=False,
                           placeholder="anything the team wants to remember about the plan",
                           layout=w.Layout(width="100%"))
    labelled(notes_box, "Notes on the plan")

    boxes: dict[str, Any] = {}
    controls: dict[str, dict[str, Any]] = {}

    def saved(activity_id: str) -> ActivityPlan:
        return planned(wb.plan.section(SLUG)).get(activity_id) or ActivityPlan(activity=activity_id)

    def load(activity_id: str) -> None:
        """Show what is saved for an activity (after a refused change, put the saved value back)."""
        item, parts = saved(activity_id), controls[activity_id]
        loading["now"] = True
        try:
            parts["start"].value = item.start
            parts["end"].value = item.end
            parts["owner"].value = item.owner
            parts["rag"].value = item.rag.value if item.rag else ""
            for role in roles:
                parts["raci"][role.id].value = item.raci.get(role.id, NO_LETTER)
        finally:
            loading["now"] = False

    def save(activity_id: str, change: Any, what: str) -> None:
        if loading["now"]:
            return
        if not wb.edit(change, f"{what} of '{c.entry(activity_id).get('title')}'"):
            load(activity_id)

    def build(activity: Entry) -> Any:
        """The controls for one activity, built when its stage is first shown."""
        aid = activity.id
        start = w.DatePicker()
        labelled(start, "Start")
        end = w.DatePicker()
        labelled(end, "End")
        owner = w.Text(placeholder="who will make it happen", continuous_update=False, layout=w.Layout(width="320px"))
        labelled(owner, "Owner")
        rag = w.Dropdown(options=rag_options, layout=w.Layout(width="220px"))
        labelled(rag, "RAG status")
        raci = {}
        for role in roles:
            box = w.Dropdown(options=[NO_LETTER, *RACI_LETTERS], layout=w.Layout(width="300px"))
            labelled(box, role_label(role))
            box.tooltip = f"{role.get('title')}: R, A, C or I for '{activity.get('title')}' (- for no part)"
            raci[role.id] = box
        controls[aid] = {"start": start, "end": end, "owner": owner, "rag": rag, "raci": raci}
        load(aid)

        start.observe(lambda ch, a=aid: save(a, lambda plan: set_start(plan, a, ch["new"]), "the start date"),
                      names="value")
        end.observe(lambda ch, a=aid: save(a, lambda plan: set_end(plan, a, ch["new"]), "the end date"),
                    names="value")
        owner.observe(lambda ch, a=aid: save(a, lambda plan: set_owner(plan, a, ch["new"]), "the owner"),
                      names="value")
        rag.observe(lambda ch, a=aid: save(a, lambda plan: set_rag(plan, a, ch["new"]), "the RAG status"),
                    names="value")
        for role in roles:
            raci[role.id].observe(lambda ch, a=aid, r=role.id: save(a, lambda plan: set_raci(plan, a, r, ch["new"]),
                                                                    f"the {role_label(c.entry(r))} role"),
                                  names="value")

        partners = "; ".join(activity.get("health_partners") or [])
        joint = "Joint council and health work" if activity.get("joint") else "Council or health alone"
        header = w.HTML(f"<strong>{display.esc(activity.get('title'))}</strong><br>"
                        f"{display.esc(activity.text)}<br><em>{display.esc(joint)}. Health partners to involve: "
                        f"{display.esc(partners)}.</em>")
        return w.VBox([header, w.HBox([start, end]), w.HBox([owner, rag]),
                       w.HTML("<strong>Who does what (RACI)</strong>"),
                       w.HBox(list(raci.values()), layout=w.Layout(flex_flow="row wrap"))],
                      layout=w.Layout(border="1px solid #ccc", padding="6px", margin="4px 0"))

    stage_activities = w.VBox()

    def show_stage(stage_id: str) -> None:
        stage = next(s for s in stages() if s.id == stage_id)
        status = ("Reconstructed: " if not stage.verified else "") + (stage.note or "")
        stage_about.value = (f"<p><strong>Then (children's centre):</strong> {display.esc(stage.text)}</p>"
                             f"<p><strong>Now (family hub):</strong> {display.esc(stage.get('now'))}</p>"
                             f"<p><em>{display.esc(status)}</em></p>")
        for activity in activities(stage_id):
            if activity.id not in boxes:
                boxes[activity.id] = build(activity)
        stage_activities.children = [boxes[a.id] for a in activities(stage_id)]
        wb.refresh()

    def on_notes(change: dict[str, Any]) -> None:
        if loading["now"] or wb.edit(lambda plan: set_notes(plan, change["new"]), "the notes"):
            return
        loading["now"] = True  # show the saved notes again without saving them a second time
        try:
            notes_box.value = wb.plan.section(SLUG).notes
        finally:
            loading["now"] = False

    stage_picker.observe(lambda change: show_stage(change["new"]), names="value")
    notes_box.observe(on_notes, names="value")
    show_stage(stage_picker.value)
    return w.VBox([help_text("Pick a stage, then for each activity choose start and end dates, name an owner, "
                             "set a RAG status (red: at risk; amber: some problems; green: on track) and say "
                             "which role is R (responsible), A (accountable: one only), C (consulted) or "
                             "I (informed). Every change is saved as soon as it is made."),
                   stage_picker, stage_about, summary, wb.status, stage_activities, notes_box])
