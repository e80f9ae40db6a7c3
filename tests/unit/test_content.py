"""Every product's content file validates against the shared sources, dates what it says about now,
keeps to the stored sources, and is in the project's own words."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from jointwork.core.content import (
    CONTENT_DATE,
    PLACEHOLDERS,
    SOURCES_FILE,
    ProductContent,
    entry_texts,
    fill_placeholders,
    load_content,
    load_sources,
    now_reasons,
    parse_content,
    parse_sources,
    placeholders_in,
)
from jointwork.core.errors import InputError, PlanError
from jointwork.products import PRODUCTS

from conftest import REPO, skip_or_fail

CONTENT = REPO / "data" / "content"
PRODUCT_FILES = [CONTENT / f"{p.slug}.yaml" for p in PRODUCTS]


def raw(slug: str) -> dict:
    return yaml.safe_load((CONTENT / f"{slug}.yaml").read_text(encoding="utf-8"))


def every_entry() -> list[tuple[str, str, dict]]:
    """(slug, group, entry as written) for every entry of every product file."""
    return [
        (p.slug, group, item) for p in PRODUCTS for group, items in raw(p.slug)["entries"].items() for item in items
    ]


def texts(entry: dict) -> str:
    return " ".join(" ".join(text.split()) for _, text in entry_texts(entry))


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_content_file_validates(product) -> None:
    content = load_content(product.slug)
    assert isinstance(content, ProductContent) and content.product == product.number
    entries = [e for group in content.entries.values() for e in group]
    assert entries, "a content file needs entries"
    for entry in entries:
        assert entry.verified or entry.note, entry.id
        for key in entry.source_keys:
            assert content.sources[key].publisher


# ---- One description of each source --------------------------------------------------------------
class TestSharedSources:
    def test_no_product_file_describes_a_source_of_its_own(self) -> None:
        for path in PRODUCT_FILES:
            assert "sources" not in yaml.safe_load(path.read_text(encoding="utf-8")), path.name

    def test_every_cited_key_resolves_and_every_source_is_cited(self) -> None:
        registry = load_sources().sources
        cited: set[str] = set()
        for slug, _group, entry in every_entry():
            keys = [entry["source"]] if isinstance(entry["source"], str) else entry["source"]
            assert set(keys) <= set(registry), (slug, entry["id"], set(keys) - set(registry))
            cited |= set(keys)
        assert cited == set(registry), f"sources nobody cites: {sorted(set(registry) - cited)}"

    @pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
    def test_a_product_lists_exactly_the_sources_it_cites(self, product) -> None:
        content = load_content(product.slug)
        assert list(content.sources) == content.cited_keys()
        shared = load_sources().sources
        assert all(content.sources[key] == shared[key] for key in content.sources)

    def test_the_same_source_is_described_once(self) -> None:
        """Two keys may not describe the same document: no repeated title, and an address is shared
        only by documents listed on one page, whose notes then name each other."""
        registry = load_sources().sources
        by_url: dict[str, list[str]] = {}
        by_title: dict[tuple[str, str], str] = {}
        for key, src in registry.items():
            if src.url:
                url = re.sub(r"^https?://(www\.)?", "", src.url).split("#")[0].rstrip("/").lower()
                by_url.setdefault(url, []).append(key)
            title = (src.publisher.lower(), src.title.lower())
            assert title not in by_title, f"{key} and {by_title[title]} share publisher and title"
            by_title[title] = key
        for url, keys in by_url.items():
            for key in keys:
                others = set(keys) - {key}
                assert all(other in " ".join((registry[key].note or "").split()) for other in others), (url, keys)

    def test_no_test_or_staging_addresses(self) -> None:
        for path in sorted(CONTENT.glob("*.yaml")):
            assert "uat." not in path.read_text(encoding="utf-8"), path.name
        assert all(
            not (s.url or "").startswith(("http://uat.", "https://uat.")) for s in load_sources().sources.values()
        )

    def test_ended_and_superseded_guidance(self) -> None:
        shared = load_sources().sources
        guide = shared["family_hubs_sfl_guide_2025_26"]
        assert guide.ended == "2026-03" and guide.superseded_by == "best_start_family_hubs_guidance_2025"
        assert shared["maternity_three_year_plan_2023"].ended == "2026-03"
        readings = {e.id: e for e in load_content("find_out_more").group("readings")}
        assert readings["family_hubs_sfl_guide_2025_26"].get("status") == "superseded"
        assert readings["maternity_three_year_plan_2023"].get("status") == "superseded"


class TestNurseryWorldFeature:
    KEY = "nursery_world_strained_relations"

    def test_one_record_dated_march_2007_with_no_invented_byline(self) -> None:
        src = load_sources().sources[self.KEY]
        assert src.publisher == "Nursery World" and src.year == 2007 and src.date == "2007-03"
        assert src.author is None and not src.confirmed and "no headline" in src.title
        assert src.url == "https://www.sec-ed.co.uk/content/news/strained-relations"

    def test_every_product_that_uses_the_feature_cites_that_record(self) -> None:
        users = {p.slug for p in PRODUCTS if self.KEY in load_content(p.slug).sources}
        assert users == {
            "introduction",
            "health_priorities",
            "successful_joint_working",
            "who_to_engage",
            "when_to_engage",
            "joint_priorities",
            "hearing_from_others",
            "find_out_more",
        }
        reading = load_content("find_out_more").entry(self.KEY)
        assert reading.get("year") == 2007 and "March 2007" in reading.get("title")

    def test_the_seed_gives_no_author_so_the_content_names_none(self) -> None:
        seed = next((REPO.parent / "shared" / "seeds").glob("002_*.txt"), None)
        if seed is not None:
            assert "Vevers" not in seed.read_text(encoding="utf-8")
        for path in sorted(CONTENT.glob("*.yaml")):
            assert "Vevers" not in path.read_text(encoding="utf-8"), path.name


# ---- Statements about now carry their date ------------------------------------------------------
class TestNow:
    def test_every_entry_that_speaks_about_now_has_its_date(self) -> None:
        """Read from the files as written, not through the loader, so the rule is checked twice."""
        missing = [
            (slug, e["id"], now_reasons(e)[0]) for slug, _, e in every_entry() if now_reasons(e) and "as_of" not in e
        ]
        assert not missing, missing

    def test_dates_are_real_dates_no_later_than_the_content_date(self) -> None:
        dated = [e for _, _, e in every_entry() if "as_of" in e]
        assert dated and all(isinstance(e["as_of"], date) and e["as_of"] <= CONTENT_DATE for e in dated)

    @pytest.mark.parametrize(
        "fields, speaks",
        [
            ({"text": "Health visitors are now commissioned by councils."}, True),
            ({"text": "Today the commissioner is the ICB."}, True),
            ({"text": "A board that no longer exists."}, True),
            ({"text": "x", "today": "Still relevant."}, True),
            ({"text": "x", "era": "now"}, True),
            ({"text": "x", "status": "current"}, True),
            ({"text": "x", "descriptors": {1: "Parents are consulted now and then."}}, False),
            ({"text": "x", "note": "The then-and-now sentence is the project's reading."}, False),
            ({"text": "In 2007 the LGA said NHS deficits hurt social care."}, False),
            ({"text": "x", "era": "2021"}, False),
            ({"text": "Since 1 July 2022 the ICB has produced it."}, True),
            ({"text": "Councils have commissioned it since 2015."}, True),
            ({"text": "Healthy weight matters, since obesity and tooth decay go together."}, False),
        ],
    )
    def test_what_counts_as_speaking_about_now(self, fields: dict, speaks: bool) -> None:
        assert bool(now_reasons({"id": "a", "source": "s", **fields})) is speaks


# ---- Placeholders instead of typed counts -------------------------------------------------------
class TestPlaceholders:
    def test_counts_of_councils_come_from_the_area_table(self) -> None:
        used = {
            (slug, e["id"]): sorted({p for _, t in entry_texts(e) for p in placeholders_in(t)})
            for slug, _, e in every_entry()
            if any(placeholders_in(t) for _, t in entry_texts(e))
        }
        assert used == {
            ("who_to_engage", "coterminosity"): ["areas_2022", "areas_2026", "single_icb_2022", "single_icb_2026"]
        }
        for slug, _, e in every_entry():
            assert not re.search(r"\b1[0-9]{2} of 15[0-9]\b", texts(e)), (slug, e["id"])

    def test_fill_placeholders(self) -> None:
        text = "{single_icb_2022} of {areas_2022} councils in 2022, {single_icb_2026} of {areas_2026} now"
        filled = fill_placeholders(
            text, {"single_icb_2022": 139, "areas_2022": 153, "single_icb_2026": 140, "areas_2026": 153}
        )
        assert filled == "139 of 153 councils in 2022, 140 of 153 now"
        with pytest.raises(KeyError, match="single_icb_2026"):
            fill_placeholders(text, {"single_icb_2022": 1, "areas_2022": 2, "areas_2026": 2})
        assert set(PLACEHOLDERS) >= placeholders_in(text)


# ---- The Healthy Child Programme, 2021 and 2026 side by side ------------------------------------
class TestHealthyChildProgramme:
    def content(self) -> ProductContent:
        return load_content("health_priorities")

    def test_2021_titles(self) -> None:
        c = self.content()
        assert c.entry("hia21_mental_health").get("title") == "Supporting maternal and family mental health"
        assert c.entry("hia21_breastfeeding").get("title") == "Supporting breastfeeding"
        assert c.entry("hia21_healthy_weight").get("title") == "Supporting healthy weight and nutrition"

    def test_2026_areas_six_and_four_only_area_one_named(self) -> None:
        areas = self.content().group("hia_2026_areas")
        bands = [a.get("age_band") for a in areas]
        assert bands.count("0 to 5") == 6 and bands.count("5 to 19") == 4
        first = self.content().entry("hia26_0_5_1")
        assert first.get("title") == "The transition to parenthood" and first.get("name_confirmed") and first.verified
        for area in areas[1:]:
            assert area.get("title") == "To be completed" and area.get("name_confirmed") is False
            assert not area.verified and area.note

    def test_every_objective_maps_to_a_2021_and_a_2026_area(self) -> None:
        c = self.content()
        hia21 = {o.id: o for o in c.group("health_objectives") if o.get("era") == "2021"}
        hia26 = {a.id: a for a in c.group("hia_2026_areas")}
        for objective in c.group("health_objectives"):
            mapping = objective.get("hia_map")
            assert set(mapping) == {"hia_2021", "hia_2026", "hia_2026_verified"}, objective.id
            assert mapping["hia_2021"] is None or mapping["hia_2021"] in hia21, objective.id
            assert mapping["hia_2026"] is None or mapping["hia_2026"] in hia26, objective.id
            if mapping["hia_2026_verified"]:
                assert mapping["hia_2026"] and hia26[mapping["hia_2026"]].get("name_confirmed"), objective.id
            if objective.get("era") == "2021":
                assert mapping["hia_2021"] == objective.id
            if objective.get("era") == "2014":
                assert mapping["hia_2021"] == objective.get("successor")
                assert mapping["hia_2026"] == c.entry(objective.get("successor")).get("hia_map")["hia_2026"]
            if objective.get("kind") == "outcome indicator":
                sharing = [
                    o.id for o in hia21.values() if set(o.get("fingertips_ids")) & set(objective.get("fingertips_ids"))
                ]
                assert mapping["hia_2021"] == (sharing[0] if sharing else None), objective.id
        unknown = [o.id for o in c.group("health_objectives") if o.get("hia_map")["hia_2026"] is None]
        assert unknown and all(not c.entry(i).get("hia_map")["hia_2026_verified"] for i in unknown)

    def test_early_reviews_are_at_home_not_in_the_hub(self) -> None:
        early = re.compile(r"antenatal and new-birth|new-birth|new baby review|6 to 8 week review|early contacts", re.I)
        for slug, _, e in every_entry():
            for sentence in re.split(r"(?<=[.;])\s+", texts(e)):
                if early.search(sentence) and re.search(r"\b(in|at) the hub\b", sentence, re.I):
                    assert "home" in sentence, (slug, e["id"], sentence)

    def test_old_service_levels_appear_only_beside_the_new_ones(self) -> None:
        for slug, _, e in every_entry():
            if "Universal Plus" in texts(e):
                assert "targeted" in texts(e) and "specialist" in texts(e), (slug, e["id"])

    def test_school_readiness_figure_and_target(self) -> None:
        entry = self.content().entry("oi_school_readiness")
        assert "65.2%" in entry.text and "latest year in the project's stored data" in entry.text
        assert "75%" in entry.text and "2028" in entry.text and "July 2025" in entry.text
        assert {"dfe_eyfsp_2022", "giving_every_child_best_start_2025"} <= set(entry.source_keys)


# ---- Family hubs, the NHS and the Health Bill ----------------------------------------------------
class TestNowFacts:
    def test_start_for_life_is_named_healthy_babies_where_content_speaks_of_now(self) -> None:
        for slug, _, e in every_entry():
            for field in ("now", "today", "then_now"):
                value = e.get(field)
                if isinstance(value, str) and "Start for Life" in value:
                    assert "Healthy Babies" in value, (slug, e["id"], field)

    def test_health_bill_says_what_is_announced_and_what_is_law_with_the_date(self) -> None:
        mentions = [(slug, e) for slug, _, e in every_entry() if "Health Bill" in texts(e)]
        assert {e["id"] for _, e in mentions} >= {"nhs_england_regions", "healthwatch", "gl_sha"}
        for slug, e in mentions:
            assert "health_bill_2026_27" in e["source"], (slug, e["id"])
            assert "law" in texts(e) and e.get("as_of") == CONTENT_DATE and not e["verified"], (slug, e["id"])
            assert "announced" in texts(e) or "proposed" in texts(e), (slug, e["id"])

    def test_jsna_partners_by_period(self) -> None:
        text = " ".join(load_content("who_to_engage").entry("jsna").text.split())
        assert "clinical commissioning groups" in text and "1 July 2022" in text and "April 2013" in text
        assert "since 2013 the Health and Wellbeing Board produces it with the ICB" not in text

    def test_ics_counts_are_for_2022_and_2026(self) -> None:
        for slug, _, e in every_entry():
            text = texts(e)
            if re.search(r"\bNHS England is now clustering\b|\bare now sharing leadership in clusters\b", text):
                pytest.fail(f"{slug}.{e['id']} still speaks of clustering as the present state")


# ---- Entries corrected in issue 9 ----------------------------------------------------------------
class TestCorrections:
    def test_east_lancashire_topics_ran_across_the_pct_area(self) -> None:
        text = " ".join(load_content("introduction").entry("cs_east_lancashire").text.split())
        assert "across the East Lancashire PCT area" in text and "county-wide" not in text

    def test_ness_report_is_not_credited_with_earlier_findings(self) -> None:
        entry = load_content("find_out_more").entry("ness_three_year_olds_2008")
        assert "also found that health-led" not in entry.text and "earlier work" in entry.text
        assert "earlier work" in entry.note

    def test_product_4_is_not_verified_for_what_its_source_does_not_say(self) -> None:
        entry = load_content("introduction").entry("product_4")
        assert not entry.verified and "says nothing about what changed later" in " ".join(entry.note.split())

    def test_reading_index_additions_have_no_invented_addresses(self) -> None:
        content = load_content("find_out_more")
        for reading_id in (
            "ten_year_health_plan_2025",
            "model_icb_blueprint",
            "hcp_delivery_2026",
            "families_first_programme",
        ):
            reading = content.entry(reading_id)
            src = content.sources[reading_id]
            assert not reading.verified and reading.note, reading_id
            assert src.url is None and src.archived_url is None and not src.confirmed, reading_id
        for reading_id in ("hcp_high_impact_area_framework_2026", "hcp_commissioning_2026"):
            assert content.entry(reading_id).get("status") == "current"


# ---- The schema itself ---------------------------------------------------------------------------
class TestSchema:
    def write(self, tmp_path: Path, data: dict, sources: dict | None = None) -> Path:
        (tmp_path / SOURCES_FILE).write_text(
            yaml.safe_dump(sources or {"sources": {"s": {"publisher": "P", "title": "T"}}}), encoding="utf-8"
        )
        path = tmp_path / "successful_joint_working.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        return path

    def base(self) -> dict:
        return {
            "product": 3,
            "slug": "successful_joint_working",
            "title": "t",
            "purpose": "p",
            "who": "w",
            "minutes": 60,
            "entries": {"factors": [{"id": "a", "text": "x", "source": "s", "verified": True}]},
        }

    def test_valid(self, tmp_path: Path) -> None:
        content = parse_content(self.write(tmp_path, self.base()))
        assert content.entry("a").text == "x" and list(content.sources) == ["s"]

    @pytest.mark.parametrize(
        "change, field",
        [
            (lambda d: d["entries"]["factors"][0].update(verified=False), "entries.factors[0]"),
            (lambda d: d["entries"]["factors"][0].update(source="missing"), "entries.factors[0].source"),
            (lambda d: d["entries"]["factors"][0].pop("text"), "entries.factors[0].text"),
            (lambda d: d.update(slug="other"), "slug"),
            (lambda d: d["entries"]["factors"].append(dict(d["entries"]["factors"][0])), "(file)"),
            (lambda d: d["entries"]["factors"][0].update(id="Bad Id"), "entries.factors[0].id"),
            (lambda d: d.update(sources={"s": {"publisher": "P", "title": "T"}}), "sources"),
            (lambda d: d["entries"]["factors"][0].update(text="Councils now commission it."), "entries.factors[0]"),
            (lambda d: d["entries"]["factors"][0].update(today="Yes."), "entries.factors[0]"),
            (lambda d: d["entries"]["factors"][0].update(text="now", as_of="2031-01-01"), "entries.factors[0]"),
            (lambda d: d["entries"]["factors"][0].update(text="{single_icb_2030} councils"), "entries.factors[0]"),
        ],
    )
    def test_invalid_names_file_and_field(self, tmp_path: Path, change, field: str) -> None:
        data = self.base()
        change(data)
        path = self.write(tmp_path, data)
        with pytest.raises(PlanError) as caught:
            parse_content(path)
        assert str(path) in str(caught.value) and f"'{field}'" in str(caught.value)

    def test_now_entry_with_its_date_is_valid(self, tmp_path: Path) -> None:
        data = self.base()
        data["entries"]["factors"][0].update(text="Councils now commission it.", as_of=CONTENT_DATE)
        assert parse_content(self.write(tmp_path, data)).entry("a").as_of == CONTENT_DATE

    @pytest.mark.parametrize(
        "source, expected",
        [
            ({"publisher": "P", "title": "T", "url": "https://uat.example.org/x"}, "not a test or staging site"),
            ({"publisher": "P", "title": "T", "year": 2006, "date": "2007-03"}, "to match 'year'"),
            ({"publisher": "P", "title": "T", "superseded_by": "gone"}, "not a source"),
            ({"publisher": "P", "title": "T", "confirmed": False}, "needs a note"),
            ({"publisher": "P", "title": "T", "date": "March 2007", "year": 2007}, "text matching"),
        ],
    )
    def test_invalid_sources(self, tmp_path: Path, source: dict, expected: str) -> None:
        path = tmp_path / SOURCES_FILE
        path.write_text(yaml.safe_dump({"sources": {"s": source}}), encoding="utf-8")
        with pytest.raises(PlanError, match=expected) as caught:
            parse_sources(path)
        assert str(path) in str(caught.value)

    def test_missing_sources_file(self, tmp_path: Path) -> None:
        path = tmp_path / "successful_joint_working.yaml"
        path.write_text(yaml.safe_dump(self.base()), encoding="utf-8")
        with pytest.raises(InputError, match="shared sources file"):
            parse_content(path)

    def test_malformed_yaml(self, tmp_path: Path) -> None:
        path = tmp_path / "x.yaml"
        path.write_text("product: [1\n", encoding="utf-8")
        with pytest.raises(InputError, match="valid YAML"):
            parse_content(path)


def test_project_is_in_its_own_words() -> None:
    tool = REPO.parent / "shared" / "tools" / "own_words.py"
    if not tool.exists():
        skip_or_fail(f"the own-words checker is not at {tool}")
    result = subprocess.run([sys.executable, str(tool), str(REPO)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_counts_in_content_come_from_the_area_tables() -> None:
    """No count of councils is typed into content: placeholders are filled from data/areas."""
    from jointwork.core.areas import all_areas

    areas = all_areas()
    text = load_content("who_to_engage").entry("coterminosity").text
    assert "{" not in text
    assert f"{sum(a.single_icb_2022 for a in areas)} of {len(areas)} upper-tier councils" in text
    assert f"{sum(a.single_icb for a in areas)} of {len(areas)} on the map of 1 April 2026" in text
