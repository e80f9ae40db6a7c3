"""The app's start page (served by the app itself, no kernel): search for an area by name or code,
then open each product for it (``/?area=E06000045``).

The page is ``start.html.j2`` of the ``jointwork`` Voila template, with its styles in
``static/start.css`` (served by Voila at ``/voila/templates/jointwork/static/``); this module only
works out what the page says.
"""

from __future__ import annotations

import os

from markupsafe import Markup

from ..core.areas import Area, all_areas, find_area, search_areas
from ..core.errors import AreaNotFound, PlanError
from ..products import plan_store
from .downloads import downloads
from .kernel import app_products, area_key, plan_problem, product_url, room_url, start_url
from .pages import page_template
from .respond.room import shareable


def _plan_state(area: Area, workspace: str | os.PathLike[str] | None) -> tuple[str, Markup]:
    """The state of the area's plan (``none``, ``sample``, ``saved`` or ``problem``) and, for a
    plan that cannot be read, the problem explained."""
    store = plan_store(workspace)
    try:
        if not store.exists(area.code):
            return "none", Markup()
        return ("sample" if store.load(area.code).illustrative else "saved"), Markup()
    except (PlanError, OSError) as exc:
        return "problem", Markup(plan_problem(area, store.path_for(area.code), exc).markup)


def start_page(query: str | None, workspace: str | os.PathLike[str] | None = None, base: str = "/") -> str:
    """The start page: a search box for the area and, once an area is chosen, a link to each product.

    ``query`` is what was typed (a name, a code or a list label such as "Southampton (E06000045)").
    """
    query = (query or "").strip()[:100]
    page = {
        "base": base,
        "query": query,
        "area": None,
        "matches": [],
        "close_match": False,
        "areas": [f"{a.name} ({a.code})" for a in all_areas()],
        "title": "Choose an area - jointwork",
    }
    if not query:
        return page_template("start.html.j2").render(page)
    try:
        area = find_area(area_key(query))
    except AreaNotFound as exc:
        matches = search_areas(query)[:20]
        if len(matches) != 1:
            labels = [f"{a.name} ({a.code})" for a in matches] or exc.suggestions
            page.update(
                matches=[(label, start_url(area_key(label), base)) for label in labels], close_match=not matches
            )
            return page_template("start.html.j2").render(page)
        area = matches[0]
    state, problem = _plan_state(area, workspace)
    page.update(
        area=area,
        title=f"{area.name} - jointwork",
        state=state,
        problem=problem,
        products=[(p.title, product_url(p, area.code, base), p.number) for p in app_products()],
        plans_dir=str(plan_store(workspace).plans_dir),
        downloads=downloads(area.code, base) if state != "problem" else [],
        session=f"{base}session?area={area.code}",
        presenting={  # the presenter view of each product with results to show (app/presenter.py)
            p.number: f"{base}present?area={area.code}&product={p.number}" for p in app_products() if p.report
        },
        rooms={p.number: room_url(area.code, p, base) for p in shareable()},  # partners answer from phones
    )
    return page_template("start.html.j2").render(page)
