"""Facilitator mode, inside a kernel that the app (``jointwork app``, :mod:`jointwork.app.server`) started.

The app starts its kernels with ``JOINTWORK_SESSION=app``, so :func:`jointwork.open_workbook` hands
over to :func:`open_app_workbook`, which waits for the page's request (:func:`wait_for_request`,
for a kernel started before anyone asked), takes ``area`` from the query string (falling back to
the notebook's ``area_code`` parameter) and puts the navigation bar at the top of ``wb.header()``.
A bad area or a plan that cannot be read is shown as a plain-English message (:func:`stop`), not a
traceback. The notebooks' own "how to use it" text comes from ``Workbook.header()`` for the
``app`` surface.

The page helpers and styles are files of the ``jointwork`` Voila template
(``share/jupyter/voila/templates/jointwork/static/``), loaded by every page; the markup made here
only names what they act on (``jw-nav``, ``jw-problem``, ``data-jw-title``). This module never
imports Voila or the server, so a workshop kernel stays light.
"""

from __future__ import annotations

import inspect
import json
import os
import re
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import parse_qs, quote, urlencode

from ..core.areas import Area, all_areas, find_area
from ..core.errors import AreaNotFound, JointworkError, PlanError
from ..core.paths import notebooks_dir
from ..core.product import Product
from ..products import PRODUCTS, plan_store
from ..render import display

if TYPE_CHECKING:
    from ..workshop.workbook import Workbook

APP_ENV = "JOINTWORK_APP"
NOTEBOOK_ENV = "JOINTWORK_NOTEBOOK"  # given to a preheated kernel: the notebook it is kept ready for
DEFAULT_PORT = 8866
HOST = "127.0.0.1"
PROBLEM_TITLE = "Problem - jointwork"
_CODE_IN_LABEL = re.compile(r"\(([A-Z]\d{8})\)\s*$")


class AppStop(Exception):
    """Raised in app mode after a plain-English message has been shown: the page stops there."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [str(self)]


# ---- The request ---------------------------------------------------------------------------------
def in_app() -> bool:
    """Whether this kernel was started by ``jointwork app`` (Voila sets VOILA_PREHEAT in every kernel)."""
    return os.environ.get(APP_ENV) == "1" and os.environ.get("VOILA_PREHEAT") in {"True", "False"}


def warm_up() -> None:
    """Read what a product page needs, so that a preheated kernel has done it before anyone asks:
    the libraries, the areas and every product's content (loading a plan checks it against all of it)."""
    import ipywidgets  # noqa: F401
    import pandas

    from ..core.content import load_content

    pandas.DataFrame([{"a": 1.0, "b": None}]).dropna().sort_values("a").to_dict("records")
    all_areas()
    for product in PRODUCTS:
        load_content(product.slug)


def wait_for_request() -> None:
    """In a preheated kernel, wait until a browser asks for the page: Voila then sends the request's
    QUERY_STRING and SCRIPT_NAME, which go into ``os.environ``. (A kernel started for a request
    already has them.) This is :func:`voila.utils.wait_for_request` without its imports, which take
    seconds (JupyterLab's server); the same address and message."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    warm_up()
    from websockets.sync.client import connect

    server = os.environ.get("VOILA_SERVER_URL", "/")
    url = (
        f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{os.environ.get('VOILA_APP_IP', HOST)}:"
        f"{os.environ.get('VOILA_APP_PORT', DEFAULT_PORT)}{os.environ.get('VOILA_WS_BASE_URL', server)}"
        f"voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}"
    )
    options: dict[str, Any] = {"open_timeout": 30, "ping_interval": None, "max_size": 2**20}
    if "proxy" in inspect.signature(connect).parameters:
        options["proxy"] = None  # straight to 127.0.0.1, whatever proxy the environment names
    failures = 0
    while True:  # Voila keeps the details for a kernel that is not listening yet, so reconnecting is safe
        try:
            with connect(url, **options) as channel:
                info = json.loads(channel.recv())
            break
        except Exception as exc:  # refused, closed or garbled: try again, then give up and say so
            failures += 1
            if failures >= 10:
                print(
                    f"jointwork app: no request details from {url} ({exc!r}); using the notebook's parameters",
                    file=sys.stderr,
                )
                return
            time.sleep(1.0)
    for key, value in info.items():
        os.environ[str(key)] = str(value)


def query_area(query_string: str | None = None) -> str:
    """The ``area`` asked for in the page's query string (``?area=E06000045``), or ``""``."""
    text = os.environ.get("QUERY_STRING", "") if query_string is None else query_string
    values = parse_qs(text).get("area") or [""]
    return values[0].strip()[:100]


def area_key(text: str) -> str:
    """What to look an area up by: the code in ``"Southampton (E06000045)"``, else the text itself."""
    match = _CODE_IN_LABEL.search(text)
    return match.group(1) if match else text.strip()


def current_product(script_name: str | None = None) -> Product | None:
    """The product whose notebook this page shows (from the request path Voila gives the kernel)."""
    path = (os.environ.get("SCRIPT_NAME") or os.environ.get(NOTEBOOK_ENV, "")) if script_name is None else script_name
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return next((p for p in PRODUCTS if p.notebook == name), None)


def base_url(environ: Mapping[str, str] | None = None) -> str:
    """The app's base URL as Voila gives it to the kernel, ending in ``/``."""
    value = (os.environ if environ is None else environ).get("VOILA_BASE_URL") or "/"
    return value if value.endswith("/") else value + "/"


# ---- Links between the pages --------------------------------------------------------------------
def start_url(area_code: str | None = None, base: str = "/") -> str:
    """The start page, with the area chosen if given."""
    return base + (("?" + urlencode({"area": area_code})) if area_code else "")


def product_url(product: Product, area_code: str, base: str = "/") -> str:
    """A product's page for an area."""
    return f"{base}voila/render/{quote(product.notebook)}?{urlencode({'area': area_code})}"


ROOM_PATH = "room"  # the room page of a product partners answer from their phones (app/respond/room.py)


def room_url(area_code: str, product: Product, base: str = "/") -> str:
    """The room page of a product for an area: open a round to the phones in the room."""
    return f"{base}{ROOM_PATH}?{urlencode({'area': area_code, 'product': product.number})}"


def app_products() -> list[Product]:
    """The products the app shows: those whose notebook exists."""
    folder = notebooks_dir()
    return [p for p in PRODUCTS if (folder / p.notebook).is_file()]


def short_title(product: Product) -> str:
    """A product's number and the first part of its title, e.g. ``3. Successful joint working needs...``."""
    return f"{product.number}. {product.title.split(':')[0].strip()}"


def nav_bar(product: Product | None, area: Area | None, base: str = "/", title: str = "") -> display.Html:
    """Links to all products for the area, the previous and next product, and another area.
    ``title`` (if given) becomes the page's title (the page helpers read ``data-jw-title``)."""
    links: list[tuple[str, str, str]] = []
    if area is not None:
        links.append((start_url(area.code, base), f"All products for {area.name}", ""))
        products = app_products()
        if product in products:
            i = products.index(product)
            if i > 0:
                links.append(
                    (product_url(products[i - 1], area.code, base), f"Previous: {short_title(products[i - 1])}", "prev")
                )
            if i + 1 < len(products):
                links.append(
                    (product_url(products[i + 1], area.code, base), f"Next: {short_title(products[i + 1])}", "next")
                )
        if product is not None and product.questionnaire is not None:
            links.append((room_url(area.code, product, base), "Answer from phones", ""))
    links.append((start_url(None, base), "Choose another area", ""))
    items = "".join(
        f'<li><a href="{display.esc(href)}"' + (f' rel="{rel}"' if rel else "") + f">{display.esc(text)}</a></li>"
        for href, text, rel in links
    )
    titled = f' data-jw-title="{display.esc(title)}"' if title else ""
    return display.Html(
        f'<nav class="jw-nav" aria-label="Products"{titled}><ul>{items}</ul></nav>',
        " | ".join(text for _, text, _ in links),
    )


def page_top(product: Product | None, area: Area, base: str = "/") -> display.Html:
    """What the app adds at the top of ``wb.header()``: the navigation bar, naming the page."""
    title = f"{short_title(product)} - {area.name} - jointwork" if product else f"{area.name} - jointwork"
    return nav_bar(product, area, base, title=title)


# ---- Plain-English problems ---------------------------------------------------------------------
def problem(heading: str, what: str, what_to_do: str, file: str | Path | None = None, extra: str = "") -> display.Html:
    """A problem explained in words: what is wrong, the file if there is one, and what to do."""
    parts = [f"<h2>{display.esc(heading)}</h2>", f"<p><strong>What is wrong:</strong> {display.esc(what)}</p>"]
    if file is not None:
        parts.append(f"<p><strong>The file:</strong> <code>{display.esc(file)}</code></p>")
    parts.append(f"<p><strong>What to do:</strong> {display.esc(what_to_do)}</p>")
    text = "\n".join(
        [heading, f"What is wrong: {what}"]
        + ([f"The file: {file}"] if file is not None else [])
        + [f"What to do: {what_to_do}"]
    )
    return display.Html(f'<div class="jw-problem" role="alert">{"".join(parts)}{extra}</div>', text)


def area_problem(query: str, suggestions: list[str], base: str = "/") -> display.Html:
    """No area matches what was asked for."""
    links = ""
    if suggestions:
        items = "".join(
            f'<li><a href="{display.esc(start_url(area_key(s), base))}">{display.esc(s)}</a></li>' for s in suggestions
        )
        links = f"<p>Did you mean:</p><ul>{items}</ul>"
    asked = f"'{query}'" if query else "no area"
    return problem(
        "We could not find that area",
        f"there is no English upper-tier local authority matching {asked}.",
        "go back to the start page and search for your area by its name (for example Southampton) "
        "or its code (for example E06000045), then choose it from the list.",
        extra=links,
    )


def plan_problem(area: Area, path: Path, exc: Exception) -> display.Html:
    """The area's saved plan cannot be read (it does not validate, or the file cannot be opened)."""
    if isinstance(exc, PlanError):
        what = f"the saved plan for {area.name} does not pass its checks. {exc}"
        todo = (
            "nothing has been changed and nothing will be saved until the file is put right. Ask whoever "
            "looks after your team's plans to correct the line named above, or to bring back an earlier "
            f"version (jointwork history {area.code}, then jointwork restore {area.code} NUMBER). "
            "Then reload this page. Other areas and products still work."
        )
    else:
        reason = getattr(exc, "strerror", None) or str(exc)
        what = f"the saved plan for {area.name} could not be opened ({reason})."
        todo = (
            "check that the workspace folder is still there (for example that a shared drive is connected) "
            "and that you are allowed to read it, then reload this page."
        )
    return problem(f"The plan for {area.name} cannot be opened", what, todo, file=path)


def stop(message: display.Html) -> NoReturn:
    """Show ``message`` and stop the page there. (The page's styles hide the error Voila adds for
    the stopped cell on a page with a ``jw-problem`` on it.)"""
    from IPython.display import HTML
    from IPython.display import display as show

    show(HTML(f'<div data-jw-title="{PROBLEM_TITLE}">{message.markup}</div>'))
    raise AppStop(message.text)


# ---- The workbook -------------------------------------------------------------------------------
def open_app_workbook(
    area_code: str, workspace: str | os.PathLike[str] | None = None, interactive: bool = True
) -> Workbook:
    """:func:`jointwork.open_workbook` under the app: the area from the URL, always interactive,
    a navigation bar in the header, and plain-English messages instead of errors. Outside a kernel
    that Voila started (the variable inherited by some other program), an ordinary workbook."""
    from ..workshop.workbook import Workbook

    if not in_app():
        return Workbook(find_area(area_code), plan_store(workspace), interactive=interactive)
    wait_for_request()
    base = base_url()
    product = current_product()
    asked = query_area() or str(area_code)
    try:
        area = find_area(area_key(asked))
    except AreaNotFound as exc:
        stop(nav_bar(product, None, base) + area_problem(asked, exc.suggestions, base))
    store = plan_store(workspace)
    try:
        wb = Workbook(area, store, interactive=True, surface="app")
    except (PlanError, OSError) as exc:
        stop(nav_bar(product, area, base) + plan_problem(area, store.path_for(area.code), exc))
    except JointworkError as exc:
        stop(
            nav_bar(product, area, base)
            + problem("This page cannot be shown", str(exc), "go back to the start page and try again.")
        )
    wb.page_top = page_top(product, area, base)
    return wb
