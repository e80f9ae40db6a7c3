"""Facilitator mode (`jointwork app`), without a browser: the area from the query string, the
navigation bar, the start page, plain-English problems instead of tracebacks, the Voila settings,
the command line, and the workbook behaviour the app relies on (see test_app_browser.py for the
same in a real browser)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import nbformat
import pytest

from jointwork import app
from jointwork.cli import build_parser, main
from jointwork.errors import JointworkError
from jointwork.paths import notebooks_dir
from jointwork.products import get_product
from jointwork.products import successful_joint_working as p3
from jointwork.store import PlanStore
from jointwork.workbook import Workbook, open_workbook
from jointwork.areas import find_area

BROKEN = "schema_version: 1\narea_code: E06000022\nsuccessful_joint_working:\n  respondents:\n  - name: A\n    sector: halth\n"
P3_PAGE = "/voila/render/03_successful_joint_working.ipynb"


@pytest.fixture
def in_app(monkeypatch: pytest.MonkeyPatch, workspace: Path) -> pytest.MonkeyPatch:
    """The environment of a kernel the app started for a request (not a preheated one)."""
    monkeypatch.setenv(app.APP_ENV, "1")
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
    @pytest.mark.parametrize("query, expected", [
        ("area=E06000045", "E06000045"),
        ("area=Southampton%20%28E06000045%29&theme=dark", "Southampton (E06000045)"),
        ("area=+plymouth+", "plymouth"),
        ("x=1", ""),
        ("", ""),
    ])
    def test_area_from_query_string(self, query: str, expected: str) -> None:
        assert app.query_area(query) == expected

    def test_overlong_query_is_cut(self) -> None:
        assert len(app.query_area("area=" + "x" * 5000)) == 100

    @pytest.mark.parametrize("text, key", [("Southampton (E06000045)", "E06000045"), ("E06000045", "E06000045"),
                                           (" Plymouth ", "Plymouth"), ("Bath (old)", "Bath (old)")])
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
            for key, value in {"VOILA_PREHEAT": "True", "VOILA_APP_PORT": str(server.socket.getsockname()[1]),
                               "VOILA_SERVER_URL": "/", "VOILA_KERNEL_ID": "1234-abcd", "QUERY_STRING": "",
                               "SCRIPT_NAME": ""}.items():
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

    def test_every_product_in_the_app_has_a_notebook(self) -> None:
        assert app.app_products(), "no products"
        for product in app.app_products():
            assert (notebooks_dir() / product.notebook).is_file()


class TestStartPage:
    def test_search_box_with_every_area(self, workspace: Path) -> None:
        page = app.start_page(None, workspace)
        assert '<label for="area">Your area</label>' in page and 'id="area" name="area" list="areas"' in page
        assert '<option value="Southampton (E06000045)">' in page
        assert '<html lang="en">' in page

    def test_chosen_area_links_to_each_product(self, workspace: Path) -> None:
        page = app.start_page("Southampton (E06000045)", workspace)
        assert "<h2 id=\"chosen\">Southampton (E06000045)</h2>" in page
        for product in app.app_products():
            assert f'href="/voila/render/{product.notebook}?area=E06000045"' in page
        assert "no saved plan yet" in page

    def test_sample_plan_is_called_illustrative(self, sample_workspace: Path) -> None:
        assert "illustrative" in app.start_page("E06000045", sample_workspace)

    def test_search_lists_matches(self, workspace: Path) -> None:
        page = app.start_page("isle", workspace)
        assert 'href="/?area=E06000046">Isle of Wight (E06000046)</a>' in page
        assert 'href="/?area=E06000053">Isles of Scilly (E06000053)</a>' in page

    def test_unique_match_is_chosen(self, workspace: Path) -> None:
        assert "<h2 id=\"chosen\">Hartlepool (E06000001)</h2>" in app.start_page("hartle", workspace)

    def test_no_match_in_words(self, workspace: Path) -> None:
        page = app.start_page("<Atlantis>", workspace)
        assert "No English upper-tier local authority is called '&lt;Atlantis&gt;'" in page
        assert "<Atlantis>" not in page and "Traceback" not in page

    def test_broken_plan_in_words(self, workspace: Path) -> None:
        (workspace / "plans" / "E06000022.yaml").write_text(BROKEN, encoding="utf-8")
        page = app.start_page("E06000022", workspace)
        assert "cannot be opened" in page and "line 6" in page and "What to do:" in page
        assert str(workspace / "plans" / "E06000022.yaml") in page
        assert "Traceback" not in page


class TestOpenWorkbookInTheApp:
    def test_area_comes_from_the_query_string(self, in_app: pytest.MonkeyPatch, sample_workspace: Path) -> None:
        wb = open_workbook("E06000045", "", interactive=False)
        assert wb.area.code == "E06000026" and wb.interactive
        header = wb.header()
        assert 'rel="next"' in header.markup and "04_who_to_engage.ipynb?area=E06000026" in header.markup
        assert "<script>" in header.markup and "Plymouth (E06000026)" in header.text
        assert "__jointworkApp" not in header.text, "the script is not part of the text version"

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
        assert 'display:none' in page, "Voila's own error box is hidden"
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

    def test_unreadable_plan_is_explained(self, in_app: pytest.MonkeyPatch, workspace: Path, shown: list[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
        def refuse(self: PlanStore, code: str) -> Any:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(PlanStore, "load_or_new", refuse)
        with pytest.raises(app.AppStop):
            open_workbook("E06000045")
        page = "".join(shown)
        assert "could not be opened (Permission denied)" in page and "E06000026.yaml" in page


class TestPageScript:
    def test_is_valid_javascript(self, tmp_path: Path) -> None:
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            pytest.skip("Node.js is not installed (the browser tests run the script too)")
        markup = app.page_assets("3. Title - Area - jointwork").markup
        script = markup.split("<script>", 1)[1].rsplit("</script>", 1)[0]
        (tmp_path / "page.js").write_text(script, encoding="utf-8")
        result = subprocess.run([node, "--check", str(tmp_path / "page.js")], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    def test_settings_reach_the_script(self) -> None:
        markup = app.page_assets("A 'quoted' </script> title").markup
        assert f"PAUSE_MS = {app.PAUSE_MS}, SPACE_PAUSE_MS = {app.SPACE_PAUSE_MS}" in markup
        assert markup.count("</script>") == 1, "the title cannot end the script early"
        assert '"A \'quoted\' <\\/script> title"' in markup and app.UNEXPECTED in markup
        assert app.page_assets().text == "", "no text of its own in batch outputs or text views"


class TestWording:
    def test_lab_instructions_are_rewritten_for_the_app(self) -> None:
        for path in sorted(notebooks_dir().glob("[0-9][0-9]_*.ipynb")):
            model = app.app_notebook({"type": "notebook", "content": nbformat.read(path, 4)})
            text = "\n".join(c.source for c in model["content"].cells if c.cell_type == "markdown")
            for lab_only in ("Run All Cells", "code cell", "In a batch run"):
                assert lab_only not in text, f"{path.name} still says {lab_only!r} in the app"

    def test_code_cells_untouched(self) -> None:
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("# In a batch run this shows x.")])
        app.app_notebook({"type": "notebook", "content": nb})
        assert nb.cells[0].source == "# In a batch run this shows x."


class TestServerSettings:
    def test_local_only_no_tracebacks_preheated(self) -> None:
        c = app.voila_config(9123, open_browser=False)
        assert c.Voila.ip == "127.0.0.1" and c.Voila.port == 9123 and c.Voila.port_retries == 0
        assert c.Voila.open_browser is False
        assert c.VoilaConfiguration.show_tracebacks is False and c.VoilaExecutor.show_tracebacks is False
        assert c.VoilaConfiguration.strip_sources is True
        assert c.VoilaConfiguration.preheat_kernel is True and c.VoilaConfiguration.default_pool_size == 1
        assert c.VoilaConfiguration.prelaunch_hook is None, "incompatible with preheated kernels"
        assert "Reload the page" in c.VoilaExecutor.cell_error_instruction

    def test_one_kernel_kept_ready_per_product_and_told_which(self) -> None:
        pools = app.voila_config(pool_size=2).VoilaKernelManager.kernel_pools_config
        assert pools["default"] == {"pool_size": 0}, "no kernels for other notebooks (templates)"
        for product in app.app_products():
            assert pools[product.notebook] == {"pool_size": 2, "kernel_env_variables": {app.NOTEBOOK_ENV: product.notebook}}

    def test_preheated_kernel_knows_its_product_before_the_request(self, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.delenv("SCRIPT_NAME", raising=False)
        monkeypatch.setenv(app.NOTEBOOK_ENV, "04_who_to_engage.ipynb")
        assert app.current_product() == get_product(4)
        monkeypatch.setenv("SCRIPT_NAME", P3_PAGE)
        assert app.current_product() == get_product(3)

    def test_without_preheating(self) -> None:
        c = app.voila_config(preheat=False)
        assert c.VoilaConfiguration.preheat_kernel is False and c.VoilaConfiguration.default_pool_size == 0
        assert all(pool["pool_size"] == 0 for pool in c.VoilaKernelManager.kernel_pools_config.values())

    def test_voila_app_has_the_start_page(self) -> None:
        cls = app._app_class()
        assert cls.__name__ == "JointworkVoila" and "init_handlers" in cls.__dict__

    def test_port_in_use_is_explained(self) -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            port = busy.getsockname()[1]
            with pytest.raises(JointworkError, match=f"port {port} on 127.0.0.1 is already in use"):
                app.check_port(port)


class TestCommandLine:
    def test_app_subcommand(self, monkeypatch: pytest.MonkeyPatch, workspace: Path) -> None:
        calls: list[tuple[Any, ...]] = []
        monkeypatch.setattr(app, "serve", lambda *a, **k: calls.append((a, k)))
        assert main(["app", "--port", "9001", "--no-browser", "--workspace", str(workspace)]) == 0
        assert calls == [((9001,), {"open_browser": False, "workspace": str(workspace), "preheat": True})]

    def test_defaults(self) -> None:
        args = build_parser().parse_args(["app"])
        assert args.port == 8866 and not args.no_browser and not args.no_preheat

    def test_busy_port_is_an_error_message(self, capsys: pytest.CaptureFixture[str], workspace: Path) -> None:
        with socket.socket() as busy:
            busy.bind(("127.0.0.1", 0))
            busy.listen()
            code = main(["app", "--port", str(busy.getsockname()[1]), "--no-browser", "--workspace", str(workspace)])
        assert code == 1 and "already in use" in capsys.readouterr().err


class TestWorkbookForWorkshops:
    """What the app relies on in `Workbook.edit`: words not tracebacks, a short history."""

    def wb(self, workspace: Path) -> Workbook:
        wb = Workbook(find_area("E06000045"), PlanStore(workspace), interactive=True)
        wb.edit(lambda plan: p3.add_respondent(plan, "Sam", "health"), "respondent Sam")
        return wb

    def test_a_note_saved_in_several_goes_is_one_version(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        store = wb.store
        before = len(store.history("E06000045"))
        for text in ("Min", "Minutes", "Minutes of the board"):
            wb.edit(lambda plan, t=text: p3.set_rating(plan, "Sam", "shared_vision", evidence=t), "Sam's evidence")
        assert len(store.history("E06000045")) == before + 1
        assert store.load("E06000045").successful_joint_working.respondents[0].ratings["shared_vision"].evidence == (
            "Minutes of the board")
        wb.edit(lambda plan: p3.set_rating(plan, "Sam", "shared_vision", score=3), "Sam's rating")
        assert len(store.history("E06000045")) == before + 2

    def test_someone_elses_save_is_never_squashed(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        other = Workbook(find_area("E06000045"), PlanStore(workspace), interactive=True)
        wb.edit(lambda plan: p3.set_rating(plan, "Sam", "shared_vision", evidence="one"), "Sam's evidence")
        other.edit(lambda plan: p3.add_respondent(plan, "Kim", "local authority"), "respondent Kim")
        before = len(wb.store.history("E06000045"))
        wb.edit(lambda plan: p3.set_rating(plan, "Sam", "shared_vision", evidence="two"), "Sam's evidence")
        history = wb.store.history("E06000045")
        assert len(history) == before + 1, "the version with Kim is kept"
        assert "Kim" in history[0].path.read_text(encoding="utf-8")

    def test_refusal_names_the_field_in_words(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        assert not wb.edit(lambda plan: p3.set_rating(plan, "Sam", "shared_vision", evidence="x" * 6000), "evidence")
        assert "Not saved: evidence: String should have at most 5000 characters" in wb.status.value
        assert "pydantic" not in wb.status.value and "validation error" not in wb.status.value
        wb.edit(lambda plan: plan.successful_joint_working.respondents.append(
            plan.successful_joint_working.respondents[0].model_copy(update={"name": ""})), "a blank name")
        assert "Not saved: respondents 2, name: String should have at least 1 character" in wb.status.value
        assert "change to /" not in wb.status.value

    def test_disk_problem_in_words(self, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        wb = self.wb(workspace)

        def full(*_a: Any, **_k: Any) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(PlanStore, "_write", full)
        assert not wb.edit(lambda plan: p3.add_respondent(plan, "Jo", "health"), "respondent Jo")
        assert "Not saved:" in wb.status.value and "No space left on device" in wb.status.value
        assert "E06000045.yaml" in wb.status.value

    def test_a_bug_is_reported_in_words_in_a_workshop(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        assert not wb.edit(lambda plan: {}["missing"], "something")
        assert "Not saved: something unexpected went wrong (KeyError" in wb.status.value

    def test_a_bug_is_raised_in_a_batch_run(self, workspace: Path) -> None:
        wb = Workbook(find_area("E06000045"), PlanStore(workspace), interactive=False)
        with pytest.raises(KeyError):
            wb.edit(lambda plan: {}["missing"], "something")

    def test_view_that_fails_to_redraw_keeps_the_save(self, workspace: Path) -> None:
        wb = self.wb(workspace)
        calls = []

        def fragile(plan: Any) -> Any:
            calls.append(1)
            if len(calls) > 1:
                raise RuntimeError("boom")
            return p3.respondents_table(plan)

        wb.view(fragile)
        assert wb.edit(lambda plan: p3.add_respondent(plan, "Jo", "health"), "respondent Jo")
        assert "Saved respondent Jo" in wb.status.value and "reload the page" in wb.status.value
        assert "Jo" in [r.name for r in wb.store.load("E06000045").successful_joint_working.respondents]
