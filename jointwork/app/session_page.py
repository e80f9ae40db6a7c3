"""The app's session plan page (served by the app itself, no kernel): ``/session?area=E06000045``.

The facilitator picks a length and the page shows the proposal of :func:`jointwork.core.sessions.propose`
for the area; the minutes, the order and the items can be changed, and every change is saved to the
area's plan through the store (its ``session``). A timer for the part being run is kept by the page's
script (``static/session.js``, no network); the form works without it.

The page is ``session.html.j2`` of the ``jointwork`` Voila template; this module works out what it
says and applies what was posted (:func:`apply_form`), each refusal given in words.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from ..core import sessions
from ..core.areas import Area, find_area
from ..core.errors import AreaNotFound, JointworkError, PlanError
from ..core.plan import PlanBase
from ..core.responses import AreaResponses, ResponseStore, answers_of
from ..products import PRODUCTS, plan_store
from .kernel import app_products, area_key, plan_problem, product_url, start_url
from .pages import page_template

SESSION_PATH = "session"  # under the app's base URL


def session_url(area_code: str, base: str = "/") -> str:
    """The session plan page of an area."""
    return f"{base}{SESSION_PATH}?area={area_code}"


@dataclass(frozen=True)
class Outcome:
    """What a posted change did: a message, and whether it was saved."""

    message: str
    saved: bool


def _started(plan: PlanBase, responses: AreaResponses | None = None) -> list[str]:
    """The products the team has started: an entry in the plan, or an answer in a product's current round."""
    return [
        p.slug
        for p in type(plan).products
        if plan.is_started(p.slug) or (p.questionnaire is not None and bool(answers_of(responses, p.slug)))
    ]


def _whole_number(value: str, what: str) -> int | None:
    text = (value or "").strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(f"{what}: a whole number of minutes, got {text[:20]!r}")
    return int(text)


def apply_form(area: Area, form: Mapping[str, str], workspace: str | os.PathLike[str] | None = None) -> Outcome:
    """Apply one posted change to the area's session plan and save it. ``form["do"]`` says which:
    ``propose`` (with ``length``), ``save`` (every ``minutes-M-I``), ``up:M:I``, ``down:M:I``,
    ``remove:M:I``, ``own:M`` (with ``own-title-M`` and ``own-minutes-M``) or ``product:M`` (with
    ``product-M``, a slug). A refusal is an :class:`Outcome` with the reason; nothing is saved then."""
    store = plan_store(workspace)
    action = form.get("do", "")
    what: list[str] = []

    def change(plan: PlanBase) -> None:
        current = plan.session
        if action == "propose":
            if form.get("length", "") not in {x.value for x in sessions.SessionLength}:
                choices = ", ".join(x.value for x in sessions.SessionLength)
                raise ValueError(f"choose how long the session is ({choices})")
            responses = ResponseStore(workspace).area(area.code)
            proposal = sessions.propose(form.get("length", ""), type(plan).products, _started(plan, responses))
            plan.session = proposal.plan
            what.append(f"a new plan for {proposal.plan.length.value}")
            return
        if current is None:
            raise ValueError("there is no session plan yet: choose a length and press 'Propose a plan' first")
        current = _typed(current, form)  # what was typed is kept whichever button was pressed
        kind, _, where = action.partition(":")
        numbers = [int(n) for n in where.split(":") if n.isdigit()]
        if kind == "save":
            plan.session = current
            what.append("the minutes")
        elif kind in {"up", "down"} and len(numbers) == 2:
            plan.session = sessions.move(current, numbers[0], numbers[1], -1 if kind == "up" else 1)
            what.append("the new order")
        elif kind == "remove" and len(numbers) == 2:
            title = current.meetings[numbers[0]].items[numbers[1]].title if _exists(current, *numbers) else ""
            plan.session = sessions.remove(current, numbers[0], numbers[1])
            what.append(f"the plan without '{title}'")
        elif kind == "own" and len(numbers) == 1:
            m = numbers[0]
            if not form.get(f"own-title-{m}", "").strip():
                sessions.add_own(current, m, "", None)  # refused, in words
            plan.session = current
            what.append(f"'{current.meetings[m].items[-1].title}'")
        elif kind == "product" and len(numbers) == 1:
            slug = form.get(f"product-{numbers[0]}", "")
            product = next((p for p in type(plan).products if p.slug == slug), None)
            if product is None:
                raise ValueError("choose a product to add from the list")
            plan.session = sessions.add_product(current, numbers[0], product)
            what.append(f"{product.short_title}")
        else:
            raise ValueError("that button is not one this page knows: reload the page and try again")

    try:
        store.update(area.code, change)
    except ValueError as exc:
        return Outcome(f"Not saved: {exc}.", saved=False)
    except (PlanError, JointworkError, OSError) as exc:
        return Outcome(f"Not saved: {exc}", saved=False)
    return Outcome(f"Saved {what[0] if what else 'the plan'} to {store.path_for(area.code).name}.", saved=True)


def _typed(session: sessions.SessionPlan, form: Mapping[str, str]) -> sessions.SessionPlan:
    """``session`` with the minutes typed into the form and any own item typed (its title and minutes)."""
    updated = session
    for m, meeting in enumerate(session.meetings):
        for i, item in enumerate(meeting.items):
            key = f"minutes-{m}-{i}"
            if key in form:
                minutes = _whole_number(form[key], f"{item.title} ({meeting.title})")
                if minutes != item.minutes:
                    updated = sessions.set_minutes(updated, m, i, minutes)
    for m in range(len(session.meetings)):
        title = form.get(f"own-title-{m}", "").strip()
        if title:
            minutes = _whole_number(form.get(f"own-minutes-{m}", ""), f"the minutes of '{title[:40]}'")
            updated = sessions.add_own(updated, m, title, minutes)
    return updated


def _exists(session: sessions.SessionPlan, m: int, i: int) -> bool:
    return 0 <= m < len(session.meetings) and 0 <= i < len(session.meetings[m].items)


def _rows(session: sessions.SessionPlan, area: Area, base: str) -> list[dict[str, Any]]:
    by_slug = {p.slug: p for p in PRODUCTS}
    shown = {p.slug for p in app_products()}
    meetings = []
    for meeting in session.meetings:
        items = []
        for slot in sessions.timeline(meeting):
            item = slot.item
            product = by_slug.get(item.product)
            items.append(
                {
                    "title": item.title,
                    "product": product.short_title if product else "",
                    "href": product_url(product, area.code, base) if product and product.slug in shown else "",
                    "minutes": item.minutes,
                    "start": sessions.minutes_text(slot.start) if slot.start else "at the start",
                    "untimed": item.minutes is None,
                }
            )
        planned = [p for p in PRODUCTS if p.slug not in session.products()]
        meetings.append(
            {
                "title": meeting.title,
                "fit": sessions.fit(meeting, session.length),
                "over": meeting.planned_minutes > session.length.minutes_each,
                "items": items,
                "addable": [(p.slug, p.short_title) for p in planned],
            }
        )
    return meetings


def session_page(
    query: str | None,
    workspace: str | os.PathLike[str] | None = None,
    base: str = "/",
    *,
    xsrf: Markup | str = "",
    outcome: Outcome | None = None,
    typed: Mapping[str, str] | None = None,
) -> str:
    """The session plan page for the area asked for (``query``: a code, a name or a list label).
    ``typed`` is what a refused form held: it is shown again, so nothing typed is lost."""
    page: dict[str, Any] = {
        "base": base,
        "title": "Session plan - jointwork",
        "xsrf": Markup(xsrf),
        "outcome": outcome,
        "lengths": [(x.value, x.describe()) for x in sessions.SessionLength],
        "area": None,
        "problem": Markup(),
        "back": start_url(None, base),
        "typed": dict(typed or {}) if outcome is not None and not outcome.saved else {},
    }
    try:
        area = find_area(area_key((query or "").strip()[:100]))
    except AreaNotFound:
        page["problem"] = Markup(
            "<p><strong>What is wrong:</strong> there is no English upper-tier local authority matching "
            f"{Markup.escape(repr((query or '').strip()[:100]))}.</p><p><strong>What to do:</strong> "
            "go back to the start page and choose the area first.</p>"
        )
        return page_template("session.html.j2").render(page)
    page.update(area=area, back=start_url(area.code, base), title=f"Session plan - {area.name} - jointwork")
    store = plan_store(workspace)
    try:
        plan = store.load_or_new(area.code)
    except (PlanError, OSError) as exc:
        page["problem"] = Markup(plan_problem(area, store.path_for(area.code), exc).markup)
        return page_template("session.html.j2").render(page)
    session = plan.session
    page.update(
        session=session,
        length=session.length.value if session else "",
        meetings=_rows(session, area, base) if session else [],
        reasons=_reasons(session, plan) if session else [],
        action=session_url(area.code, base),
    )
    return page_template("session.html.j2").render(page)


def _reasons(session: sessions.SessionPlan, plan: PlanBase) -> list[str]:
    """What the page says about the saved plan: the products not in it, and items without minutes."""
    left = [p.short_title for p in type(plan).products if p.slug not in session.products()]
    notes = []
    untimed = [item.title for meeting in session.meetings for item in meeting.untimed]
    if untimed:
        notes.append("No duration is given for: " + "; ".join(untimed) + ". Set the minutes yourself.")
    if left:
        notes.append("Not in this plan: " + ", ".join(left) + ".")
    return notes
