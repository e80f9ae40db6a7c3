"""Product 8: the reading index, its filters, bookmarks and notes, the CSV export and the widgets."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jointwork.errors import PlanError
from jointwork.execute import run_product
from jointwork.plan import Plan, ReadingNote, ReadingSection
from jointwork.products import find_out_more as p8
from jointwork.store import PlanStore
from jointwork.workbook import open_workbook

from conftest import find_widgets

from test_notebooks import FRESH_AREA, outputs_text

CODE = "E06000045"


@pytest.fixture
def plan() -> Plan:
    plan = Plan(area_code=CODE)
    p8.set_bookmark(plan, "better_births_2016")
    p8.set_note(plan, "hcp_2009", "Read before the health visiting review")
    return plan


class TestContent:
    def test_the_index_has_47_readings_each_its_own_source(self) -> None:
        readings = p8.readings()
        assert len(readings) == 47 and len({r.id for r in readings}) == 47
        sources = p8.content().sources
        for r in readings:
            assert r.source_keys == [r.id] and r.id in sources
            assert r.get("kind") in p8.kinds() and r.get("status") in p8.STATUS_LABEL
            assert set(r.get("products")) <= set(range(1, 9)) and r.get("topics")

    def test_superseded_readings_name_what_replaced_them(self) -> None:
        for r in p8.readings():
            assert bool(r.get("superseded_by")) == (r.get("status") == "superseded"), r.id

    def test_successor_is_found_in_the_index_where_it_is_listed(self) -> None:
        entry = p8.content().entry
        assert p8.successor(entry("maternity_matters_2007")).id == "better_births_2016"
        assert p8.successor(entry("chpp_2008")).id == "hcp_2009"
        assert p8.successor(entry("working_together_2018")).id == "working_together_2023"
        assert p8.successor(entry("pcn_des_2019")) is None  # "the current year" is not in the index
        assert p8.successor(entry("better_births_2016")) is None


class TestFilter:
    def test_no_filters_returns_everything_in_content_order(self) -> None:
        assert p8.filter_readings() == p8.readings()

    def test_text_matches_every_word_ignoring_case(self) -> None:
        assert [r.id for r in p8.filter_readings("MARMOT")] == ["marmot_review_2010", "marmot_ten_years_on_2020"]
        assert [r.id for r in p8.filter_readings("marmot 2020")] == ["marmot_ten_years_on_2020"]
        assert p8.filter_readings("zzzz") == []

    def test_topics_and_products_match_any(self) -> None:
        maternity = p8.filter_readings(topics=["maternity"])
        assert maternity and all("maternity" in r.get("topics") for r in maternity)
        either = p8.filter_readings(topics=["maternity", "safeguarding"])
        assert len(either) > len(maternity)
        for_7 = p8.filter_readings(products=[7])
        assert len(for_7) == 8 and all(7 in r.get("products") for r in for_7)
        assert p8.filter_readings(products=["7"]) == for_7

    def test_kind_status_and_combination(self) -> None:
        superseded = p8.filter_readings(status="superseded")
        assert len(superseded) == 9 and all(r.get("superseded_by") for r in superseded)
        assert all(r.get("kind") == "tool" for r in p8.filter_readings(kind="tool"))
        found = p8.filter_readings("healthy child", ["health visiting"], [2], "guidance", "superseded")
        assert [r.id for r in found] == ["chpp_2008", "hcp_2009", "hcp_high_impact_areas_2021"]

    @pytest.mark.parametrize("kwargs, message", [
        ({"topics": ["weather"]}, "no topic"), ({"products": [9]}, "numbered 1 to 8"),
        ({"kind": "novel"}, "kind must be"), ({"status": "gone"}, "status must be"),
    ])
    def test_bad_filters_are_refused_in_words(self, kwargs: dict, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            p8.filter_readings(**kwargs)


class TestNotesAndCheck:
    def test_bookmark_and_note_edits(self, plan: Plan) -> None:
        notes = p8.team_notes(plan)
        assert notes["better_births_2016"].bookmarked and notes["better_births_2016"].note == ""
        assert not notes["hcp_2009"].bookmarked and notes["hcp_2009"].note.startswith("Read before")
        p8.set_bookmark(plan, "hcp_2009")
        assert p8.team_notes(plan)["hcp_2009"].bookmarked and len(plan.find_out_more.notes) == 2
        p8.set_bookmark(plan, "better_births_2016", False)  # nothing left to keep: the entry goes
        assert "better_births_2016" not in p8.team_notes(plan)

    def test_unknown_reading_is_refused(self, plan: Plan) -> None:
        with pytest.raises(ValueError, match="no reading 'nope'"):
            p8.set_bookmark(plan, "nope")

    def test_check_reports_unknown_reading_ids(self) -> None:
        section = ReadingSection(notes=[ReadingNote(reading="hcp_2009"), ReadingNote(reading="no_such_reading")])
        problems = list(p8.check(section))
        assert [loc for loc, _ in problems] == [("notes", 1, "reading")] and "reading ids" in problems[0][1]

    def test_store_refuses_unknown_and_repeated_readings(self, workspace: Path) -> None:
        path = workspace / "plans" / f"{CODE}.yaml"
        path.write_text("schema_version: 1\narea_code: E06000045\nfind_out_more:\n  notes:\n"
                        "  - reading: no_such_reading\n    bookmarked: true\n", encoding="utf-8")
        with pytest.raises(PlanError, match=r"find_out_more.notes\[0\].reading"):
            PlanStore(workspace).load(CODE)
        path.write_text("schema_version: 1\narea_code: E06000045\nfind_out_more:\n  notes:\n"
                        "  - reading: hcp_2009\n  - reading: hcp_2009\n", encoding="utf-8")
        with pytest.raises(PlanError, match="more than once"):
            PlanStore(workspace).load(CODE)


class TestFrameAndExport:
    def test_frame_has_one_row_per_reading_and_team_columns_only_with_a_plan(self, plan: Plan) -> None:
        bare = p8.readings_frame()
        assert len(bare) == 47 and list(bare.columns) == p8.COLUMNS
        mine = p8.readings_frame(plan).set_index("id")
        assert list(mine.columns[-2:]) == p8.TEAM_COLUMNS
        assert mine.loc["better_births_2016", "bookmarked"] and not mine.loc["hcp_2009", "bookmarked"]
        assert mine.loc["hcp_2009", "team_note"].startswith("Read before")
        assert mine.loc["hcp_2009", "address"].startswith("https://www.gov.uk/")
        assert mine.loc["chpp_2008", "superseded_by"].startswith("Healthy Child Programme")

    def test_export_writes_utf8_csv_to_the_path_given(self, plan: Plan, tmp_path: Path) -> None:
        p8.set_note(plan, "children_act_2004", "Section 10 – the co-operation duty ✓")
        target = tmp_path / "new folder" / "index.csv"
        written = p8.export_csv(plan, target)
        assert written == target.resolve() and [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["index.csv"]
        with target.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 47 and rows[0]["id"] == "ecm_green_paper_2003"
        by_id = {r["id"]: r for r in rows}
        assert by_id["children_act_2004"]["team_note"] == "Section 10 – the co-operation duty ✓"
        assert by_id["better_births_2016"]["bookmarked"] == "True"
        assert by_id["ecm_green_paper_2003"]["summary"] == p8.content().entry("ecm_green_paper_2003").text
        assert p8.export_csv(None, target) == written  # asked for again: the same file, without team columns
        assert "team_note" not in target.read_text(encoding="utf-8").splitlines()[0]

    def test_export_refuses_a_folder_or_a_non_csv_name(self, plan: Plan, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="is a folder"):
            p8.export_csv(plan, tmp_path)
        with pytest.raises(ValueError, match=".csv"):
            p8.export_csv(plan, tmp_path / "notes.txt")
        assert list(tmp_path.iterdir()) == []


class TestOutputs:
    def test_links_are_real_links_with_the_address_visible(self, plan: Plan) -> None:
        markup = p8.reading_index(plan).markup
        url = "https://www.legislation.gov.uk/ukpga/2004/31"
        assert f'<a href="{url}" rel="noopener">{url}</a>' in markup
        assert markup.count('id="reading-') == 47
        assert "No address confirmed" in markup  # e.g. the 2003 green paper

    def test_superseded_items_show_and_link_what_replaced_them(self, plan: Plan) -> None:
        markup = p8.reading_index(plan).markup
        assert 'superseded by <a href="#reading-better_births_2016">Better Births (2016)</a>' in markup
        text = p8.then_and_now().text
        assert "Maternity Matters (2007) | Better Births (2016) | https://www.england.nhs.uk/" in text
        assert "Network Contract DES specification for the current year (NHS England) | not listed in the index" in text

    def test_archived_address_is_followed_where_the_original_has_gone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        entry = p8.content().entry("children_act_2004")
        original = p8.source_of(entry)
        gone = original.model_copy(update={"url": "http://example.gov.uk/old",
                                           "archived_url": "https://webarchive.nationalarchives.gov.uk/x/old"})
        monkeypatch.setattr(p8, "source_of", lambda e: gone if e.id == entry.id else original)
        assert p8.address(entry) == ("https://webarchive.nationalarchives.gov.uk/x/old", "http://example.gov.uk/old")
        markup = p8.render_readings([entry]).markup
        assert 'Archived copy: <a href="https://webarchive.nationalarchives.gov.uk/x/old"' in markup
        assert "Original (gone): http://example.gov.uk/old" in markup

    def test_bookmarks_and_blank_plan(self, plan: Plan) -> None:
        text = p8.bookmarks(plan).text
        assert "(2 readings)" in text and "Better Births" in text and "Read before the health visiting review" in text
        assert "No bookmarks or notes yet" in p8.bookmarks(Plan(area_code=CODE)).text
        assert p8.render_readings([]).text.startswith("No readings match")
        assert "47 readings" in p8.overview().text


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def cards(self, ui) -> list:
        return list(ui.children[-1].children)

    def test_filters_redraw_the_results(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p8.exercise(wb)
        assert len(self.cards(ui)) == 47 and "47 of 47" in ui.children[-2].value
        self.find(ui, "Text", "Search")[0].value = "marmot"
        assert len(self.cards(ui)) == 2 and "2 of 47" in ui.children[-2].value
        self.find(ui, "Text", "Search")[0].value = ""
        self.find(ui, "SelectMultiple", "Supports products (none chosen = all)")[0].value = (7,)
        self.find(ui, "Dropdown", "Status")[0].value = "historical"
        titles = [c.children[0].value for c in self.cards(ui)]
        assert titles and all("historical" in t for t in titles)
        self.find(ui, "Dropdown", "Status")[0].value = ""
        self.find(ui, "SelectMultiple", "Supports products (none chosen = all)")[0].value = ()
        self.find(ui, "Dropdown", "Kind")[0].value = "guidance"
        self.find(ui, "SelectMultiple", "Topics (none chosen = all)")[0].value = ("maternity",)
        card = self.cards(ui)[0].children[0].value
        assert "superseded by Healthy Child Programme" in card and "<a href=" not in card.split("<br>")[0]

    def test_bookmark_and_note_save_at_once_and_views_redraw(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        view = wb.view(p8.bookmarks)
        ui = p8.exercise(wb)
        self.find(ui, "Text", "Search")[0].value = "Better Births"
        assert "superseded by Better Births" in self.cards(ui)[0].children[0].value  # Maternity Matters first
        card = [c for c in self.cards(ui) if c.children[0].value.startswith("<strong>Better Births</strong>")][0]
        assert 'href="https://www.england.nhs.uk/ourwork/futurenhs/mat-review/"' in card.children[0].value
        self.find(card, "Checkbox", "Bookmark")[0].value = True
        saved = p8.team_notes(PlanStore(workspace).load(CODE))
        assert saved["better_births_2016"].bookmarked and "Saved" in wb.status.value
        assert "Better Births" in view.value
        self.find(card, "Textarea", "Team note")[0].value = "Share with the LMNS lead"
        assert p8.team_notes(PlanStore(workspace).load(CODE))["better_births_2016"].note == "Share with the LMNS lead"
        assert "Share with the LMNS lead" in view.value
        self.find(ui, "Text", "Search")[0].value = ""
        self.find(ui, "Checkbox", "Bookmarked only")[0].value = True
        assert len(self.cards(ui)) == 1

    def test_refused_note_is_shown_in_words(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p8.exercise(wb)
        self.find(self.cards(ui)[0], "Textarea", "Team note")[0].value = "x" * 6000
        assert "Not saved" in wb.status.value
        assert not PlanStore(workspace).exists(CODE)

    def test_export_button_writes_to_the_workspace_and_says_where(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        wb.edit(lambda plan: p8.set_note(plan, "hcp_2009", "Checked by the public health team"))
        ui = p8.export_exercise(wb)
        self.find(ui, "Button", "Export CSV")[0].click()
        target = workspace / "exports" / f"{CODE}_reading_index.csv"
        assert target.is_file() and str(target.resolve()) in ui.children[-1].value
        assert "Exported 47 readings" in ui.children[-1].value
        assert "Checked by the public health team" in target.read_text(encoding="utf-8")

    def test_batch_mode_writes_nothing(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=False)
        assert "exports/E06000045_reading_index.csv" in p8.export_exercise(wb).text
        assert "0 reading(s) bookmarked" in p8.exercise(wb).text
        assert not (workspace / "exports").exists()


@pytest.mark.notebook
class TestNotebook:
    def test_sample_area_batch_run_shows_the_plan(self, sample_workspace: Path, tmp_path: Path) -> None:
        code = "E06000026"
        executed = run_product(code, tmp_path / "out", 8, sample_workspace)
        text = outputs_text(executed)
        notes = PlanStore(sample_workspace).load(code).find_out_more.notes
        assert notes, "the sample plan should hold bookmarks or notes"
        titles = p8.reading_titles()
        bookmarks_part = text.split("Your team's bookmarks and notes")[1]
        for note in notes:
            assert titles[note.reading] in bookmarks_part
            if note.note:
                assert note.note in text
        assert '<a href="https://www.legislation.gov.uk/ukpga/2004/31"' in text
        assert "Traceback" not in text and not (sample_workspace / "exports").exists()

    def test_fresh_area_batch_run(self, workspace: Path, tmp_path: Path) -> None:
        executed = run_product(FRESH_AREA, tmp_path / "out", 8, workspace)
        text = outputs_text(executed)
        assert "no saved plan yet" in text and "No bookmarks or notes yet" in text
        assert "Reading index (47 readings)" in text
        assert not PlanStore(workspace).exists(FRESH_AREA) and not (workspace / "exports").exists()
