"""Facilitator mode (`jointwork app`), without a browser: the area from the query string, the
navigation bar, the start page, plain-English problems instead of tracebacks, the jointwork Voila
template and its files, the Voila settings, the command line, and the workbook behaviour the app
relies on (see test_app_browser.py for the same in a real browser)."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
from datetime import UTC
from pathlib import Path
from typing import Any

import nbformat
import pytest

from jointwork.app import kernel as app
from jointwork.app import pages, server, start
from jointwork.app.limits import KernelLimits
from jointwork.cli import build_parser, main
from jointwork.core.areas import find_area
from jointwork.core.errors import JointworkError
from jointwork.core.paths import notebooks_dir
from jointwork.core.store import PlanStore
from jointwork.products import PRODUCTS, get_product, plan_store
from jointwork.products import successful_joint_working as p3
from jointwork.session import open_workbook
from jointwork.workshop.workbook import HOW_TO_USE, Workbook

BROKEN = (
    "schema_version: 1\narea_code: E06000022\nsuccessful_joint_working:\n  respondents:\n"
    "  - name: A\n    sector: halth\n"
)
P3_PAGE = "/voila/render/03_successful_joint_working.ipynb"
APP_PACKAGE = Path(app.__file__).parent
TEMPLATE = pages.TEMPLATE_DIR


@pytest.fixture
def in_app(monkeypatch: pytest.MonkeyPatch, workspace: Path) -> pytest.MonkeyPatch:
    """The environment of a kernel the app started for a request (not a preheated one)."""
    monkeypatch.setenv(app.APP_ENV, "1")
    monkeypatch.setenv("JOINTWORK_SESSION", "app")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("VOILA_BASE_URL", "/")
    monkeypatch.setenv("SCRIPT_NAME", P3_PAGE)
    monkeypatch.setenv("QUERY_STRING", "area=E06000026")
    return monkeypatch


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the app displays in the notebook (IPython's display), as HTML."""
    out: list[str] = []
    monkeypatch.setattr("IPython.display.display", lambda obj, **_: out.append(obj.data))
    return out


class TestQueryString:
    @pytest.mark.parametrize(
        "query, expected",
        [
            ("area=E06000045", "E06000045"),
            ("area=Southampton%20%28E06000045%29&theme=dark", "Southampton (E06000045)"),
            ("area=+plymouth+", "plymouth"),
            ("x=1", ""),
            ("", ""),
        ],
    )
    def test_area_from_query_string(self, query: str, expected: str) -> None:
        assert app.query_area(query) == expected

    def test_overlong_query_is_cut(self) -> None:
        assert len(app.query_area("area=" + "x" * 5000)) == 100

    @pytest.mark.parametrize(
        "text, key",
        [
            ("Southampton (E06000045)", "E06000045"),
            ("E06000045", "E06000045"),
            (" Plymouth ", "Plymouth"),
            ("Bath (old)", "Bath (old)"),
        ],
    )
    def test_area_key(self, text: str, key: str) -> None:
        assert app.area_key(text) == key

    def test_product_from_request_path(self) -> None:
        assert app.current_product(P3_PAGE) == get_product(3)
        assert app.current_product("/voila/render/00_start.ipynb") is None
        assert app.current_product("") is None


class TestWaitForRequest:
    def test_preheated_kernel_gets_the_request_from_voila(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """The kernel side of Voila's /voila/query/<kernel id> websocket, against a stand-in server."""
        import threading

        from websockets.sync.server import serve

        asked: list[str] = []

        def voila(connection: Any) -> None:
            asked.append(connection.request.path)
            connection.send(json.dumps({"QUERY_STRING": "area=E06000026", "SCRIPT_NAME": P3_PAGE}))

        with serve(voila, "127.0.0.1", 0) as server:
            threading.Thread(target=server.serve_forever, daemon=True).start()
            for key, value in {
                "VOILA_PREHEAT": "True",
                "VOILA_APP_PORT": str(server.socket.getsockname()[1]),
                "VOILA_SERVER_URL": "/",
                "VOILA_KERNEL_ID": "1234-abcd",
                "QUERY_STRING": "",
                "SCRIPT_NAME": "",
            }.items():
                monkeypatch.setenv(key, value)
            monkeypatch.setattr(app, "warm_up", lambda: None)
            app.wait_for_request()
            server.shutdown()
        assert asked == ["/voila/query/1234-abcd"]
        assert app.query_area() == "E06000026" and app.current_product() == get_product(3)

    def test_kernel_started_for_the_request_does_not_wait(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv("VOILA_PREHEAT", "False")
        monkeypatch.setattr(app, "warm_up", lambda: pytest.fail("no warm-up outside a kernel pool"))
        app.wait_for_request()


class TestNavigation:
    def test_links_keep_the_area(self) -> None:
        nav = app.nav_bar(get_product(3), find_area("E06000045")).markup
        assert 'href="/voila/render/02_health_priorities.ipynb?area=E06000045" rel="prev"' in nav
        assert 'href="/voila/render/04_who_to_engage.ipynb?area=E06000045" rel="next"' in nav
        assert 'href="/?area=E06000045">All products for Southampton<' in nav
        assert 'href="/">Choose another area<' in nav
        assert 'aria-label="Products"' in nav
        assert 'href="/room?area=E06000045&amp;product=3">Answer from phones<' in nav
        assert "Answer from phones" not in app.nav_bar(get_product(4), find_area("E06000045")).text

    def test_first_and_last_products(self) -> None:
        products = app.app_products()
        area = find_area("E06000045")
        assert "Previous:" not in app.nav_bar(products[0], area).text
        assert "Next:" not in app.nav_bar(products[-1], area).text
        assert f"Previous: {app.short_title(products[-2])}" in app.nav_bar(products[-1], area).text

    def test_base_url_is_kept(self) -> None:
        nav = app.nav_bar(get_product(3), find_area("E06000045"), base="/jw/").markup
        assert 'href="/jw/voila/render/04_who_to_engage.ipynb?area=E06000045"' in nav
        assert app.base_url({"VOILA_BASE_URL": "/jw"}) == "/jw/"

    def test_the_app_shows_every_product(self) -> None:
        assert app.app_products() == list(PRODUCTS), "a product's notebook is missing"

    def test_the_page_is_named_by_the_navigation_bar(self) -> None:
        top = app.page_top(get_product(3), find_area("E06000045")).markup
        assert 'data-jw-title="3. Successful joint working needs... - Southampton - jointwork"' in top
        assert "data-jw-title" not in app.nav_bar(get_product(3), find_area("E06000045")).markup
        assert app.page_top(None, find_area("E06000045"), "/").text == app.nav_bar(None, find_area("E06000045")).text


class TestStartPage:
    def test_search_box_with_every_area(self, workspace: Path) -> None:
        page = start.start_page(None, workspace)
        assert '<label for="area">Your area</label>' in page and 'id="area" name="area" list="areas"' in page
        assert '<option value="Southampton (E06000045)">' in page
        assert '<html lang="en">' in page and "<title>Choose an area - jointwork</title>" in page
        assert '<link rel="stylesheet" href="/voila/templates/jointwork/static/start.css">' in page
        assert "<style" not in page and "<script" not in page

    def test_chosen_area_links_to_each_product(self, workspace: Path) -> None:
        page = start.start_page("Southampton (E06000045)", workspace)
        assert '<h2 id="chosen">Southampton (E06000045)</h2>' in page
        for product in app.app_products():
            assert f'href="/voila/render/{product.notebook}?area=E06000045"' in page
        assert "no saved plan yet" in page

    def test_sample_plan_is_called_illustrative(self, sample_workspace: Path) -> None:
        assert "illustrative" in start.start_page("E06000045", sample_workspace)

    def test_saved_plan_is_named(self, sample_workspace: Path, workspace: Path) -> None:
        store = plan_store(workspace)
        sample = plan_store(sample_workspace).load("E06000045")
        store.save(sample.model_copy(update={"illustrative": False}))
        page = start.start_page("E06000045", workspace)
        assert "This area has a saved plan" in page and "illustrative" not in page

    def test_search_lists_matches(self, workspace: Path) -> None:
        page = start.start_page("isle", workspace)
        assert "<p>Areas that match 'isle':</p>" in page
        assert 'href="/?area=E06000046">Isle of Wight (E06000046)</a>' in page
        assert 'href="/?area=E06000053">Isles of Scilly (E06000053)</a>' in page
        assert 'value="isle"' in page, "what was typed stays in the box"

    def test_near_miss_gets_suggestions(self, workspace: Path) -> None:
        page = start.start_page("Southamptn", workspace)
        assert "<p>Did you mean:</p>" in page and 'href="/?area=E06000045">Southampton (E06000045)</a>' in page

    def test_base_url_is_kept(self, workspace: Path) -> None:
        page = start.start_page("E06000045", workspace, base="/jw/")
        assert 'href="/jw/voila/render/03_successful_joint_working.ipynb?area=E06000045"' in page
        assert 'href="/jw/voila/templates/jointwork/static/start.css"' in page and 'action="/jw/"' in page

    def test_unique_match_is_chosen(self, workspace: Path) -> None:
        assert '<h2 id="chosen">Hartlepool (E06000001)</h2>' in start.start_page("hartle", workspace)

    def test_no_match_in_words(self, workspace: Path) -> None:
        page = start.start_page('<Atlantis "x">', workspace)
        assert "No English upper-tier local authority is called '&lt;Atlantis &#34;x&#34;&gt;'" in page
        assert 'value="&lt;Atlantis &#34;x&#34;&gt;"' in page
        assert "<Atlantis" not in page and "Traceback" not in page

    def test_broken_plan_in_words(self, workspace: Path) -> None:
        (workspace / "plans" / "E06000022.yaml").write_text(BROKEN, encoding="utf-8")
        page = start.start_page("E06000022", workspace)
        assert "cannot be opened" in page and "line 6" in page and "What to do:" in page
        assert str(workspace / "plans" / "E06000022.yaml") in page
        assert "Traceback" not in page


class TestOpenWorkbookInTheApp:
    def test_area_comes_from_the_query_string(self, in_app: pytest.MonkeyPatch, sample_workspace: Path) -> None:
        wb = open_workbook("E06000045", "", interactive=False)
        assert wb.area.code == "E06000026" and wb.interactive and wb.surface == "app"
        header = wb.header()
        assert 'rel="next"' in header.markup and "04_who_to_engage.ipynb?area=E06000026" in header.markup
        assert 'data-jw-title="3. Successful joint working needs... - Plymouth - jointwork"' in header.markup
        assert "Plymouth (E06000026)" in header.text and HOW_TO_USE["app"] in header.text
        assert "<script" not in header.markup and "<style" not in header.markup, "those are the template's"

    def test_falls_back_to_the_notebook_parameter(self, in_app: pytest.MonkeyPatch) -> None:
        in_app.setenv("QUERY_STRING", "")
        assert open_workbook("E06000045").area.code == "E06000045"

    def test_list_label_from_the_start_page(self, in_app: pytest.MonkeyPatch) -> None:
        in_app.setenv("QUERY_STRING", "area=Isle+of+Wight+%28E06000046%29")
        assert open_workbook("E06000045").area.code == "E06000046"

    def test_not_in_the_app_without_voila(self, monkeypatch: pytest.MonkeyPatch, workspace: Path) -> None:
        monkeypatch.setenv(app.APP_ENV, "1")  # JupyterLab or a batch run started from the app's shell
        monkeypatch.delenv("VOILA_PREHEAT", raising=False)
        monkeypatch.setenv("QUERY_STRING", "area=E06000026")
        wb = open_workbook("E06000045")
        assert wb.area.code == "E06000045" and not wb.interactive and wb.page_top is None

    def test_unknown_area_is_explained_not_raised(self, in_app: pytest.MonkeyPatch, shown: list[str]) -> None:
        in_app.setenv("QUERY_STRING", "area=Atlantis")
        with pytest.raises(app.AppStop) as stopped:
            open_workbook("E06000045")
        page = "".join(shown)
        assert "We could not find that area" in page and "What to do:" in page and "Atlantis" in page
        assert 'href="/">Choose another area' in page
        assert 'data-jw-title="Problem - jointwork"' in page and 'class="jw-problem"' in page
        assert "Traceback" not in page
        assert stopped.value._render_traceback_() == [str(stopped.value)]

    def test_suggestions_for_a_near_miss(self, in_app: pytest.MonkeyPatch, shown: list[str]) -> None:
        in_app.setenv("QUERY_STRING", "area=Southamptn")
        with pytest.raises(app.AppStop):
            open_workbook("E06000045")
        assert 'href="/?area=E06000045">Southampton (E06000045)</a>' in "".join(shown)

    def test_broken_plan_is_explained(self, in_app: pytest.MonkeyPatch, workspace: Path, shown: list[str]) -> None:
        path = workspace / "plans" / "E06000022.yaml"
        path.write_text(BROKEN, encoding="utf-8")
        in_app.setenv("QUERY_STRING", "area=E06000022")
        with pytest.raises(app.AppStop) as stopped:
            open_workbook("E06000045")
        page = "".join(shown)
        assert "The plan for Bath and North East Somerset cannot be opened" in page
        assert str(path) in page and "line 6" in page and "jointwork restore E06000022" in page
        assert "The file:" in str(stopped.value) and "What to do:" in str(stopped.value)
        assert path.read_text(encoding="utf-8") == BROKEN, "nothing is written"

    def test_unreadable_plan_is_explained(
        self, in_app: pytest.MonkeyPatch, workspace: Path, shown: list[str], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        def refuse(self: PlanStore, code: str) -> Any:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(PlanStore, "load_or_new", refuse)
        with pytest.raises(app.AppStop):
            open_workbook("E06000045")
        page = "".join(shown)
        assert "could not be opened (Permission denied)" in page and "E06000026.yaml" in page


class TestTemplate:
    """The jointwork Voila template: Voila's lab template with the app's files, nothing from a CDN."""

    def test_extends_voila_lab_template(self) -> None:
        assert json.loads((TEMPLATE / "conf.json").read_text(encoding="utf-8")) == {"base_template": "lab"}
        page = (TEMPLATE / "index.html.j2").read_text(encoding="utf-8")
        assert "{%- extends 'lab/index.html.j2' -%}" in page
        for block in ("notebook_css", "html_head_js", "html_head_js_mermaidjs"):
            assert re.search(r"{%-? block " + block + r" -?%}", page), block
        assert "super.super()" in page, "the notebook_css of nbconvert's lab template, without Voila's CDN links"
        assert "static/jointwork.js" in page and "static/jointwork.css" in page

    def test_nothing_from_outside(self) -> None:
        for path in TEMPLATE.rglob("*"):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), f"{path.name} names a web address"

    def test_voila_finds_the_template_first(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from voila.paths import collect_static_paths, collect_template_paths

        monkeypatch.setenv("JUPYTER_PATH", "/elsewhere")
        server.use_template_folder()
        server.use_template_folder()  # once is enough
        assert server.os.environ["JUPYTER_PATH"].split(server.os.pathsep) == [str(server.SHARE_DIR), "/elsewhere"]
        paths = collect_template_paths(["voila", "nbconvert"], "jointwork", prune=True)
        assert paths[0] == str(TEMPLATE)
        assert any(p.endswith("voila/templates/lab") for p in paths), "it is based on Voila's lab template"
        statics = collect_static_paths(["voila", "nbconvert"], "jointwork")
        assert statics[0] == str(TEMPLATE / "static")

    def test_error_pages_have_no_cdn_either(self) -> None:
        page = (TEMPLATE / "page.html").read_text(encoding="utf-8")
        assert "{% block body %}" in page and "<link" not in page


class TestPageFiles:
    def test_script_is_valid_javascript(self) -> None:
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            pytest.skip("Node.js is not installed (the browser tests run the script too)")
        result = subprocess.run(
            [node, "--check", str(TEMPLATE / "static" / "jointwork.js")], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr

    def test_script_is_plain_es5_with_its_settings(self) -> None:
        script = (TEMPLATE / "static" / "jointwork.js").read_text(encoding="utf-8")
        code = re.sub(r"//[^\n]*|/\*.*?\*/", "", script, flags=re.S)
        for modern in ("=>", "`", "let ", "const ", "class ", "async ", "import "):
            assert modern not in code, f"not ES5: {modern!r}"
        assert "var PAUSE_MS = 700;" in script and "var SPACE_PAUSE_MS = 2500;" in script
        assert 'getAttribute("data-unexpected")' in script and 'getAttribute("data-jw-title")' in script
        assert 'data-unexpected="{{ resources.jointwork.unexpected' in (TEMPLATE / "index.html.j2").read_text(
            encoding="utf-8"
        )
        assert 'getAttribute("data-idle-minutes")' in script
        assert server.voila_config().VoilaConfiguration.resources == {
            "jointwork": {"unexpected": server.UNEXPECTED, "idle_minutes": 60}
        }

    def test_styles_hide_voila_error_under_a_problem(self) -> None:
        css = (TEMPLATE / "static" / "jointwork.css").read_text(encoding="utf-8")
        assert (
            '.jp-Notebook:has(.jw-problem) [data-mime-type="application/vnd.jupyter.stderr"] '
            "{ display: none !important; }"
        ) in css
        assert ".jw-problem {" in css and ".jw-nav ul {" in css and ".jw-status {" in css
        assert ".jw-problem {" in (TEMPLATE / "static" / "start.css").read_text(encoding="utf-8")

    def test_no_javascript_or_css_in_python(self) -> None:
        rule = re.compile(r"\{\s*[a-z-]+\s*:\s*[^;{}\n]+;")  # "{ color: red;" as in a style sheet
        for path in APP_PACKAGE.rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for found in ("<script", "<style", "style=", "javascript:", "addEventListener"):
                assert found not in text, f"{path.name} has {found!r}: it belongs in the template's files"
            assert not rule.search(text), f"{path.name} has a CSS rule: {rule.search(text).group(0)!r}"


class TestNotebookWording:
    def test_notebooks_give_no_instructions_for_code(self) -> None:
        """The app shows the notebooks' markdown as it is (the header says how to use each surface)."""
        for path in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb")):
            nb = nbformat.read(path, 4)
            text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            for lab_only in ("Run All Cells", "run every cell", "code cell", "parameters cell", "In a batch run"):
                assert lab_only.lower() not in text.lower(), f"{path.name} says {lab_only!r}"


class TestServerSettings:
    def test_local_only_no_tracebacks_preheated(self) -> None:
        c = server.voila_config(9123, open_browser=False)
        assert c.Voila.ip == "127.0.0.1" and c.Voila.port == 9123 and c.Voila.port_retries == 0
        assert c.Voila.open_browser is False
        assert c.VoilaConfiguration.template == "jointwork" and c.VoilaConfiguration.allow_template_override == "NO"
        assert c.VoilaConfiguration.show_tracebacks is False and c.VoilaExecutor.show_tracebacks is False
        assert c.VoilaConfiguration.strip_sources is True
        assert c.VoilaConfiguration.preheat_kernel is True and c.VoilaConfiguration.default_pool_size == 1
        assert c.VoilaConfiguration.prelaunch_hook is None, "incompatible with preheated kernels"
        assert c.VoilaExecutor.cell_error_instruction == server.UNEXPECTED and "Reload the page" in server.UNEXPECTED

    def test_one_kernel_kept_ready_per_product_and_told_which(self) -> None:
        pools = server.voila_config(pool_size=2).VoilaKernelManager.kernel_pools_config
        assert pools["default"] == {"pool_size": 0}, "no kernels for other notebooks (templates)"
        for product in app.app_products():
            assert pools[product.notebook] == {
                "pool_size": 2,
                "kernel_env_variables": {app.NOTEBOOK_ENV: product.notebook},
            }

    def test_preheated_kernel_knows_its_product_before_the_request(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SCRIPT_NAME", raising=False)
        monkeypatch.setenv(app.NOTEBOOK_ENV, "04_who_to_engage.ipynb")
        assert app.current_product() == get_product(4)
        monkeypatch.setenv("SCRIPT_NAME", P3_PAGE)
        assert app.current_product() == get_product(3)

    def test_without_preheating(self) -> None:
        c = server.voila_config(preheat=False)
        assert c.VoilaConfiguration.preheat_kernel is False and c.VoilaConfiguration.default_pool_size == 0
        assert all(pool["pool_size"] == 0 for pool in c.VoilaKernelManager.kernel_pools_config.values())

    def test_handlers_are_module_level_classes(self) -> None:
        for cls in (server.StartPage, server.ToStart, server.LateShutdown, server.SettledPage, server.JointworkVoila):
            assert cls.__qualname__ == cls.__name__ and cls.__module__ == "jointwork.app.server"

    def test_port_in_use_is_explained(self) -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            with pytest.raises(JointworkError, match=f"port {port} on 127.0.0.1 is already in use"):
                server.check_port(port)


class TestLeavingPages:
    """A page opened just after another was left waits for that page's kernel to save what it was sent."""

    class Kernels(dict):
        def get_kernel(self, kernel_id: str) -> Any:
            return self[kernel_id]

    @staticmethod
    def kernel(state: str = "idle", seconds_ago: float = 10.0) -> Any:
        from datetime import datetime, timedelta
        from types import SimpleNamespace

        return SimpleNamespace(execution_state=state, last_activity=datetime.now(UTC) - timedelta(seconds=seconds_ago))

    def test_busy_while_saving(self) -> None:
        leaving = server.LeavingPages()
        kernels = self.Kernels(a=self.kernel("busy"), b=self.kernel(seconds_ago=0.0), c=self.kernel())
        assert not leaving.busy(kernels), "no page was left"
        leaving.left("c", typed=False)
        assert not leaving.busy(kernels), "an idle kernel that was sent nothing"
        for kernel_id in ("a", "b"):
            leaving.left(kernel_id, typed=False)
            assert leaving.busy(kernels)
            leaving.gone(kernel_id)
        assert not leaving.busy(kernels)

    def test_text_on_its_way(self, monkeypatch: pytest.MonkeyPatch) -> None:
        leaving = server.LeavingPages()
        kernels = self.Kernels(a=self.kernel())
        leaving.left("a", typed=True)
        assert leaving.busy(kernels), "the text has not reached the kernel yet"
        now = server.time.monotonic()
        monkeypatch.setattr(server.time, "monotonic", lambda: now + server.TYPED_ARRIVAL_S + 0.01)
        assert not leaving.busy(kernels)
        leaving.left("gone", typed=True)
        assert not leaving.busy(kernels), "a kernel already shut down"

    def test_settle_waits_at_most_the_limit(self, monkeypatch: pytest.MonkeyPatch) -> None:
        import asyncio
        import time

        monkeypatch.setattr(server, "SETTLE_LIMIT_S", 0.2)
        leaving = server.LeavingPages()
        kernels = self.Kernels(a=self.kernel("busy"))
        leaving.left("a", typed=False)
        started = time.monotonic()
        asyncio.run(leaving.settle(kernels))
        assert 0.2 <= time.monotonic() - started < 2
        kernels["a"] = self.kernel()
        started = time.monotonic()
        asyncio.run(leaving.settle(kernels))
        assert time.monotonic() - started < 0.1


class TestCommandLine:
    def test_app_subcommand(self, monkeypatch: pytest.MonkeyPatch, workspace: Path) -> None:
        calls: list[tuple[Any, ...]] = []
        monkeypatch.setattr(server, "serve", lambda *a, **k: calls.append((a, k)))
        assert main(["app", "--port", "9001", "--no-browser", "--workspace", str(workspace)]) == 0
        assert calls == [
            (
                (9001,),
                {
                    "open_browser": False,
                    "workspace": str(workspace),
                    "preheat": True,
                    "limits": KernelLimits(),
                    "share": None,
                },
            )
        ]
        calls.clear()
        main(["app", "--share", "--share-host", "127.0.0.1", "--share-port", "9002", "--workspace", str(workspace)])
        assert calls[0][1]["share"] == ("127.0.0.1", 9002), "the respondent service only with --share"

    def test_defaults(self) -> None:
        args = build_parser().parse_args(["app"])
        assert args.port == 8866 and not args.no_browser and not args.no_preheat

    def test_busy_port_is_an_error_message(self, capsys: pytest.CaptureFixture[str], workspace: Path) -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            code = main(["app", "--port", str(busy.getsockname()[1]), "--no-browser", "--workspace", str(workspace)])
        assert code == 1 and "already in use" in capsys.readouterr().err


def discuss(plan: Any, text: str) -> None:
    """Product 3's discussion note, as a text typed in several goes."""
    p3.section(plan).discussion = text


class TestWorkbookForWorkshops:
    """What the app relies on in `Workbook.edit`: words not tracebacks, a short history."""

    def wb(self, workspace: Path) -> Workbook:
        wb = Workbook(find_area("E06000045"), plan_store(workspace), interactive=True)
        wb.edit(lambda plan: p3.add_action(plan, "shared_vision", "Sam's action"), "Sam's action")
        return wb

    def test_a_note_saved_in_several_goes_is_one_version(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        store = wb.store
        before = len(store.history("E06000045"))
        for text in ("Min", "Minutes", "Minutes of the board"):
            wb.edit(lambda plan, t=text: discuss(plan, t), "the discussion")
        assert len(store.history("E06000045")) == before + 1
        assert store.load("E06000045").successful_joint_working.discussion == "Minutes of the board"
        wb.edit(lambda plan: p3.set_action_status(plan, 0, "done"), "Sam's action status")
        assert len(store.history("E06000045")) == before + 2

    def test_someone_elses_save_is_never_squashed(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        other = Workbook(find_area("E06000045"), plan_store(workspace), interactive=True)
        wb.edit(lambda plan: discuss(plan, "one"), "the discussion")
        other.edit(lambda plan: p3.add_action(plan, "shared_vision", "Kim's action"), "Kim's action")
        before = len(wb.store.history("E06000045"))
        wb.edit(lambda plan: discuss(plan, "two"), "the discussion")
        history = wb.store.history("E06000045")
        assert len(history) == before + 1, "the version with Kim is kept"
        assert "Kim" in history[0].path.read_text(encoding="utf-8")

    def test_refusal_names_the_field_in_words(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        assert not wb.edit(lambda plan: discuss(plan, "x" * 6000), "the discussion")
        assert "Not saved: discussion: String should have at most 5000 characters" in wb.status.value
        assert "pydantic" not in wb.status.value and "validation error" not in wb.status.value
        wb.edit(
            lambda plan: plan.successful_joint_working.actions.append(
                plan.successful_joint_working.actions[0].model_copy(update={"action": ""})
            ),
            "a blank action",
        )
        assert "Not saved: actions 2, action: String should have at least 1 character" in wb.status.value
        assert "change to /" not in wb.status.value

    def test_disk_problem_in_words(self, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        wb = self.wb(workspace)

        def full(*_a: Any, **_k: Any) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(PlanStore, "_write", full)
        assert not wb.edit(lambda plan: p3.add_action(plan, "shared_vision", "Jo's action"), "Jo's action")
        assert "Not saved:" in wb.status.value and "No space left on device" in wb.status.value
        assert "E06000045.yaml" in wb.status.value

    def test_a_bug_is_reported_in_words_in_a_workshop(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        assert not wb.edit(lambda plan: {}["missing"], "something")
        assert "Not saved: something unexpected went wrong (KeyError" in wb.status.value

    def test_a_bug_is_raised_in_a_batch_run(self, workspace: Path) -> None:
        wb = Workbook(find_area("E06000045"), plan_store(workspace), interactive=False)
        with pytest.raises(KeyError):
            wb.edit(lambda plan: {}["missing"], "something")

    def test_view_that_fails_to_redraw_keeps_the_save(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        calls = []

        def fragile(plan: Any) -> Any:
            calls.append(1)
            if len(calls) > 1:
                raise RuntimeError("boom")
            return p3.action_list(plan)

        wb.view(fragile)
        assert wb.edit(lambda plan: p3.add_action(plan, "shared_vision", "Jo's action"), "Jo's action")
        assert "Saved Jo&#x27;s action" in wb.status.value and "reload the page" in wb.status.value
        assert "Jo's action" in [a.action for a in wb.store.load("E06000045").successful_joint_working.actions]


class TestDownloads:
    def test_start_page_offers_the_papers(self, sample_workspace: Path) -> None:
        page = start.start_page("E06000045", sample_workspace, base="/jw/")
        assert 'href="/jw/jointwork/download/E06000045/workbook.xlsx" download="E06000045_workbook.xlsx"' in page

    def test_no_downloads_from_a_plan_that_cannot_be_read(self, workspace: Path) -> None:
        (workspace / "plans" / "E06000022.yaml").write_text(BROKEN, encoding="utf-8")
        assert "jointwork/download/" not in start.start_page("E06000022", workspace)

    def test_the_workbook_is_made_from_the_saved_plan(self, sample_workspace: Path) -> None:
        import io

        import openpyxl

        from jointwork.app.downloads import make_download

        reply = make_download(sample_workspace, "E06000045", "workbook.xlsx")
        assert reply.status == 200 and reply.headers["Content-Disposition"] == (
            'attachment; filename="E06000045_workbook.xlsx"'
        )
        assert reply.headers["Content-Type"].endswith("spreadsheetml.sheet")
        book = openpyxl.load_workbook(io.BytesIO(reply.body))
        assert "P3 Ratings" in book.sheetnames
        assert not list((sample_workspace).rglob("*.xlsx")), "nothing is written in the workspace"

    def test_problems_are_said_in_words(self, workspace: Path) -> None:
        from jointwork.app.downloads import make_download

        assert make_download(workspace, "E06000045", "secrets.txt").status == 404
        assert b"no download called" in make_download(workspace, "E06000045", "secrets.txt").body
        assert make_download(workspace, "E99999999", "workbook.xlsx").status == 404
        (workspace / "plans" / "E06000022.yaml").write_text(BROKEN, encoding="utf-8")
        broken = make_download(workspace, "E06000022", "workbook.xlsx")
        assert broken.status == 409 and b"cannot be read" in broken.body
        assert make_download(workspace, "E08000025", "workbook.xlsx").status == 200, "an area with no plan too"

    def test_the_server_routes_downloads(self, sample_workspace: Path) -> None:
        import asyncio
        import re

        import tornado.httpclient
        import tornado.web

        from jointwork.app.downloads import ROUTE, Download

        async def fetch() -> tornado.httpclient.HTTPResponse:
            application = tornado.web.Application([("/" + ROUTE, Download, {"workspace": str(sample_workspace)})])
            server = application.listen(0, address="127.0.0.1")
            port = next(iter(server._sockets.values())).getsockname()[1]
            try:
                client = tornado.httpclient.AsyncHTTPClient()
                return await client.fetch(f"http://127.0.0.1:{port}/jointwork/download/E06000045/workbook.xlsx")
            finally:
                server.stop()

        response = asyncio.run(fetch())
        assert response.code == 200 and response.body[:2] == b"PK"
        assert re.search(r"E06000045_workbook\.xlsx", response.headers["Content-Disposition"])
