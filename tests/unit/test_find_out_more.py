"""Product 8: the reading index, its filters, bookmarks and notes, the CSV export and the widgets."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from jointwork.core.errors import PlanError
from jointwork.core.plan import plan_model
from jointwork.core.product import Product
from jointwork.products import PRODUCTS, Plan, plan_store
from jointwork.products import find_out_more as p8
from jointwork.products.find_out_more.model import ReadingNote, ReadingSection
from jointwork.run.summary import plan_columns
from jointwork.session import open_workbook

from conftest import find_widgets

CODE = "E06000045"
CONTENT_MODULE = sys.modules["jointwork.products.find_out_more.content"]


@pytest.fixture
def plan() -> Plan:
    plan = Plan(area_code=CODE)
    p8.set_bookmark(plan, "better_births_2016")
    p8.set_note(plan, "hcp_2009", "Read before the health visiting review")
    return plan


class TestContent:
    def test_the_index_has_51_readings_and_its_checks_pass(self) -> None:
        readings = p8.readings()
        assert len(readings) == 51 and len({r.id for r in readings}) == 51
        assert list(p8.content_checks()) == []

    def test_every_reading_supports_products_of_the_suite(self) -> None:
        numbers = {p.number for p in PRODUCTS}
        for r in p8.readings():
            assert r.get("products") and set(r.get("products")) <= numbers, r.id

    def test_a_broken_content_copy_is_reported(self, monkeypatch: pytest.MonkeyPatch) -> None:
        broken = p8.content().model_copy(deep=True)
        by_id = {e.id: e for e in broken.entries["readings"]}
        by_id["hcp_2009"].source = ["hcp_2009", "chpp_2008"]
        by_id["chpp_2008"].status = "gone"
        by_id["better_births_2016"].superseded_by = "Something newer (2030)"
        by_id["maternity_matters_2007"].superseded_by = ""
        by_id["marmot_review_2010"].topics = []
        by_id["children_act_2004"].products = ["seven"]
        monkeypatch.setattr(CONTENT_MODULE, "content", lambda: broken)
        problems = "\n".join(p8.content_checks())
        assert "reading 'hcp_2009' should cite one source, keyed by its own id" in problems
        assert "reading 'chpp_2008' has status 'gone'" in problems
        assert "reading 'better_births_2016' is 'current' but names what replaced it" in problems
        assert "reading 'maternity_matters_2007' is superseded but does not say what replaced it" in problems
        assert "reading 'marmot_review_2010' has no topics" in problems
        assert "reading 'children_act_2004' lists products ['seven']" in problems
        assert len(problems.splitlines()) == 7  # chpp_2008 also names a replacement without being superseded

    def test_successor_is_found_in_the_index_where_it_is_listed(self) -> None:
        entry = p8.content().entry
        assert p8.successor(entry("maternity_matters_2007")).id == "better_births_2016"
        assert p8.successor(entry("chpp_2008")).id == "hcp_2009"
        assert p8.successor(entry("working_together_2018")).id == "working_together_2023"
        assert p8.successor(entry("pcn_des_2019")) is None  # "the current year" is not in the index
        assert p8.successor(entry("better_births_2016")) is None


class TestFilter:
    def test_no_filters_returns_everything_in_content_order(self) -> None:
        assert p8.filter_readings(PRODUCTS) == p8.readings()

    def test_text_matches_every_word_ignoring_case(self) -> None:
        assert [r.id for r in p8.filter_readings(PRODUCTS, "MARMOT")] == [
            "marmot_review_2010",
            "marmot_ten_years_on_2020",
        ]
        assert [r.id for r in p8.filter_readings(PRODUCTS, "marmot 2020")] == ["marmot_ten_years_on_2020"]
        assert p8.filter_readings(PRODUCTS, "zzzz") == []

    def test_topics_and_products_match_any(self) -> None:
        maternity = p8.filter_readings(PRODUCTS, topics=["maternity"])
        assert maternity and all("maternity" in r.get("topics") for r in maternity)
        either = p8.filter_readings(PRODUCTS, topics=["maternity", "safeguarding"])
        assert len(either) > len(maternity)
        for_7 = p8.filter_readings(PRODUCTS, products=[7])
        assert len(for_7) == 8 and all(7 in r.get("products") for r in for_7)
        assert p8.filter_readings(PRODUCTS, products=["7"]) == for_7

    def test_kind_status_and_combination(self) -> None:
        superseded = p8.filter_readings(PRODUCTS, status="superseded")
        assert len(superseded) == 11 and all(r.get("superseded_by") for r in superseded)
        assert all(r.get("kind") == "tool" for r in p8.filter_readings(PRODUCTS, kind="tool"))
        found = p8.filter_readings(PRODUCTS, "healthy child", ["health visiting"], [2], "guidance", "superseded")
        assert [r.id for r in found] == ["chpp_2008", "hcp_2009", "hcp_high_impact_areas_2021"]

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"topics": ["weather"]}, "no topic"),
            ({"products": [len(PRODUCTS) + 1]}, f"numbered 1 to {len(PRODUCTS)}, got {len(PRODUCTS) + 1}"),
            ({"products": ["seven"]}, f"numbered 1 to {len(PRODUCTS)}, got 'seven'"),
            ({"kind": "novel"}, "kind must be"),
            ({"status": "gone"}, "status must be"),
        ],
    )
    def test_bad_filters_are_refused_in_words(self, kwargs: dict, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            p8.filter_readings(PRODUCTS, **kwargs)

    def test_product_numbers_are_checked_against_the_suite_given(self) -> None:
        """A suite with a ninth product accepts 9 (and finds no reading for it); a shorter one refuses 8."""
        extra = Product(len(PRODUCTS) + 1, "logic_model", "Logic model", ReadingSection)
        assert p8.filter_readings((*PRODUCTS, extra), products=[extra.number]) == []
        with pytest.raises(ValueError, match="numbered 1 to 7, got 8"):
            p8.filter_readings(PRODUCTS[:7], products=[8])


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
        path.write_text(
            "schema_version: 1\narea_code: E06000045\nfind_out_more:\n  notes:\n"
            "  - reading: no_such_reading\n    bookmarked: true\n",
            encoding="utf-8",
        )
        with pytest.raises(PlanError, match=r"find_out_more.notes\[0\].reading"):
            plan_store(workspace).load(CODE)
        path.write_text(
            "schema_version: 1\narea_code: E06000045\nfind_out_more:\n  notes:\n"
            "  - reading: hcp_2009\n  - reading: hcp_2009\n",
            encoding="utf-8",
        )
        with pytest.raises(PlanError, match="more than once"):
            plan_store(workspace).load(CODE)


class TestFrameAndExport:
    def test_frame_has_one_row_per_reading_and_team_columns_only_with_a_plan(self, plan: Plan) -> None:
        bare = p8.readings_frame()
        assert len(bare) == 51 and list(bare.columns) == p8.COLUMNS
        mine = p8.readings_frame(p8.section(plan)).set_index("id")
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
        with target.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert len(rows) == 51 and rows[0]["id"] == "ecm_green_paper_2003"
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
        assert markup.count('id="reading-') == 51
        assert "No address confirmed" in markup  # e.g. the 2003 green paper

    def test_superseded_items_show_and_link_what_replaced_them(self, plan: Plan) -> None:
        markup = p8.reading_index(plan).markup
        assert 'superseded by <a href="#reading-better_births_2016">Better Births (2016)</a>' in markup
        text = p8.then_and_now().text
        assert "Maternity Matters (2007) | Better Births (2016) | https://www.england.nhs.uk/" in text
        assert "Network Contract DES specification for the current year (NHS England) | not listed in the index" in text

    def test_archived_address_is_followed_where_the_original_has_gone(self, monkeypatch: pytest.MonkeyPatch) -> None:
        changed = p8.content().model_copy(deep=True)
        source = changed.sources["children_act_2004"]
        source.url, source.archived_url = (
            "http://example.gov.uk/old",
            "https://webarchive.nationalarchives.gov.uk/x/old",
        )
        monkeypatch.setattr(CONTENT_MODULE, "content", lambda: changed)
        entry = changed.entry("children_act_2004")
        assert p8.address(entry) == ("https://webarchive.nationalarchives.gov.uk/x/old", "http://example.gov.uk/old")
        markup = p8.render_readings([entry], PRODUCTS).markup
        assert 'Archived copy: <a href="https://webarchive.nationalarchives.gov.uk/x/old"' in markup
        assert "Original (gone): http://example.gov.uk/old" in markup
        assert "Bookmarked" not in markup, "without the team's notes there are no team columns"

    def test_products_are_named_from_the_plans_suite(self, plan: Plan) -> None:
        assert "Supports products" in p8.reading_index(plan).text
        row = next(line for line in p8.bookmarks(plan).text.splitlines() if line.startswith("Better Births"))
        titles = {p.number: p.title.split(":")[0] for p in PRODUCTS}
        numbers = p8.content().entry("better_births_2016").get("products")
        assert "; ".join(f"{n} {titles[n]}" for n in numbers) in row
        renamed = [Product(p.number, p.slug, f"Product {p.number}: renamed", p.section) for p in PRODUCTS]
        other = plan_model(renamed)(area_code=CODE, find_out_more=plan.find_out_more.model_dump())
        assert "; ".join(f"{n} Product {n}" for n in numbers) in p8.bookmarks(other).text

    def test_bookmarks_and_blank_plan(self, plan: Plan) -> None:
        text = p8.bookmarks(plan).text
        assert "(2 readings)" in text and "Better Births" in text and "Read before the health visiting review" in text
        assert "No bookmarks or notes yet" in p8.bookmarks(Plan(area_code=CODE)).text
        assert p8.render_readings([], PRODUCTS).text.startswith("No readings match")
        assert "51 readings" in p8.overview().text

    def test_the_short_report_lists_the_marked_readings_in_short(self, plan: Plan) -> None:
        (part,) = p8.PRODUCT.report
        shown = part.show(plan)
        (table,) = [t for t in shown.parts if hasattr(t, "columns")]
        assert table.columns == ("Reading", "Publisher and year", "Bookmarked", "Team note")
        assert len(table.rows) == 2 and "Read before the health visiting review" in shown.text
        assert "No readings bookmarked" in p8.bookmark_list(Plan(area_code=CODE)).text

    def test_the_summary_counts_bookmarks_not_notes(self, plan: Plan) -> None:
        row, problems = plan_columns(plan)
        assert row["bookmarks"] == 1 and problems == []
        assert plan_columns(Plan(area_code=CODE))[0]["bookmarks"] == 0


class TestWidgets:
    """The workshop widgets, driven as a person would, without a browser."""

    find = staticmethod(find_widgets)

    def cards(self, ui) -> list:
        return list(ui.children[-1].children)

    def test_filters_redraw_the_results(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p8.exercise(wb)
        assert len(self.cards(ui)) == 51 and "51 of 51" in ui.children[-2].value
        products = self.find(ui, "SelectMultiple", "Supports products (none chosen = all)")[0]
        assert [value for _label, value in products.options] == [p.number for p in wb.products]
        self.find(ui, "Text", "Search")[0].value = "marmot"
        assert len(self.cards(ui)) == 2 and "2 of 51" in ui.children[-2].value
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
        saved = p8.team_notes(plan_store(workspace).load(CODE))
        assert (
            saved["better_births_2016"].bookmarked
            and "Saved a bookmark on &#x27;Better Births&#x27;" in wb.status.value
        )
        assert "Better Births" in view.value
        self.find(card, "Textarea", "Team note")[0].value = "Share with the LMNS lead"
        assert p8.team_notes(plan_store(workspace).load(CODE))["better_births_2016"].note == "Share with the LMNS lead"
        assert "Saved the note on &#x27;Better Births&#x27;" in wb.status.value
        assert "Share with the LMNS lead" in view.value
        self.find(ui, "Text", "Search")[0].value = ""
        self.find(ui, "Checkbox", "Bookmarked only")[0].value = True
        assert len(self.cards(ui)) == 1
        self.find(card, "Checkbox", "Bookmark")[0].value = False  # the list follows at once
        assert self.cards(ui) == [] and "0 of 51" in ui.children[-2].value
        assert "Saved removal of the bookmark on &#x27;Better Births&#x27;" in wb.status.value
        assert p8.team_notes(plan_store(workspace).load(CODE))["better_births_2016"].note == "Share with the LMNS lead"

    def test_refused_note_is_shown_in_words(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=True)
        ui = p8.exercise(wb)
        note = self.find(self.cards(ui)[0], "Textarea", "Team note")[0]
        note.value = "x" * 6000
        assert "Not saved" in wb.status.value
        assert note.value == "", "the box shows what is saved"
        assert not plan_store(workspace).exists(CODE)

    def test_download_links_carry_the_saved_notes_as_csv_and_excel(self, workspace: Path) -> None:
        import base64
        import io
        import re

        import openpyxl

        wb = open_workbook(CODE, workspace, interactive=True)
        wb.edit(lambda plan: p8.set_note(plan, "hcp_2009", '=HYPERLINK("http://x") checked'))
        ui = p8.export_exercise(wb)
        links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', ui.children[1].value))
        assert sorted(links) == [f"{CODE}_reading_index.csv", f"{CODE}_reading_index.xlsx"]
        text = base64.b64decode(links[f"{CODE}_reading_index.csv"]).decode("utf-8-sig")
        rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
        assert rows["hcp_2009"]["team_note"] == '\'=HYPERLINK("http://x") checked', "a formula-like note is text"
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(links[f"{CODE}_reading_index.xlsx"])))
        assert book.sheetnames[:3] == ["Cover", "Contents", "Notes"]
        cells = [c for row in book["Reading index"].iter_rows() for c in row]
        assert '=HYPERLINK("http://x") checked' in [c.value for c in cells]
        assert not [c for c in cells if c.data_type == "f"]
        wb.edit(lambda plan: p8.set_note(plan, "hcp_2009", "Changed"))  # the links follow the saved plan
        assert "Changed" in base64.b64decode(re.findall(r"base64,([^\"]+)", ui.children[1].value)[0]).decode()
        assert not (workspace / "exports").exists(), "nothing is written on the computer"

    def test_batch_mode_writes_nothing(self, workspace: Path) -> None:
        wb = open_workbook(CODE, workspace, interactive=False)
        assert "E06000045_reading_index.xlsx" in p8.export_exercise(wb).text
        assert "0 reading(s) bookmarked" in p8.exercise(wb).text
        assert not (workspace / "exports").exists()


def test_years_stay_whole_numbers_when_a_reading_has_none(tmp_path: Path) -> None:
    """A reading of unknown year leaves its cell empty and the others stay 2003, not 2003.0."""
    assert any(not r.get("year") and not p8.source_of(r).year for r in p8.readings())
    path = p8.export_csv(None, tmp_path / "readings.csv")
    text = path.read_text(encoding="utf-8")
    assert ",2003," in text and ".0," not in text
