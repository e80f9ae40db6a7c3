"""End to end: the facilitator app (`jointwork app`) in a real browser.

Python Playwright drives Debian's Chromium (/usr/bin/chromium, or $JOINTWORK_CHROMIUM), which
`dev/ensure_chromium.sh` installs with apt-get when it is missing; no browser is ever downloaded.
Where Chromium cannot be had (no root) these tests skip and say why; with CI=true they fail instead.

One app server (a free port on 127.0.0.1, a temporary workspace) serves these tests and is stopped,
with its kernels, as soon as they are done rather than at the end of the whole test session. The
browser can reach 127.0.0.1 only (other requests would fail), and every request it makes is
recorded: a request for anything outside 127.0.0.1 fails the tests. Screenshots, the server's log
and the requests a product page makes go to test-artifacts/browser/.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from jointwork.app.kernel import app_products
from jointwork.app.local_browser import DIRECT, LOCAL_ONLY_CHROMIUM_ARGS
from jointwork.app.server import UNEXPECTED
from jointwork.products import plan_store

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "browser"
FRESH = "E06000046"  # Isle of Wight: no sample plan, so the browser creates it
BROKEN = "E06000022"  # Bath and North East Somerset: given a plan that does not validate
BROKEN_PLAN = (
    "schema_version: 1\narea_code: E06000022\nsuccessful_joint_working:\n  respondents:\n"
    "  - name: A\n    sector: halth\n"
)
LIVE = "E06000044"  # Portsmouth: answered from outside the page while it is open
LIVE_TIMEOUT_MS = 15_000  # answers saved elsewhere reach an open page within this (checked every 2 s)
FIRST_CONTROL = ".jupyter-widgets input:not([disabled]), .jupyter-widgets button:not([disabled])"
PAGE_TIMEOUT_MS = 90_000  # a product page on a loaded 2-core machine, kernel pool refilling


def _unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true, so the browser tests must run, but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium() -> str:
    """The path of Chromium, installed from Debian's packages if missing (never downloaded)."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _unavailable("Playwright is not installed (pip install -e '.[test]')")
    result = subprocess.run(
        ["bash", str(REPO / "dev" / "ensure_chromium.sh")], capture_output=True, text=True, timeout=1800
    )
    path = os.environ.get("JOINTWORK_CHROMIUM", "/usr/bin/chromium")
    if result.returncode != 0 or not os.access(path, os.X_OK):
        _unavailable("Chromium is not available: " + (result.stderr.strip() or f"{path} is missing"))
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _descendants(pid: int) -> list[tuple[int, str]]:
    """(pid, start time) of the processes started, directly or not, by ``pid`` (Linux /proc)."""
    parents: dict[int, tuple[int, str]] = {}
    for entry in os.listdir("/proc") if os.path.isdir("/proc") else []:
        try:
            fields = _stat(entry)
            parents[int(entry)] = (int(fields[1]), fields[19])
        except (ValueError, OSError, IndexError):
            continue
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        children = [child for child, (parent, _) in parents.items() if parent == current]
        found += [(child, parents[child][1]) for child in children]
        todo += children
    return found


def _stop(proc: subprocess.Popen[Any]) -> None:
    """Stop the server (it shuts its kernels down on SIGTERM); then end any of its processes left."""
    started = _descendants(proc.pid)  # the kernels run in sessions of their own
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    for pid, start in started:
        try:
            if _stat(pid)[19] == start:  # still that process, not a new one given the same number
                os.kill(pid, signal.SIGKILL)
        except (OSError, IndexError):
            pass


@dataclass
class App:
    url: str
    workspace: Path
    share_url: str = ""  # the respondent service (--share on 127.0.0.1), for the phones

    def plan(self, code: str):
        return plan_store(self.workspace).load(code)

    def response(self, code: str, name: str):
        """The response of ``name`` in the current round of product 3."""
        from jointwork.core.responses import ResponseStore

        area = ResponseStore(self.workspace).area(code)
        return next(r for r in area.answers("successful_joint_working") if r.name == name)


@contextmanager
def running_app(root: Path, workspace: Path, log_name: str, *extra: str) -> Iterator[tuple[str, subprocess.Popen[Any]]]:
    """`jointwork app` (with ``extra`` options) on a free port for ``workspace``; its URL and process."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOINTWORK_", "VOILA_"))}
    with open(ARTIFACTS / log_name, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jointwork.cli",
                "app",
                "--port",
                str(port),
                "--no-browser",
                "--workspace",
                str(workspace),
                *extra,
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=root,
            start_new_session=True,
        )
        try:
            url = f"http://127.0.0.1:{port}/"
            deadline = time.monotonic() + 120
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"the app stopped at start-up (exit {proc.returncode}); see {ARTIFACTS / log_name}")
                try:
                    with DIRECT.open(url, timeout=5) as response:
                        if response.status == 200:
                            break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"the app did not answer at {url} within 120 s; see {ARTIFACTS / log_name}")
                time.sleep(0.3)
            yield url, proc
        finally:
            _stop(proc)


@pytest.fixture(scope="module")
def app(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[App]:
    """`jointwork app` on a free port with a temporary workspace, for the tests of this module."""
    root = tmp_path_factory.mktemp("app")
    workspace = root / "workspace"
    (workspace / "plans").mkdir(parents=True)
    (workspace / "plans" / f"{BROKEN}.yaml").write_text(BROKEN_PLAN, encoding="utf-8")
    share_port = _free_port()
    share = ("--share", "--share-host", "127.0.0.1", "--share-port", str(share_port))
    with running_app(root, workspace, "app-server.log", *share) as (url, _proc):
        yield App(url, workspace, f"http://127.0.0.1:{share_port}")


def leaves_the_machine(url: str) -> bool:
    """Whether a request for ``url`` goes anywhere but 127.0.0.1 (data: and blob: stay in the page)."""
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob"}:
        return False
    return parts.scheme not in {"http", "https", "ws", "wss"} or parts.hostname != "127.0.0.1"


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


def new_context(driver: Any, chromium: str, profile: Path) -> Any:
    """A Chromium context with a fresh profile that can reach 127.0.0.1 only (see LOCAL_ONLY_CHROMIUM_ARGS)."""
    context = driver.chromium.launch_persistent_context(
        str(profile), executable_path=chromium, headless=True, args=LOCAL_ONLY_CHROMIUM_ARGS
    )
    context.set_default_timeout(30_000)
    return context


@pytest.fixture(scope="module")
def browser(chromium: str, playwright_driver: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The browser of these tests: every request any of its pages makes is checked (not only those
    that succeed, since a request beyond 127.0.0.1 fails here)."""
    escaped: list[str] = []
    context = new_context(playwright_driver, chromium, tmp_path_factory.mktemp("chromium-profile"))
    context.on("request", lambda r: escaped.append(r.url) if leaves_the_machine(r.url) else None)
    context.on(
        "page",
        lambda page: page.on("websocket", lambda ws: escaped.append(ws.url) if leaves_the_machine(ws.url) else None),
    )
    try:
        yield context
    finally:
        context.close()
    assert not escaped, f"the browser asked for something outside 127.0.0.1: {escaped}"


@pytest.fixture
def page(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A new tab; what it shows at the end of the test is kept as a screenshot (useful when one fails)."""
    page = browser.new_page()
    yield page
    page.screenshot(path=str(ARTIFACTS / f"end-{request.node.name}.png"), full_page=True)
    page.close(run_before_unload=True)  # as a closed tab: the page's kernel is shut down


def shot(page: Any, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


def open_product(page: Any, url: str, first_label: str) -> None:
    page.goto(url)
    page.get_by_label(first_label).first.wait_for(timeout=PAGE_TIMEOUT_MS)


def status(page: Any) -> Any:
    return page.locator(".jw-status").first


def no_traceback(page: Any) -> None:
    text = page.locator("body").inner_text()
    for word in ("Traceback", "ExecutionError", "There was an error", 'File "', "open_workbook(", "from jointwork"):
        assert word not in text, f"the page shows {word!r}"


# ---- The start page -------------------------------------------------------------------------------
def test_search_for_an_area_and_see_its_products(app: App, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(app.url)
    box = page.get_by_label("Your area")
    box.focus()
    page.keyboard.type("isle")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Isle of Wight (E06000046)").click()
    expect(page.get_by_role("heading", name=f"Isle of Wight ({FRESH})")).to_be_visible()
    expect(page.get_by_text("no saved plan yet")).to_be_visible()
    links = page.get_by_role("navigation", name=f"Isle of Wight ({FRESH})").get_by_role("link")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    pages = [h for h in hrefs if h.startswith("/voila/render/")]
    assert len(pages) == len(app_products()) and all(h.endswith(f"?area={FRESH}") for h in pages)
    presenting = [h for h in hrefs if h.startswith("/present?")]  # each product with results: its presenter view
    assert presenting == [f"/present?area={FRESH}&product={p.number}" for p in app_products() if p.report]
    rooms = [h for h in hrefs if h.startswith("/room?")]  # each product partners answer: from their phones
    assert rooms == [f"/room?area={FRESH}&product={p.number}" for p in app_products() if p.questionnaire]
    assert len(hrefs) == len(pages) + len(presenting) + len(rooms)
    shot(page, "01-start-page")


# ---- Downloads ----------------------------------------------------------------------------------
def test_downloads_come_from_the_app(app: App, page: Any) -> None:
    """The start page's workbook link and product 8's reading list links download files made by the app
    (from the saved plan), without anything written in the workspace."""
    import csv
    import io

    import openpyxl

    page.goto(f"{app.url}?area={FRESH}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Workbook (Excel)").click()
    workbook = info.value
    assert workbook.suggested_filename == f"{FRESH}_workbook.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(Path(workbook.path()).read_bytes()))
    assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"] and "Indicators" in book.sheetnames
    import docx
    from playwright.sync_api import expect

    with page.expect_download() as info:
        page.get_by_role("link", name="Report (Word)").click()
    assert info.value.suggested_filename == f"{FRESH}_report.docx"
    report = docx.Document(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert report.paragraphs[0].style.name == "Title" and "No plan has been saved" in "".join(
        p.text for p in report.paragraphs
    )
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Short report (print view)").click()
    printed = opened.value
    printed.wait_for_load_state()
    expect(printed.get_by_role("heading", level=1)).to_contain_text("joint working report")
    printed.close()
    open_product(page, f"{app.url}voila/render/08_find_out_more.ipynb?area={FRESH}", "Search")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the reading list (CSV)").click()
    listed = info.value
    assert listed.suggested_filename == f"{FRESH}_reading_index.csv"
    rows = list(csv.DictReader(io.StringIO(Path(listed.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) > 40 and "title" in rows[0]
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the reading list (Excel)").click()
    assert openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes())).sheetnames[-1] == "Reading index"
    left = [p for p in app.workspace.rglob("*") if p.suffix in {".csv", ".xlsx", ".docx", ".html"}]
    assert not left, "nothing left in the workspace"
    no_traceback(page)


# ---- Nothing leaves the machine ------------------------------------------------------------------
def test_no_request_leaves_the_machine(
    app: App, chromium: str, playwright_driver: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The start page, product 3 and product 4 pages and an error page, in a browser with an empty
    cache: every request (pages, scripts, styles, fonts, websockets) is for 127.0.0.1."""
    requests: list[str] = []
    context = new_context(playwright_driver, chromium, tmp_path_factory.mktemp("chromium-profile-requests"))
    context.on("request", lambda r: requests.append(f"{r.method} {r.url}"))
    try:
        page = context.new_page()
        page.on("websocket", lambda ws: requests.append(f"WEBSOCKET {ws.url}"))
        page.goto(app.url)
        page.goto(f"{app.url}?area={FRESH}")
        open_product(page, f"{app.url}voila/render/03_successful_joint_working.ipynb?area={FRESH}", "New respondent")
        page.wait_for_load_state("networkidle")
        open_product(page, f"{app.url}voila/render/04_who_to_engage.ipynb?area={FRESH}", "Role or name")
        page.wait_for_load_state("networkidle")
        assert page.goto(f"{app.url}voila/render/no_such_notebook.ipynb").status == 404
        page.close(run_before_unload=True)
    finally:
        context.close()
    (ARTIFACTS / "requests.txt").write_text("\n".join(requests) + "\n", encoding="utf-8")
    escaped = [r for r in requests if leaves_the_machine(r.split(" ", 1)[1])]
    assert not escaped, f"requests for something outside 127.0.0.1: {escaped}"
    paths = [urlsplit(r.split(" ", 1)[1]).path for r in requests]
    for mine in (
        "/voila/templates/jointwork/static/start.css",
        "/voila/templates/jointwork/static/jointwork.js",
        "/voila/templates/jointwork/static/jointwork.css",
    ):
        assert mine in paths, f"{mine} was not asked for: is the jointwork template in use?"
    assert not [p for p in paths if "fontawesome" in p.lower() or "font-awesome" in p.lower()]


# ---- Product 3: rate factors, reload, find them kept ---------------------------------------------
def test_rate_factors_then_reload_keeps_them(app: App, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app.url}?area={FRESH}")
    page.get_by_role("link", name="Successful joint working needs...").click()
    page.get_by_label("New respondent").wait_for(timeout=PAGE_TIMEOUT_MS)
    assert f"area={FRESH}" in page.url
    no_traceback(page)
    assert page.locator(".jp-CodeCell .jp-InputArea:visible, .jp-CodeMirrorEditor:visible").count() == 0, (
        "code is shown"
    )
    for end in ("Products", "Products (end of page)"):  # the navigation bar, at the top and the bottom
        nav = page.get_by_role("navigation", name=end, exact=True)
        expect(nav.get_by_role("link", name="Next: 4. Who to engage with")).to_have_attribute(
            "href", re.compile(rf"04_who_to_engage\.ipynb\?area={FRESH}$")
        )
        expect(nav.get_by_role("link", name="Previous: 2. Health priorities")).to_have_attribute(
            "href", re.compile(rf"02_health_priorities\.ipynb\?area={FRESH}$")
        )
        expect(nav.get_by_role("link", name="All products for Isle of Wight")).to_have_attribute(
            "href", f"/?area={FRESH}"
        )
        assert nav.get_by_role("link").evaluate_all("links => links.every(a => !a.target)"), "opens a new tab"

    page.get_by_label("New round").fill("Baseline, February 2026")
    page.get_by_role("button", name="Open round").click()
    expect(status(page)).to_contain_text("Saved the new round 'Baseline, February 2026'")
    page.get_by_label("New respondent").fill("Alex (health visitor)")
    page.get_by_label("Sector").first.select_option(label="Health")
    page.get_by_role("button", name="Add respondent").click()
    expect(status(page)).to_contain_text("Saved respondent Alex (health visitor)")

    heading = page.get_by_role("button", name="Recognise and accept the need for partnership")
    heading.focus()
    page.keyboard.press("Enter")  # the accordion opens from the keyboard
    expect(heading).to_have_attribute("aria-expanded", "true")
    groups = page.get_by_role("radiogroup", name="Rating")
    groups.nth(0).get_by_role("radio", name="3 Established").check()
    expect(status(page)).to_contain_text("rating of 'Health visiting and midwifery on board from the start'")
    groups.nth(1).get_by_role("radio", name="2 Emerging").check()
    expect(status(page)).to_contain_text("rating of 'Using the legal duty to work together'")
    expect(status(page)).to_be_in_viewport()  # the "saved" status stays in sight beside the exercise
    evidence = page.get_by_label("Evidence").first
    evidence.click()
    evidence.press_sequentially("Minutes of the joint board", delay=20)
    # saved after a pause in typing, without leaving the box
    expect(status(page)).to_contain_text("evidence for 'Health visiting and midwifery on board from the start'")
    shot(page, "02-product3-rated")

    saved = app.response(FRESH, "Alex (health visitor)")
    assert saved.value("health_on_board") == 3
    assert saved.note("health_on_board") == "Minutes of the joint board"
    assert saved.value("duty_to_cooperate") == 2

    evidence.press_sequentially(" and the section 75 agreement", delay=5)
    page.reload()  # at once: what was typed is sent as the page is left
    page.get_by_label("New respondent").wait_for(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_label("Answering as")).to_have_value("Alex (health visitor) (health)")
    page.get_by_role("button", name="Recognise and accept the need for partnership").click()
    groups = page.get_by_role("radiogroup", name="Rating")
    expect(groups.nth(0).get_by_role("radio", name="3 Established")).to_be_checked()
    expect(groups.nth(1).get_by_role("radio", name="2 Emerging")).to_be_checked()
    expect(page.get_by_label("Evidence").first).to_have_value("Minutes of the joint board and the section 75 agreement")
    assert app.response(FRESH, "Alex (health visitor)").note("health_on_board") == (
        "Minutes of the joint board and the section 75 agreement"
    )
    shot(page, "03-product3-after-reload")


def test_product_page_controls_can_be_named_and_reached(app: App, page: Any) -> None:
    """Every control has a name a screen reader reads; accordion headings are keyboard buttons;
    the "saved" status is a live region."""
    from playwright.sync_api import expect

    open_product(page, f"{app.url}voila/render/03_successful_joint_working.ipynb?area={FRESH}", "New respondent")
    headings = page.locator(".jupyter-widget-Collapse-header")
    expect(headings).to_have_count(6)  # one per principle
    expect(page.locator(".jupyter-widget-Collapse-header:not([role=button][tabindex='0'])")).to_have_count(0)
    groups = page.locator(".widget-radio-box")
    assert groups.count() >= 10
    expect(page.get_by_role("radiogroup", name="Rating", include_hidden=True)).to_have_count(groups.count())
    expect(status(page)).to_have_attribute("aria-live", "polite")
    unnamed = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter(el => !el.closest('.jw-nav') && el.type !== 'hidden')
        .filter(el => !((el.labels && el.labels.length && [...el.labels].some(l => l.textContent.trim()))
                        || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')
                        || (el.tagName === 'BUTTON' && el.textContent.trim())))
        .map(el => el.outerHTML.slice(0, 120))""")
    assert unnamed == []
    assert page.title() == "3. Successful joint working needs... - Isle of Wight - jointwork"
    assert page.locator("script[data-unexpected]").get_attribute("data-unexpected") == UNEXPECTED


# ---- Product 3: answers saved elsewhere show up live ------------------------------------------------
def test_answers_saved_elsewhere_show_up_while_the_page_is_open(app: App, page: Any) -> None:
    """A response saved by another program (here the test, as the respondent service would) reaches an
    open page within a few seconds, with no reload: the count by sector and the results change, and
    what the facilitator is typing stays where it is."""
    from playwright.sync_api import expect

    from jointwork.core.plan import Sector
    from jointwork.core.responses import Response, ResponseStore
    from jointwork.products import successful_joint_working as p3

    store = ResponseStore(app.workspace)
    made = store.open_round(LIVE, p3.SLUG, "Live round")

    def answer(sector: Sector, name: str, score: int) -> None:
        answers = {"health_on_board": {"value": score, "note": ""}}
        store.save(LIVE, p3.QUESTIONNAIRE, Response("", made.id, p3.SLUG, sector, "", answers, name))

    answer(Sector.LOCAL_AUTHORITY, "Sam (test)", 2)
    open_product(page, f"{app.url}voila/render/03_successful_joint_working.ipynb?area={LIVE}", "New respondent")
    count = page.locator(".jw-answered")
    expect(count).to_have_text("1 has answered in round 'Live round': Local authority 1.")
    agreement = page.get_by_role("cell", name="mixed: scores two points apart")
    expect(agreement).to_have_count(0)
    typing = page.get_by_label("New respondent")
    typing.fill("Being typed (test)")  # not added: it must stay in the box
    answer(Sector.HEALTH, "Alex (test)", 4)
    expect(count).to_have_text(
        "2 have answered in round 'Live round': Local authority 1, Health 1.", timeout=LIVE_TIMEOUT_MS
    )
    expect(agreement.first).to_be_visible(timeout=LIVE_TIMEOUT_MS)  # the scores table, re-drawn
    expect(typing).to_have_value("Being typed (test)")
    assert "Alex" not in count.inner_text() and "Sam" not in count.inner_text()
    no_traceback(page)
    shot(page, "12-answers-arrive-live")


# ---- Product 2: buttons with an icon read as words -----------------------------------------------
def test_icon_buttons_read_as_words(app: App, page: Any) -> None:
    """No icon font is loaded (it would come from a CDN): the buttons say what they do in words."""
    from playwright.sync_api import expect

    open_product(
        page, f"{app.url}voila/render/02_health_priorities.ipynb?area={FRESH}", "Your priorities, most important first"
    )
    no_traceback(page)
    for name in ("Move up", "Move down"):
        button = page.get_by_role("button", name=name, exact=True)
        expect(button).to_be_visible()
        assert button.inner_text().strip() == name
        assert button.evaluate("b => [...b.querySelectorAll('i')].every(i => getComputedStyle(i).display === 'none')")
    shot(page, "08-product2-buttons")


# ---- Product 4: add a stakeholder, reload, find it kept ------------------------------------------
def test_add_stakeholder_then_reload_keeps_it(app: App, page: Any) -> None:
    from playwright.sync_api import expect

    open_product(page, f"{app.url}voila/render/03_successful_joint_working.ipynb?area={FRESH}", "New respondent")
    page.get_by_role("link", name="Next: 4. Who to engage with").first.click()  # the navigation keeps the area
    page.get_by_label("Role or name").wait_for(timeout=PAGE_TIMEOUT_MS)
    assert re.search(rf"04_who_to_engage\.ipynb\?area={FRESH}$", page.url)
    no_traceback(page)
    page.get_by_label("Role or name").fill("Head of midwifery (test)")
    page.get_by_label("Organisation").fill("Island hospital trust (test)")
    page.get_by_role("button", name="Add stakeholder").click()
    expect(status(page)).to_contain_text("Saved stakeholder Head of midwifery (test)")
    shot(page, "04-product4-added")

    stakeholders = app.plan(FRESH).who_to_engage.stakeholders
    assert [(s.role, s.organisation) for s in stakeholders] == [
        ("Head of midwifery (test)", "Island hospital trust (test)")
    ]
    page.reload()
    page.get_by_label("Role or name").wait_for(timeout=PAGE_TIMEOUT_MS)
    options = [
        o.replace("\xa0", " ") for o in page.get_by_label("Stakeholder").first.locator("option").all_inner_texts()
    ]
    assert "1. Head of midwifery (test) (Island hospital trust (test))" in options
    shot(page, "05-product4-after-reload")


# ---- Problems in plain English, never a traceback -----------------------------------------------
def test_unknown_area_is_explained(app: App, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app.url}voila/render/03_successful_joint_working.ipynb?area=Atlantis")
    expect(page.get_by_role("heading", name="We could not find that area")).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_text("What to do:")).to_be_visible()
    expect(page.get_by_role("link", name="Choose another area").first).to_be_visible()
    no_traceback(page)
    expect(page.locator('[data-mime-type="application/vnd.jupyter.stderr"]:visible')).to_have_count(0)
    assert page.title() == "Problem - jointwork"
    shot(page, "06-unknown-area")


def test_plan_that_does_not_load_is_explained(app: App, page: Any) -> None:
    from playwright.sync_api import expect

    page.goto(f"{app.url}voila/render/03_successful_joint_working.ipynb?area={BROKEN}")
    expect(
        page.get_by_role("heading", name="The plan for Bath and North East Somerset cannot be opened")
    ).to_be_visible(timeout=PAGE_TIMEOUT_MS)
    expect(page.get_by_text(f"{BROKEN}.yaml").first).to_be_visible()
    expect(page.get_by_text("What to do:")).to_be_visible()
    text = page.locator("body").inner_text()
    assert "line 6" in text and "sector" in text, "the message names the line and the field"
    no_traceback(page)
    shot(page, "07-broken-plan")
    page.goto(f"{app.url}?area={BROKEN}")
    expect(page.get_by_text("cannot be opened").first).to_be_visible()
    assert (app.workspace / "plans" / f"{BROKEN}.yaml").read_text(encoding="utf-8") == BROKEN_PLAN


# ---- Kernels: at most so many pages open; a page whose kernel has stopped says so -----------------
def test_page_cap_and_a_stopped_page_are_explained(browser: Any, tmp_path_factory: pytest.TempPathFactory) -> None:
    from playwright.sync_api import expect

    root = tmp_path_factory.mktemp("capped")
    workspace = root / "workspace"
    (workspace / "plans").mkdir(parents=True)
    with running_app(root, workspace, "app-capped-server.log", "--no-preheat", "--max-pages", "1") as (url, proc):
        first, second = browser.new_page(), browser.new_page()
        first.goto(f"{url}voila/render/08_find_out_more.ipynb?area={FRESH}")
        first.locator(FIRST_CONTROL).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        refused = second.goto(f"{url}voila/render/01_introduction.ipynb?area={FRESH}")
        assert refused is not None and refused.status == 503
        expect(second.get_by_role("heading", name="Too many pages are open")).to_be_visible()
        expect(second.get_by_text("at most 1 product page at once")).to_be_visible()
        expect(second.get_by_text("close the tab of a product page you are not using")).to_be_visible()
        assert (
            second.get_by_role("link", name="Back to the list of products").get_attribute("href") == f"/?area={FRESH}"
        )
        shot(second, "08-too-many-pages")
        first.close(run_before_unload=True)  # its kernel stops a few seconds later
        deadline = time.monotonic() + 60
        while (again := second.reload()) is not None and again.status == 503:
            assert time.monotonic() < deadline, "the closed page's kernel was not shut down"
            time.sleep(2)
        second.locator(FIRST_CONTROL).first.wait_for(timeout=PAGE_TIMEOUT_MS)
        expect(second.locator(".jw-ended")).to_have_count(0)
        _stop(proc)  # the app stops, and with it the page's kernel
        ended = second.locator(".jw-ended")
        expect(ended).to_be_visible(timeout=30_000)
        expect(ended).to_contain_text("This page has stopped")
        expect(ended.get_by_role("button", name="Reload the page")).to_be_visible()
        shot(second, "09-page-stopped")
        second.close()


# ---- Pages open on their exercise -----------------------------------------------------------------
def test_reference_is_folded_and_the_page_opens_on_its_exercise(app: App, page: Any) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 720})
    open_product(page, f"{app.url}voila/render/03_successful_joint_working.ipynb?area={FRESH}", "New respondent")
    folded = page.locator("details.jw-reference")
    expect(folded.first).to_be_visible()
    summaries = [s.strip() for s in folded.locator("> summary").all_inner_texts()]
    assert summaries[:3] == [
        "The factors and the rating scale (select to open)",
        "Barriers others met, then and now (select to open)",
        "Essential actions (select to open)",
    ]
    assert all(not box.evaluate("d => d.open") for box in folded.all()), "folded until opened"
    first = page.get_by_label("New respondent").first
    assert first.bounding_box()["y"] < 2 * 720, "the first control is within two screens of the top"
    shot(page, "10-opens-on-the-exercise")
    page.get_by_role("link", name="Jump to the exercise: Rate the factors").click()
    expect(page).to_have_url(re.compile(r"#jw-exercise$"))
    folded.first.locator("> summary").click()
    expect(folded.first.get_by_text("A shared vision written into joint plans").first).to_be_visible()


# ---- The presenter view, for the projector ----------------------------------------------------------
def test_presenter_view_large_type_one_finding_per_screen(app: App, page: Any) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app.url}?area={FRESH}")
    page.get_by_role("link", name="Presenter view of product 3, for the projector").click()
    expect(page.get_by_role("heading", name=re.compile("^3. Successful joint working"))).to_be_visible()
    # at least 24 px once the presenter's styles apply (on a busy machine they can land a moment after the heading)
    page.wait_for_function("parseFloat(getComputedStyle(document.body).fontSize) >= 24", timeout=10_000)
    page.keyboard.press("ArrowRight")
    expect(page.locator("#where")).to_have_text(re.compile(r"^2 of \d+$"))
    first = page.get_by_role("heading", name="Where the sectors disagree")
    expect(first).to_be_in_viewport()
    assert page.locator(".slide").nth(1).bounding_box()["height"] >= 680, "one finding per screen"
    shot(page, "11-presenter-view")
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#where")).to_have_text(re.compile(r"^1 of \d+$"))


# ---- phones in the room (issue 12) ---------------------------------------------------------------
ROOM_AREA = "E06000043"  # Brighton and Hove: no sample plan, and no other test uses it
PHONE = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 2.6, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="module")
def phones(chromium: str, playwright_driver: Any) -> Iterator[Any]:
    """A browser for the phones: each test makes its contexts (one per phone), checked like the app's."""
    escaped: list[str] = []
    browser = playwright_driver.chromium.launch(executable_path=chromium, headless=True, args=LOCAL_ONLY_CHROMIUM_ARGS)
    browser.escaped = escaped
    try:
        yield browser
    finally:
        browser.close()
    assert not escaped, f"a phone asked for something outside 127.0.0.1: {escaped}"


def phone(browser: Any, javascript: bool) -> Any:
    context = browser.new_context(**PHONE, java_script_enabled=javascript)
    context.on("request", lambda r: browser.escaped.append(r.url) if leaves_the_machine(r.url) else None)
    context.set_default_timeout(30_000)
    return context.new_page()


def answer_every_screen(page: Any, score: str, evidence: str = "") -> None:
    """On a phone: pick ``score`` for every factor, screen by screen, until the "saved" page."""
    from playwright.sync_api import expect

    while True:
        for group in page.locator("fieldset.question").all():
            group.locator("label.choice", has_text=re.compile(rf"^\s*{score} ")).click()
        if evidence:
            page.locator("textarea").first.fill(evidence)
            evidence = ""
        last = page.get_by_role("button", name="Save and finish").count() == 1
        page.get_by_role("button", name=re.compile("^Save and (go on|finish)$")).click()
        if last:
            expect(page.get_by_role("heading", name="Thank you: your answers are saved")).to_be_visible()
            return


def test_phones_answer_the_room_counts_them_and_the_presenter_shows_them(app: App, page: Any, phones: Any) -> None:
    from playwright.sync_api import expect

    from jointwork.core.responses import ResponseStore
    from jointwork.products import get_product

    page.goto(f"{app.url}?area={ROOM_AREA}")
    page.get_by_role("link", name="Answer product 3 from phones: open a round to the room").click()
    page.get_by_label("New round").fill("Workshop, December 2026")
    page.get_by_role("button", name="Open it and let phones answer").click()
    join = page.locator("p.address").inner_text()
    assert join.startswith(f"{app.share_url}/j/") and len(join.rsplit("/", 1)[1]) == 26
    expect(page.get_by_role("img", name="QR code of the join address")).to_be_visible()
    shot(page, "13-room-page-shared")
    count = page.locator("p.count").first

    no_script, named, changer = phone(phones, False), phone(phones, True), phone(phones, True)
    for device, sector, name in (
        (no_script, "Health", ""),
        (named, "Local authority", "Ann Example"),
        (changer, "Health", ""),
    ):
        if device is changer:  # joins by typing the workshop code on the service's first page
            device.goto(f"{app.share_url}/")
            typed = page.locator("code.code").inner_text()  # in groups of four, as shown on the screen
            device.get_by_label("Workshop code").fill(typed.lower())
            device.get_by_role("button", name="Join").click()
        else:
            device.goto(join)
        device.get_by_label(sector, exact=True).check()
        if name:
            device.get_by_label("Your name (optional)").fill(name)
        device.get_by_role("button", name="Save and go to the questions").click()
        expect(device.locator("p.progress")).to_have_text("Screen 1 of 6")
    width = no_script.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "no sideways scrolling on a phone"
    assert no_script.locator("label.choice").first.bounding_box()["height"] >= 48, "large touch targets"
    shot(no_script, "14-phone-first-screen")
    answer_every_screen(no_script, "1", evidence="<b>Clinics</b> run in two hubs")
    answer_every_screen(named, "4")
    answer_every_screen(changer, "2")
    shot(changer, "15-phone-saved")
    expect(count).to_have_text(
        "3 have answered in round 'Workshop, December 2026': Local authority 1, Health 2.", timeout=15_000
    )

    changer.get_by_role("link", name=re.compile("^Recognise")).click()  # back to the first screen
    changer.locator("fieldset.question").first.locator("label.choice", has_text=re.compile(r"^\s*3 ")).click()
    changer.get_by_role("button", name="Save and go on").click()
    store = ResponseStore(app.workspace)
    [round_] = store.rounds(ROOM_AREA, "successful_joint_working")
    answers = {r.label: r for r in store.responses(ROOM_AREA, "successful_joint_working", round_.id)}
    assert sorted(answers) == ["Ann Example", "Respondent 1", "Respondent 2"]
    first_factor = get_product(3).questionnaire.question_ids()[0]
    assert answers["Respondent 2"].value(first_factor) == 3, "the changed answer replaced the first"
    assert answers["Respondent 1"].note(first_factor) == "<b>Clinics</b> run in two hubs"

    no_script.goto(join)  # a late answer: the form is open on the phone while the round closes
    no_script.get_by_role("button", name="Save and go to the questions").click()
    no_script.locator("textarea").first.fill("sent after the close")
    page.get_by_role("button", name="Close the round").click()
    page.get_by_role("button", name="Yes, close the round").click()  # it asks first
    expect(page.get_by_role("status")).to_contain_text("Closed 'Workshop, December 2026'")
    no_script.get_by_role("button", name="Save and go on").click()
    expect(no_script.get_by_role("alert")).to_contain_text("the round may have closed")
    expect(no_script.locator("pre.typed")).to_have_text("sent after the close")
    shot(no_script, "16-phone-late-answer-refused")
    assert (
        store.responses(ROOM_AREA, "successful_joint_working", round_.id)[0].note(first_factor)
        != "sent after the close"
    )

    page.goto(f"{app.url}present?area={ROOM_AREA}&product=3")
    expect(page.get_by_role("heading", name="Scores by factor and sector")).to_be_attached()
    assert "Workshop, December 2026" in page.content() and "fewer than 3 people" in page.content()
    shot(page, "17-presenter-after-phones")
    for device in (no_script, named, changer):
        device.context.close()


def test_the_respondent_port_of_the_real_app_serves_no_jupyter_or_voila(app: App) -> None:
    """`jointwork app --share` itself: on its respondent port, the app's and Voila's paths are 404,
    while the same paths answer on the app's own port (so the 404s are not an accident of the test)."""
    import httpx

    paths = [
        "voila/templates/jointwork/static/jointwork.js",
        "voila/render/03_successful_joint_working.ipynb",
        f"room?area={ROOM_AREA}&product=3",
        f"session?area={ROOM_AREA}",
        f"present?area={ROOM_AREA}&product=3",
        f"jointwork/download/{ROOM_AREA}/workbook.xlsx",
    ]
    with httpx.Client(trust_env=False, timeout=60) as client:
        for path in paths:
            assert client.get(app.url + path).status_code == 200, path
            reply = client.get(f"{app.share_url}/{path}")
            assert reply.status_code == 404 and "Server" not in reply.headers, path
            if not path.startswith("voila/"):  # the app's own pages (Voila's static files are not secret)
                rebound = client.get(app.url + path, headers={"Host": "evil.example"})  # DNS rebinding
                assert rebound.status_code == 403 and "Workshop" not in rebound.text, path
        for path in ("api/kernels", "api/contents", "api/sessions", "voila/api/shutdown/x", "voila/static/voila.js"):
            assert client.get(f"{app.share_url}/{path}").status_code == 404, path
            assert client.post(f"{app.share_url}/{path}").status_code == 404, path


def test_a_phone_ranks_product_2_and_the_room_counts_it(app: App, page: Any, phones: Any) -> None:
    from playwright.sync_api import expect

    from jointwork.core.responses import ResponseStore
    from jointwork.products import get_product

    objectives = get_product(2).questionnaire.questions()
    page.goto(f"{app.url}room?area={ROOM_AREA}&product=2")
    page.get_by_label("New round").fill("Priorities, December 2026")
    page.get_by_role("button", name="Open it and let phones answer").click()
    join = page.locator("p.address").inner_text()
    device = phone(phones, False)
    device.goto(join)
    device.get_by_label("Other", exact=True).check()
    device.get_by_role("button", name="Save and go to the questions").click()
    ranks = device.get_by_label("Rank")
    assert ranks.count() == len(objectives), "one rank box per objective"
    expect(device.get_by_label(f"Rank for {objectives[0].title}")).to_have_count(1)  # names its objective
    ranks.nth(0).select_option("1")
    ranks.nth(1).select_option("1")  # the same rank twice: refused on the form, what was chosen kept
    device.get_by_role("button", name="Save and finish").click()
    expect(device.get_by_role("alert")).to_contain_text("is also given to")
    assert ranks.nth(0).input_value() == "1" and ranks.nth(1).input_value() == "1"
    ranks.nth(1).select_option("2")
    device.get_by_role("button", name="Save and finish").click()
    expect(device.get_by_role("heading", name="Thank you: your answers are saved")).to_be_visible()
    expect(page.locator("p.count").first).to_have_text(
        "1 has answered in round 'Priorities, December 2026': Other 1.", timeout=15_000
    )
    [round_] = ResponseStore(app.workspace).rounds(ROOM_AREA, "health_priorities")
    [saved] = ResponseStore(app.workspace).responses(ROOM_AREA, "health_priorities", round_.id)
    assert (saved.value(objectives[0].id), saved.value(objectives[1].id)) == (1, 2)
    device.context.close()


def test_each_sample_report_prints_on_at_most_ten_a4_pages_with_nothing_cut_off(browser: Any) -> None:
    """The short report's print view, printed by Chromium as a reader would (A4, the page's own margins)."""
    import yaml

    from jointwork.core.areas import find_area
    from jointwork.core.responses import ResponseStore
    from jointwork.papers.html import report_html
    from jointwork.products import Plan

    from conftest import SAMPLES

    page = browser.new_page()
    try:
        for path in sorted(SAMPLES.glob("*.yaml")):
            plan = Plan.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
            responses = ResponseStore(SAMPLES.parent).area(path.stem)
            page.set_content(report_html(find_area(path.stem), plan, responses).decode("utf-8"))
            page.emulate_media(media="print")
            page.set_viewport_size({"width": 718, "height": 1000})  # A4's width inside 12 mm margins, at 96 dpi
            overflowing = page.evaluate(
                "() => [...document.querySelectorAll('table, figure')]"
                ".filter(e => e.scrollWidth > document.body.clientWidth + 1)"
                ".map(e => (e.querySelector('caption, figcaption') || e).textContent.slice(0, 60))"
            )
            assert overflowing == [], f"{path.stem}: wider than the page: {overflowing}"
            pdf = page.pdf(prefer_css_page_size=True)
            pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
            assert 3 <= pages <= 10, f"{path.stem}'s report prints on {pages} A4 pages"
    finally:
        page.close()
