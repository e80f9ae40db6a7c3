"""Facilitator mode: the product notebooks served as a code-free app (Voila, on 127.0.0.1 only).

``jointwork app`` (:func:`serve`) starts Voila on the notebooks folder with:

- a start page (served by the app itself, no kernel) to search for an area by name or code and
  open each product for it: ``/?area=E06000045``;
- product pages at ``/voila/render/03_successful_joint_working.ipynb?area=E06000045``, code
  hidden, tracebacks never sent to the browser, and one pre-started ("preheated") kernel per
  product that has already imported the library and read the content before anyone asks;
- the environment variable ``JOINTWORK_APP=1`` for its kernels. :func:`jointwork.open_workbook`
  sees it and calls :func:`open_app_workbook`, which waits for the request (Voila's
  ``wait_for_request``), takes ``area`` from the query string (falling back to the notebook's
  ``area_code`` parameter) and adds a navigation bar and the page helpers to ``wb.header()``.
  A bad area or a plan that cannot be read is shown as a plain-English message, not a traceback.

The same notebooks still run unchanged in JupyterLab and in batch runs (no ``JOINTWORK_APP``).

The page helpers (:data:`PAGE_SCRIPT`) make the widgets dependable in a workshop: a text box sends
what was typed after a short pause and before the page is left or reloaded (so a reload loses
nothing), accordion headings work with the keyboard, radio groups and the "saved" status are
announced by screen readers, and an unexpected error is shown in words.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import sys
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn
from urllib.parse import parse_qs, quote, urlencode

from . import display
from .areas import Area, all_areas, find_area, search_areas
from .errors import AreaNotFound, JointworkError, PlanError
from .paths import WORKSPACE_ENV, notebooks_dir, resolve_workspace
from .products import Product, available_products
from .store import PlanStore

if TYPE_CHECKING:
    from .workbook import Workbook

APP_ENV = "JOINTWORK_APP"
NOTEBOOK_ENV = "JOINTWORK_NOTEBOOK"  # given to a preheated kernel: the notebook it is kept ready for
DEFAULT_PORT = 8866
HOST = "127.0.0.1"
PAUSE_MS = 700  # a text box sends what was typed after this pause in typing...
SPACE_PAUSE_MS = 2500  # ...or this one when the text ends in a space (the plan trims it; no need to hurry)
SHUTDOWN_GRACE_S = 5.0  # a left page's kernel stops this long after the page asks (see LateShutdown)
SETTLE_LIMIT_S = 3.0  # a page waits at most this long for the kernels of pages just left to finish saving
TYPED_ARRIVAL_S = 0.3  # time allowed for text sent as a page was left to reach its kernel
_CODE_IN_LABEL = re.compile(r"\(([A-Z]\d{8})\)\s*$")

UNEXPECTED = ("Something went wrong while showing this part of the page, so the page stops here. "
              "Reload the page to try again. If it happens again, tell whoever runs jointwork for you: "
              "the details are in the window where the app was started. Everything saved so far is kept.")


class AppStop(Exception):
    """Raised in app mode after a plain-English message has been shown: the page stops there."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [str(self)]


# ---- In a kernel started by the app --------------------------------------------------------------
def in_app() -> bool:
    """Whether this kernel was started by ``jointwork app`` (Voila sets VOILA_PREHEAT in every kernel)."""
    return os.environ.get(APP_ENV) == "1" and os.environ.get("VOILA_PREHEAT") in {"True", "False"}


def warm_up() -> None:
    """Read what a product page needs, so that a preheated kernel has done it before anyone asks:
    the libraries, the areas and every product's content (loading a plan checks it against all of it)."""
    import ipywidgets  # noqa: F401
    import pandas

    from .content import load_content

    pandas.DataFrame([{"a": 1.0, "b": None}]).dropna().sort_values("a").to_dict("records")
    all_areas()
    for product in available_products():
        load_content(product.number)
        product.module()


def wait_for_request() -> None:
    """In a preheated kernel, wait until a browser asks for the page: Voila then sends the request's
    QUERY_STRING and SCRIPT_NAME, which go into ``os.environ``. (A kernel started for a request
    already has them.) This is :func:`voila.utils.wait_for_request` without its imports, which take
    seconds (JupyterLab's server); the same address and message."""
    if os.environ.get("VOILA_PREHEAT") != "True":
        return
    warm_up()
    try:
        from websockets.sync.client import connect
    except ImportError:  # an older websockets: Voila's own helper
        from voila.utils import wait_for_request as voila_wait

        voila_wait()
        return
    server = os.environ.get("VOILA_SERVER_URL", "/")
    url = (f"{os.environ.get('VOILA_WS_PROTOCOL', 'ws')}://{os.environ.get('VOILA_APP_IP', HOST)}:"
           f"{os.environ.get('VOILA_APP_PORT', DEFAULT_PORT)}{os.environ.get('VOILA_WS_BASE_URL', server)}"
           f"voila/query/{os.environ.get('VOILA_KERNEL_ID', '')}")
    import inspect

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
                print(f"jointwork app: no request details from {url} ({exc!r}); using the notebook's parameters",
                      file=sys.stderr)
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
    return next((p for p in available_products() if p.notebook == name), None)


def base_url(environ: Mapping[str, str] | None = None) -> str:
    value = (os.environ if environ is None else environ).get("VOILA_BASE_URL") or "/"
    return value if value.endswith("/") else value + "/"


def start_url(area_code: str | None = None, base: str = "/") -> str:
    """The start page, with the area chosen if given."""
    return base + (("?" + urlencode({"area": area_code})) if area_code else "")


def product_url(product: Product, area_code: str, base: str = "/") -> str:
    return f"{base}voila/render/{quote(product.notebook)}?{urlencode({'area': area_code})}"


def app_products() -> list[Product]:
    """The products the app shows: those whose module and notebook both exist."""
    folder = notebooks_dir()
    return [p for p in available_products() if (folder / p.notebook).is_file()]


def short_title(product: Product) -> str:
    return f"{product.number}. {product.title.split(':')[0].strip()}"


def nav_bar(product: Product | None, area: Area | None, base: str = "/") -> display.Html:
    """Links to all products for the area, the previous and next product, and another area."""
    links: list[tuple[str, str, str]] = []
    if area is not None:
        links.append((start_url(area.code, base), f"All products for {area.name}", ""))
        products = app_products()
        if product in products:
            i = products.index(product)
            if i > 0:
                links.append((product_url(products[i - 1], area.code, base),
                              f"Previous: {short_title(products[i - 1])}", "prev"))
            if i + 1 < len(products):
                links.append((product_url(products[i + 1], area.code, base),
                              f"Next: {short_title(products[i + 1])}", "next"))
    links.append((start_url(None, base), "Choose another area", ""))
    items = "".join(f'<li><a href="{display.esc(href)}"' + (f' rel="{rel}"' if rel else "")
                    + f">{display.esc(text)}</a></li>" for href, text, rel in links)
    return display.Html(f'<nav class="jw-nav" aria-label="Products"><ul>{items}</ul></nav>',
                        " | ".join(text for _, text, _ in links))


PAGE_STYLE = """
.jw-nav ul { list-style: none; margin: 0 0 12px; padding: 8px 0; display: flex; flex-wrap: wrap; gap: 4px 20px;
  border-bottom: 1px solid #b1b4b6; }
.jw-nav a { font-size: 15px; color: #1d70b8; }
.jw-status { position: sticky; top: 0; z-index: 10; background: #fff; }
.jupyter-widgets:has(.jw-status), .jp-OutputArea-output:has(.jw-status), .jp-OutputArea-child:has(.jw-status),
.jp-Cell-outputArea:has(.jw-status) { overflow: visible !important; }  /* else the status cannot stick */
.jp-Notebook a:focus-visible, .jp-Notebook button:focus-visible, .jp-Notebook input:focus-visible,
.jp-Notebook select:focus-visible, .jp-Notebook textarea:focus-visible, .jw-nav a:focus-visible,
.jupyter-widget-Collapse-header:focus-visible { outline: 3px solid #ffdd00; outline-offset: 0;
  box-shadow: 0 0 0 5px #0b0c0c; }
"""

# Runs once per page (the header is shown once). Plain ES5, no network, no globals but one flag.
PAGE_SCRIPT = r"""
(function () {
  "use strict";
  if (window.__jointworkApp) { return; }
  window.__jointworkApp = true;
  var BOXES = ".widget-text input, .widget-textarea textarea";
  var PAUSE_MS = %(pause)d, SPACE_PAUSE_MS = %(space_pause)d;
  var UNEXPECTED = %(unexpected)s;
  var sent = new WeakMap(), timers = new WeakMap(), ids = 0;

  function isBox(el) { return !!(el && el.matches && el.matches(BOXES)); }
  // Send what was typed, as leaving the box would (the widget saves on "change"), unless there is
  // nothing new to save once the plan has trimmed the spaces off.
  function send(el) {
    clearTimeout(timers.get(el));
    timers.delete(el);
    if (!el.isConnected || el.disabled) { return false; }
    var before = sent.has(el) ? sent.get(el) : "";
    if (el.value.trim() === String(before).trim()) { return false; }
    sent.set(el, el.value);
    el.dispatchEvent(new Event("change", { bubbles: true }));
    return true;
  }
  document.addEventListener("focusin", function (e) {
    if (isBox(e.target) && !timers.has(e.target)) { sent.set(e.target, e.target.value); }
  }, true);
  document.addEventListener("change", function (e) {
    if (isBox(e.target)) { clearTimeout(timers.get(e.target)); timers.delete(e.target); sent.set(e.target, e.target.value); }
  }, true);
  document.addEventListener("input", function (e) {
    var el = e.target;
    if (!isBox(el)) { return; }
    clearTimeout(timers.get(el));
    timers.set(el, setTimeout(function () { send(el); }, /\s$/.test(el.value) ? SPACE_PAUSE_MS : PAUSE_MS));
  }, true);
  function sendActive() { return isBox(document.activeElement) && send(document.activeElement); }
  // Leaving the page: Voila's own "beforeunload" handler (which runs before any added later) asks
  // for the kernel to be shut down, then closes the connection to it. Send what was typed first;
  // and if something was, stop that handler before it closes the connection (by throwing), so that
  // a message the widget holds back until the kernel has finished the previous one can still go.
  // The app shuts the kernel down a few seconds later (LateShutdown), and is told that text was
  // sent, so that the next page waits for that kernel to save it before reading the plan.
  if (navigator.sendBeacon) {
    var beacon = navigator.sendBeacon.bind(navigator);
    navigator.sendBeacon = function (url, data) {
      if (String(url).indexOf("/voila/api/shutdown/") === -1) { return beacon(url, data); }
      var typed = sendActive();
      if (typed && data && data.append) { data.append("jw_typed", "1"); }
      var result = beacon(url, data);
      if (typed) { throw new Error("jointwork: the connection stays open to send what was typed"); }
      return result;
    };
  }
  document.addEventListener("keydown", function (e) {  // reload, close or back from the keyboard
    var k = (e.key || "").toLowerCase();
    if (k === "f5" || ((e.ctrlKey || e.metaKey) && (k === "r" || k === "w")) || (e.altKey && k === "arrowleft")) {
      sendActive();
    }
  }, true);
  window.addEventListener("pagehide", sendActive, true);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { sendActive(); }
  }, true);

  function idOf(el) { if (!el.id) { el.id = "jw-" + (++ids); } return el.id; }
  function improve() {
    var i, all;
    all = document.querySelectorAll(".jupyter-widget-Collapse-header");
    for (i = 0; i < all.length; i++) {
      var head = all[i], body = head.nextElementSibling;
      if (!head.hasAttribute("data-jw")) {
        head.setAttribute("data-jw", "1");
        head.setAttribute("role", "button");
        head.tabIndex = 0;
        head.addEventListener("keydown", function (e) {
          if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.currentTarget.click(); }
        });
      }
      var open = body && !body.classList.contains("lm-mod-hidden") ? "true" : "false";
      if (head.getAttribute("aria-expanded") !== open) { head.setAttribute("aria-expanded", open); }
    }
    all = document.querySelectorAll(".widget-radio-box:not([role])");
    for (i = 0; i < all.length; i++) {
      all[i].setAttribute("role", "radiogroup");
      var label = all[i].parentElement && all[i].parentElement.querySelector(".widget-label");
      if (label && label.textContent.trim()) { all[i].setAttribute("aria-labelledby", idOf(label)); }
    }
    // The few controls of a box that opens with a text (e.g. a factor's title, then "Rating" and
    // "Evidence") are described by that text, so a screen reader says which factor they are for.
    all = document.querySelectorAll(".widget-vbox > .widget-html:first-child");
    for (i = 0; i < all.length; i++) {
      var intro = all[i], box = intro.parentElement, own = [];
      var found = box.querySelectorAll(".widget-radio-box, textarea, input:not([type=radio]), select");
      for (var j = 0; j < found.length; j++) { if (found[j].closest(".widget-vbox") === box) { own.push(found[j]); } }
      for (j = 0; j < own.length && own.length <= 4; j++) {
        if (!own[j].hasAttribute("aria-describedby")) { own[j].setAttribute("aria-describedby", idOf(intro)); }
      }
    }
    all = document.querySelectorAll(".noUi-handle:not([aria-labelledby])");
    for (i = 0; i < all.length; i++) {
      var row = all[i].closest(".widget-inline-hbox"), name = row && row.querySelector(".widget-label");
      if (name && name.textContent.trim()) { all[i].setAttribute("aria-labelledby", idOf(name)); }
    }
    all = document.querySelectorAll(".jw-nav a[target], .jw-problem a[target]");  // stay in this tab
    for (i = 0; i < all.length; i++) { all[i].removeAttribute("target"); }
    all = document.querySelectorAll(".jw-status:not([aria-live])");
    for (i = 0; i < all.length; i++) {
      all[i].setAttribute("role", "status");
      all[i].setAttribute("aria-live", "polite");
      all[i].setAttribute("aria-atomic", "true");
    }
    all = document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"] pre:not([data-jw])');
    for (i = 0; i < all.length; i++) {
      all[i].setAttribute("data-jw", "1");
      if (/error when executing cell|exception occurred at the server/i.test(all[i].textContent)) {
        all[i].textContent = UNEXPECTED;
        all[i].setAttribute("role", "alert");
      }
    }
  }
  var queued = false;
  function soon() {
    if (!queued) { queued = true; window.requestAnimationFrame(function () { queued = false; improve(); }); }
  }
  new MutationObserver(soon).observe(document.documentElement,
    { childList: true, subtree: true, attributes: true, attributeFilter: ["class"] });
  soon();
  if (%(title)s) { document.title = %(title)s; }
  function placeNav() {  // the navigation bar first on the page (not after the intro), and again at the end
    var nav = document.querySelector(".jw-nav");
    var cells = document.querySelector("#rendered_cells > div");
    if (nav && cells && !nav.classList.contains("jw-nav-top")) {
      nav.classList.add("jw-nav-top");
      cells.insertBefore(nav, cells.firstChild);
    }
    var end = cells || document.body;
    if (nav && !document.querySelector(".jw-nav-end")) {
      var copy = nav.cloneNode(true);
      copy.classList.remove("jw-nav-top");
      copy.classList.add("jw-nav-end");
      copy.setAttribute("aria-label", "Products (end of page)");
      end.appendChild(copy);
    }
  }
  if (document.readyState === "complete") { placeNav(); } else { window.addEventListener("load", placeNav); }
})();
"""


def page_assets(title: str = "") -> display.Html:
    """The style and script that every app page carries (shown by the header; no text of its own)."""
    def js(text: str) -> str:  # a JavaScript string that cannot end the <script> element
        return json.dumps(text).replace("</", "<\\/")

    script = PAGE_SCRIPT % {"pause": PAUSE_MS, "space_pause": SPACE_PAUSE_MS, "unexpected": js(UNEXPECTED),
                            "title": js(title)}
    return display.Html(f"<style>{PAGE_STYLE}</style><script>{script}</script>", "")


def page_top(product: Product | None, area: Area, base: str = "/") -> display.Html:
    """What the app adds at the top of ``wb.header()``: the navigation bar and the page helpers."""
    title = f"{short_title(product)} - {area.name} - jointwork" if product else f"{area.name} - jointwork"
    return page_assets(title) + nav_bar(product, area, base)


# ---- Plain-English problems ---------------------------------------------------------------------
def _problem(heading: str, what: str, what_to_do: str, file: str | Path | None = None,
             extra: str = "") -> display.Html:
    parts = [f"<h2>{display.esc(heading)}</h2>",
             f"<p><strong>What is wrong:</strong> {display.esc(what)}</p>"]
    if file is not None:
        parts.append(f"<p><strong>The file:</strong> <code>{display.esc(file)}</code></p>")
    parts.append(f"<p><strong>What to do:</strong> {display.esc(what_to_do)}</p>")
    text = "\n".join([heading, f"What is wrong: {what}"] + ([f"The file: {file}"] if file is not None else [])
                     + [f"What to do: {what_to_do}"])
    return display.Html('<div class="jw-problem" role="alert" style="border-left:6px solid #801650;'
                        f'padding:4px 14px;margin:8px 0">{"".join(parts)}{extra}</div>', text)


def area_problem(query: str, suggestions: list[str], base: str = "/") -> display.Html:
    """No area matches what was asked for."""
    links = ""
    if suggestions:
        items = "".join(f'<li><a href="{display.esc(start_url(area_key(s), base))}">{display.esc(s)}</a></li>'
                        for s in suggestions)
        links = f"<p>Did you mean:</p><ul>{items}</ul>"
    asked = f"'{query}'" if query else "no area"
    return _problem("We could not find that area",
                    f"there is no English upper-tier local authority matching {asked}.",
                    "go back to the start page and search for your area by its name (for example Southampton) "
                    "or its code (for example E06000045), then choose it from the list.", extra=links)


def plan_problem(area: Area, path: Path, exc: Exception) -> display.Html:
    """The area's saved plan cannot be read (it does not validate, or the file cannot be opened)."""
    if isinstance(exc, PlanError):
        what = f"the saved plan for {area.name} does not pass its checks. {exc}"
        todo = ("nothing has been changed and nothing will be saved until the file is put right. Ask whoever "
                "looks after your team's plans to correct the line named above, or to bring back an earlier "
                f"version (jointwork history {area.code}, then jointwork restore {area.code} NUMBER). "
                "Then reload this page. Other areas and products still work.")
    else:
        reason = getattr(exc, "strerror", None) or str(exc)
        what = f"the saved plan for {area.name} could not be opened ({reason})."
        todo = ("check that the workspace folder is still there (for example that a shared drive is connected) "
                "and that you are allowed to read it, then reload this page.")
    return _problem(f"The plan for {area.name} cannot be opened", what, todo, file=path)


def stop(message: display.Html) -> NoReturn:
    """Show ``message`` and stop the page there, hiding the error Voila would otherwise add."""
    from IPython.display import HTML, display as show

    hide = '<style>[data-mime-type="application/vnd.jupyter.stderr"]{display:none !important}</style>'
    show(HTML(page_assets("Problem - jointwork").markup + hide + message.markup))
    raise AppStop(message.text)


def open_app_workbook(area_code: str, workspace: str | os.PathLike[str] | None = None) -> "Workbook":
    """:func:`jointwork.open_workbook` under the app: the area from the URL, always interactive,
    a navigation bar in the header, and plain-English messages instead of errors."""
    from .workbook import Workbook

    wait_for_request()
    base = base_url()
    product = current_product()
    asked = query_area() or str(area_code)
    try:
        area = find_area(area_key(asked))
    except AreaNotFound as exc:
        stop(nav_bar(product, None, base) + area_problem(asked, exc.suggestions, base))
    store = PlanStore(workspace)
    try:
        wb = Workbook(area, store, interactive=True)
    except (PlanError, OSError) as exc:
        stop(nav_bar(product, area, base) + plan_problem(area, store.path_for(area.code), exc))
    except JointworkError as exc:
        stop(nav_bar(product, area, base) + _problem("This page cannot be shown", str(exc),
                                                     "go back to the start page and try again."))
    wb.page_top = page_top(product, area, base)
    return wb


# ---- The start page (served by the app, no kernel) ---------------------------------------------
START_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Arial, sans-serif; font-size: 17px; line-height: 1.5;
  color: #0b0c0c; margin: 0; background: #f3f2f1; }
main { max-width: 860px; margin: 0 auto; padding: 20px 30px 40px; background: #fff; min-height: 100vh; }
label { display: block; font-weight: bold; margin: 16px 0 4px; }
.hint { color: #505a5f; margin: 0 0 8px; }
input[type=text] { font-size: 18px; padding: 6px; width: min(100%, 480px); border: 2px solid #0b0c0c; }
button { font-size: 18px; padding: 6px 14px; margin-left: 6px; background: #00703c; color: #fff; border: 0;
  box-shadow: 0 2px 0 #002d18; cursor: pointer; }
a { color: #1d70b8; }
a:focus-visible, input:focus-visible, button:focus-visible { outline: 3px solid #ffdd00; outline-offset: 0;
  box-shadow: 0 0 0 5px #0b0c0c; }
.problem { border-left: 6px solid #801650; padding: 4px 14px; }
.note { border-left: 6px solid #12436D; padding: 4px 14px; }
.warning { border-left: 6px solid #F46A25; padding: 4px 14px; }
ol.products li { margin: 6px 0; font-size: 18px; }
"""


def _page(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{display.esc(title)}</title><style>{START_STYLE}</style></head>"
            f"<body><main>{body}</main></body></html>")


def _search_form(value: str, base: str) -> str:
    options = "".join(f'<option value="{display.esc(a.name)} ({a.code})"></option>' for a in all_areas())
    return (f'<form method="get" action="{display.esc(base)}" role="search">'
            '<label for="area">Your area</label>'
            '<p class="hint" id="area-hint">Type the name of the council (for example Southampton) or its code '
            '(for example E06000045), then choose it from the list.</p>'
            f'<input type="text" id="area" name="area" list="areas" value="{display.esc(value)}" '
            'aria-describedby="area-hint" autocomplete="off" required>'
            '<button type="submit">Show the products</button>'
            f'<datalist id="areas">{options}</datalist></form>')


def start_page(query: str | None, workspace: str | os.PathLike[str] | None = None, base: str = "/") -> str:
    """The start page: a search box for the area and, once an area is chosen, a link to each product.

    ``query`` is what was typed (a name, a code or a list label such as "Southampton (E06000045)").
    """
    query = (query or "").strip()[:100]
    form = _search_form(query, base)
    intro = ("<h1>Joint working workbooks</h1>"
             "<p>Workbooks for a local authority and its NHS partners to plan children's centres and family hubs "
             "together. Choose your area, then open a product. Everything your team enters is saved to the "
             "area's plan as soon as it is entered.</p>")
    if not query:
        return _page("Choose an area - jointwork", intro + form)
    try:
        area = find_area(area_key(query))
    except AreaNotFound as exc:
        matches = search_areas(query)[:20]
        if len(matches) == 1:
            area = matches[0]
        else:
            labels = [f"{a.name} ({a.code})" for a in matches] or exc.suggestions
            items = "".join(f'<li><a href="{display.esc(start_url(area_key(s), base))}">{display.esc(s)}</a></li>'
                            for s in labels)
            found = (f"<p>Areas that match '{display.esc(query)}':</p><ul>{items}</ul>" if matches else
                     (f"<p>Did you mean:</p><ul>{items}</ul>" if items else ""))
            body = (f'<div class="problem" role="alert"><h2>Which area?</h2>'
                    f"<p>No English upper-tier local authority is called '{display.esc(query)}'. "
                    "Choose one of the areas below, or search again by name or code.</p>"
                    f"{found}</div>")
            return _page("Choose an area - jointwork", intro + body + form)
    store = PlanStore(workspace)
    path = store.path_for(area.code)
    state = ""
    try:
        if store.exists(area.code):
            plan = store.load(area.code)
            state = ('<p class="warning">This is an <strong>illustrative</strong> sample plan: its entries are '
                     "made up to show how the workbook works.</p>" if plan.illustrative else
                     "<p class=\"note\">This area has a saved plan: the products open with what your team has "
                     "entered so far.</p>")
        else:
            state = ('<p class="note">This area has no saved plan yet: the exercises start blank, and the plan is '
                     "created when you first enter something.</p>")
    except (PlanError, OSError) as exc:
        state = plan_problem(area, path, exc).markup
    products = "".join(f'<li><a href="{display.esc(product_url(p, area.code, base))}">{display.esc(p.title)}</a> '
                       f"<span class=\"hint\">(product {p.number})</span></li>" for p in app_products())
    body = (f'<h2 id="chosen">{display.esc(area.name)} ({area.code})</h2>'
            f"<p>{display.esc(area.describe())}</p>{state}"
            f'<nav aria-labelledby="chosen"><ol class="products">{products}</ol></nav>'
            f"<p class=\"hint\">Plans are saved in <code>{display.esc(store.plans_dir)}</code>; earlier versions "
            "are kept, so nothing entered is lost.</p>"
            f"<h2>Another area</h2>")
    return _page(f"{area.name} - jointwork", intro + body + _search_form("", base))


# ---- The server ---------------------------------------------------------------------------------
# The notebooks' "How to use it" text speaks to JupyterLab users; the app shows the notebooks with
# these sentences rewritten (only in the app; the files are not changed).
APP_WORDING = [
    (re.compile(r"run\s+every\s+cell\s+\(Run\s+>\s+Run\s+All\s+Cells\)\.\s+Choose\s+your\s+area\s+in\s+the\s+first\s+"
                r"code\s+cell(\s*\([^)]*\))?\."),
     "work through the exercises below; the area was chosen on the start page (the links at the top "
     "change it or move to another product)."),
    (re.compile(r"\s*In\s+a\s+batch\s+run\s+this\s+shows[^.]*\."), ""),
]


def app_wording(text: str) -> str:
    """A markdown cell's text as the app shows it (see :data:`APP_WORDING`)."""
    for pattern, replacement in APP_WORDING:
        text = pattern.sub(replacement, text)
    return text


def app_notebook(model: dict[str, Any]) -> dict[str, Any]:
    """A notebook model (from a contents manager) with its markdown cells in the app's wording."""
    if model.get("type") == "notebook" and model.get("content"):
        for cell in model["content"].cells:
            if cell.cell_type == "markdown":
                cell.source = app_wording(cell.source)
    return model


def voila_config(port: int = DEFAULT_PORT, open_browser: bool = True, preheat: bool = True,
                 pool_size: int = 1) -> Any:
    """The Voila settings of the app: 127.0.0.1 only, code and tracebacks hidden, preheated kernels
    (``pool_size`` per product, each told which notebook it is for, none for other notebooks)."""
    from traitlets.config import Config

    c = Config()
    c.Voila.ip = HOST
    c.Voila.port = int(port)
    c.Voila.port_retries = 0
    c.Voila.open_browser = bool(open_browser)
    c.Voila.config_file_paths = []  # no voila.json from the current folder or ~/.jupyter changes these
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_margins = True
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.preheat_kernel = bool(preheat)
    c.VoilaConfiguration.default_pool_size = int(pool_size) if preheat else 0
    c.VoilaConfiguration.prelaunch_hook = None  # incompatible with preheated kernels
    c.VoilaExecutor.show_tracebacks = False
    c.VoilaExecutor.cell_error_instruction = UNEXPECTED
    c.VoilaKernelManager.preheat_denylist = ["templates/", ".ipynb_checkpoints"]
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        **{p.notebook: {"pool_size": int(pool_size) if preheat else 0, "kernel_env_variables": {NOTEBOOK_ENV: p.notebook}}
           for p in app_products()}}
    c.VoilaKernelManager.fill_delay = 2.0  # refill a kernel pool once the page that used it has drawn
    return c


def _app_class() -> type:
    """Voila with the start page at ``/`` (and the notebook list sent there too)."""
    import tornado.web
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from voila.app import Voila
    from voila.tornado.handler import TornadoVoilaHandler
    from jupyter_core.utils import ensure_async

    class StartPage(tornado.web.RequestHandler):
        def initialize(self, workspace: str, base: str) -> None:
            self.workspace = workspace
            self.base = base

        def get(self) -> None:
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(start_page(self.get_argument("area", None), self.workspace, self.base))

    class ToStart(tornado.web.RequestHandler):
        def initialize(self, base: str) -> None:
            self.base = base

        def get(self, *_args: Any) -> None:
            self.redirect(self.base)

    class AppContents(LargeFileManager):
        def get(self, path: str, content: bool = True, type: str | None = None, format: str | None = None,
                **kwargs: Any) -> dict[str, Any]:
            return app_notebook(super().get(path, content=content, type=type, format=format, **kwargs))

    leaving: dict[str, tuple[float, bool]] = {}  # kernel of a page just left -> (when, whether it sent text)

    class LateShutdown(tornado.web.RequestHandler):
        """A page that is left asks for its kernel to be shut down (Voila's own handler refuses the
        request for want of an XSRF cookie, voila-dashboards/voila#1458, so kernels would pile up).
        Wait a moment first, so that what the page sent as it was left is saved before the kernel stops."""

        async def post(self, kernel_id: str) -> None:
            origin = self.request.headers.get("Origin")
            if origin and origin != f"{self.request.protocol}://{self.request.host}":
                raise tornado.web.HTTPError(403)
            leaving[kernel_id] = (time.monotonic(), self.get_body_argument("jw_typed", "") == "1")
            self.set_status(204)
            await self.finish()
            await asyncio.sleep(SHUTDOWN_GRACE_S)
            leaving.pop(kernel_id, None)
            manager = self.settings["kernel_manager"]
            if kernel_id in manager:
                await ensure_async(manager.shutdown_kernel(kernel_id))

    async def settle(manager: Any) -> None:
        """Wait (briefly) while the kernel of a page just left is still saving, e.g. text typed as
        the page was reloaded, so that the new page reads the plan with it."""
        deadline = time.monotonic() + SETTLE_LIMIT_S
        while time.monotonic() < deadline:
            now = datetime.now(timezone.utc)
            busy = False
            for kernel_id, (when, typed) in list(leaving.items()):
                if kernel_id not in manager:
                    continue
                kernel = manager.get_kernel(kernel_id)
                last = getattr(kernel, "last_activity", None)
                busy = (busy or (typed and time.monotonic() - when < TYPED_ARRIVAL_S)
                        or getattr(kernel, "execution_state", "") == "busy"
                        or (last is not None and (now - last).total_seconds() < 0.1))
            if not busy:
                return
            await asyncio.sleep(0.02)

    class SettledPage(TornadoVoilaHandler):
        async def get(self, path: str | None = None) -> None:
            await settle(self.kernel_manager)
            await super().get(path)

    class JointworkVoila(Voila):
        def init_settings(self) -> dict:
            settings = super().init_settings()
            self.contents_manager = settings["contents_manager"] = AppContents(parent=self)
            return settings

        def init_handlers(self) -> list:
            base = self.server_url or self.base_url
            ours = [(base, StartPage, {"workspace": os.environ[WORKSPACE_ENV], "base": self.base_url}),
                    (base.rstrip("/") + r"/voila/tree(.*)", ToStart, {"base": self.base_url}),
                    (base.rstrip("/") + r"/voila/api/shutdown/(.*)", LateShutdown)]
            theirs = [(h[0], SettledPage, *h[2:]) if h[1] is TornadoVoilaHandler else h
                      for h in super().init_handlers()]
            return ours + theirs

    return JointworkVoila


def check_port(port: int) -> None:
    """A clear error if something else already listens on 127.0.0.1:``port``."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name == "posix":  # as the server will: connections closing from a previous run do not count
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, int(port)))
        except OSError:
            raise JointworkError(f"port {port} on {HOST} is already in use: the app may already be running "
                                 f"(open http://{HOST}:{port}/), or choose another port with --port") from None


def serve(port: int = DEFAULT_PORT, open_browser: bool = True, workspace: str | os.PathLike[str] | None = None,
          *, preheat: bool = True, pool_size: int = 1) -> None:
    """Serve the product notebooks as an app on http://127.0.0.1:PORT/ until stopped (Ctrl+C).

    ``workspace`` holds ``plans/`` (default ``$JOINTWORK_WORKSPACE`` or ``./workspace``). With
    ``preheat`` each product keeps ``pool_size`` kernels started and ready.
    """
    folder = resolve_workspace(workspace)
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    check_port(port)
    os.environ[APP_ENV] = "1"  # the kernels inherit these
    os.environ[WORKSPACE_ENV] = str(folder)
    os.environ.pop(NOTEBOOK_ENV, None)  # set per kernel pool (see voila_config)
    app = _app_class()(config=voila_config(port, open_browser, preheat, pool_size))
    app.initialize([str(notebooks_dir())])
    print(f"jointwork app: open http://{HOST}:{port}/ in a web browser. Plans are saved in {folder / 'plans'}.\n"
          "Press Ctrl+C here to stop the app.", file=sys.stderr, flush=True)
    app.start()
