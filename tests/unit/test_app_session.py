"""The app's session plan page (jointwork/app/session_page.py and its handler), without a browser:
propose a plan for a length, adjust it, save it with the area, the timer's markup, refusals in
words, and posts without the anti-forgery token refused."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlencode

import pytest
import tornado.testing
import tornado.web

from jointwork.app import pages, server, session_page, start
from jointwork.core.areas import find_area
from jointwork.products import plan_store

AREA = find_area("E06000045")
STATIC = pages.TEMPLATE_DIR / "static"


def post(workspace: Path, **form: str) -> session_page.Outcome:
    return session_page.apply_form(AREA, form, workspace)


def plan_of(workspace: Path):
    return plan_store(workspace).load(AREA.code).session


class TestPage:
    def test_an_area_without_a_plan_offers_the_lengths(self, workspace: Path) -> None:
        page = session_page.session_page("E06000045", workspace, xsrf='<input type="hidden" name="_xsrf" value="t">')
        assert "<h1>Session plan for Southampton</h1>" in page
        for length in ("90 minutes", "2 hours", "half a day", "a series of three"):
            assert f'value="{length}"' in page
        assert "(3 meetings of 2 hours)" in page and "(3 hours 30 minutes)" in page
        assert page.count('name="_xsrf"') == 1 and "Propose a plan" in page and "<table>" not in page
        assert not plan_store(workspace).exists(AREA.code), "looking at the page saves nothing"

    def test_propose_then_see_the_plan_with_timings(self, workspace: Path) -> None:
        outcome = post(workspace, do="propose", length="2 hours")
        assert outcome.saved and outcome.message == "Saved a new plan for 2 hours to E06000045.yaml."
        page = session_page.session_page("E06000045", workspace)
        assert "<h2>The plan: 2 hours</h2>" in page
        assert "1 hour 45 minutes planned of 2 hours: 15 minutes to spare" in page
        assert '<a href="/voila/render/01_introduction.ipynb?area=E06000045">1. Introduction</a>' in page
        assert re.search(r'name="minutes-0-1" value="10"', page)
        assert "Not in this plan: 3. Successful joint working needs..." in page
        starts = re.findall(
            r'<button type="button" class="timer-start" data-title="([^"]+)"[^>]*data-minutes="(\d*)"', page
        )
        assert starts[:2] == [("Choose the area and record the team", "5"), ("Read the suite and the outcomes", "10")]
        assert '<section id="timer"' in page and "static/session.js" in page

    def test_adjust_and_every_change_is_saved(self, workspace: Path) -> None:
        post(workspace, do="propose", length="90 minutes")
        assert post(workspace, do="save", **{"minutes-0-0": "8", "minutes-0-1": "10"}).saved
        assert [i.minutes for i in plan_of(workspace).meetings[0].items[:2]] == [8, 10]
        assert post(workspace, do="down:0:0").saved
        assert plan_of(workspace).meetings[0].items[1].part == "area_and_team"
        assert post(workspace, do="own:0", **{"own-title-0": "Break", "own-minutes-0": ""}).saved
        page = session_page.session_page("E06000045", workspace)
        assert 'Break <strong class="untimed">(no duration given: set the minutes)</strong>' in page
        assert "No duration is given for: Break. Set the minutes yourself." in page
        assert post(workspace, do="product:0", **{"product-0": "find_out_more"}).saved
        assert plan_of(workspace).meetings[0].items[-1].part == "reading_index"
        assert post(workspace, do="remove:0:0").message.startswith("Saved the plan without 'Read the suite")
        versions = len(plan_store(workspace).history(AREA.code))
        assert versions >= 5, "each change is its own saved version"

    @pytest.mark.parametrize(
        "form, message",
        [
            (
                {"do": "save", "minutes-0-0": "ten"},
                "Not saved: Choose the area and record the team (Session (90 minutes)): "
                "a whole number of minutes, got 'ten'.",
            ),
            ({"do": "save", "minutes-0-0": "999"}, "Not saved: minutes between 1 and 480, got 999."),
            ({"do": "own:0", "own-title-0": ""}, "Not saved: a title for the item"),
            ({"do": "remove:3:0"}, "Not saved: there is no meeting 4: the plan has 1."),
            ({"do": "product:0", "product-0": "knitting"}, "Not saved: choose a product to add from the list."),
            ({"do": "rm -rf"}, "Not saved: that button is not one this page knows"),
            (
                {"do": "propose", "length": "a week"},
                "Not saved: choose how long the session is (90 minutes, 2 hours, half a day, a series of three).",
            ),
        ],
    )
    def test_refusals_in_words_and_nothing_changes(self, workspace: Path, form: dict[str, str], message: str) -> None:
        post(workspace, do="propose", length="90 minutes")
        before = plan_store(workspace).path_for(AREA.code).read_text(encoding="utf-8")
        outcome = post(workspace, **form)
        assert not outcome.saved and outcome.message.startswith(message), outcome.message
        assert plan_store(workspace).path_for(AREA.code).read_text(encoding="utf-8") == before

    def test_nothing_typed_is_lost_whichever_button_is_pressed(self, workspace: Path) -> None:
        post(workspace, do="propose", length="90 minutes")
        assert post(
            workspace, do="down:0:2", **{"minutes-0-0": "7", "own-title-0": "Welcome", "own-minutes-0": "5"}
        ).saved
        items = plan_of(workspace).meetings[0].items
        assert items[0].minutes == 7 and items[-1].title == "Welcome" and items[3].part == "outcomes_locally"
        form = {"do": "save", "minutes-0-0": "9", "minutes-0-1": "lots", "own-title-0": "Lunch"}
        refused = post(workspace, **form)
        assert not refused.saved and plan_of(workspace).meetings[0].items[0].minutes == 7
        page = session_page.session_page("E06000045", workspace, outcome=refused, typed=form)
        assert 'name="minutes-0-0" value="9"' in page and 'name="minutes-0-1" value="lots"' in page
        assert 'name="own-title-0" maxlength="120" placeholder="for example Break" value="Lunch"' in page

    def test_the_first_button_of_the_plan_saves(self, workspace: Path) -> None:
        """Pressing Enter in a box submits the form's first button: it must save, not move or remove."""
        post(workspace, do="propose", length="90 minutes")
        page = session_page.session_page("E06000045", workspace)
        plan_form = page[page.index('class="plan"') :]
        assert re.search(r'<button type="submit" name="do" value="([^"]+)"', plan_form).group(1) == "save"

    def test_changes_before_a_plan_exists_are_explained(self, workspace: Path) -> None:
        outcome = post(workspace, do="save")
        assert not outcome.saved and "choose a length and press 'Propose a plan' first" in outcome.message

    def test_typed_text_is_escaped(self, workspace: Path) -> None:
        post(workspace, do="propose", length="90 minutes")
        post(workspace, do="own:0", **{"own-title-0": "<script>alert(1)</script>", "own-minutes-0": "5"})
        page = session_page.session_page("E06000045", workspace)
        assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_unknown_area_and_broken_plan_in_words(self, workspace: Path) -> None:
        page = session_page.session_page("Atlantis", workspace)
        assert "there is no English upper-tier local authority matching &#39;Atlantis&#39;" in page
        plan_store(workspace).path_for(AREA.code).write_text("schema_version: 1\narea_code: nope\n", encoding="utf-8")
        page = session_page.session_page("E06000045", workspace)
        assert "The plan for Southampton cannot be opened" in page and "<form" not in page

    def test_the_start_page_links_to_it(self, workspace: Path) -> None:
        page = start.start_page("E06000045", workspace)
        assert f'<a href="{session_page.session_url("E06000045")}">Plan the session</a>' in page


class TestTimerScript:
    def test_valid_plain_es5_without_network(self) -> None:
        script = (STATIC / "session.js").read_text(encoding="utf-8")
        code = re.sub(r"//[^\n]*|/\*.*?\*/", "", script, flags=re.S)
        for modern in ("=>", "`", "let ", "const ", "class ", "async ", "import ", "fetch(", "XMLHttpRequest"):
            assert modern not in code, f"{modern!r}"
        assert '"jointwork-timer"' in script and '"jointwork-timer"' in (STATIC / "jointwork.js").read_text("utf-8")
        node = shutil.which("node") or shutil.which("nodejs")
        if node is not None:
            result = subprocess.run([node, "--check", str(STATIC / "session.js")], capture_output=True, text=True)
            assert result.returncode == 0, result.stderr


class TestHandler(tornado.testing.AsyncHTTPTestCase):
    """The page served as the app serves it: a post needs the page's anti-forgery token."""

    @pytest.fixture(autouse=True)
    def _workspace(self, workspace: Path) -> None:
        self.workspace = workspace

    def get_app(self) -> tornado.web.Application:
        return tornado.web.Application(
            [(r"/session", server.SessionPage, {"workspace": str(self.workspace), "base": "/"})],
            cookie_secret="test",
        )

    def test_post_without_the_token_is_refused(self) -> None:
        body = urlencode({"do": "propose", "length": "2 hours"})
        response = self.fetch("/session?area=E06000045", method="POST", body=body)
        assert response.code == 403
        assert not plan_store(self.workspace).exists(AREA.code)

    def test_post_with_the_token_saves(self) -> None:
        page = self.fetch("/session?area=E06000045")
        token = re.search(r'name="_xsrf" value="([^"]+)"', page.body.decode()).group(1)
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        body = urlencode({"_xsrf": token, "do": "propose", "length": "half a day"})
        response = self.fetch("/session?area=E06000045", method="POST", body=body, headers={"Cookie": cookie})
        assert response.code == 200 and "Saved a new plan for half a day" in response.body.decode()
        assert plan_of(self.workspace).length.value == "half a day"

    def test_post_from_another_site_is_refused(self) -> None:
        page = self.fetch("/session?area=E06000045")
        token = re.search(r'name="_xsrf" value="([^"]+)"', page.body.decode()).group(1)
        cookie = page.headers["Set-Cookie"].split(";", 1)[0]
        body = urlencode({"_xsrf": token, "do": "propose", "length": "2 hours"})
        headers = {"Cookie": cookie, "Origin": "http://elsewhere.example"}
        assert self.fetch("/session?area=E06000045", method="POST", body=body, headers=headers).code == 403


def test_a_product_with_answers_in_its_round_counts_as_started(workspace: Path) -> None:
    from jointwork.core.plan import Sector
    from jointwork.core.responses import Response, ResponseStore
    from jointwork.products import successful_joint_working as p3

    store = ResponseStore(workspace)
    made = store.open_round(AREA.code, p3.SLUG, "Baseline")
    plan = plan_store(workspace).new(AREA.code)
    assert p3.SLUG not in session_page._started(plan, store.area(AREA.code))
    answer = Response("", made.id, p3.SLUG, Sector.HEALTH, "", {"shared_vision": {"value": 2}}, None)
    store.save(AREA.code, p3.QUESTIONNAIRE, answer)
    assert session_page._started(plan, store.area(AREA.code)) == [p3.SLUG]
