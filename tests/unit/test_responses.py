"""Each partner's own answers: the response store, rounds, anonymity, and schema 1 plans moving their
respondents into a round without losing anything."""

from __future__ import annotations

import json
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest
import yaml

from jointwork.core.errors import InputError
from jointwork.core.plan import SCHEMA_VERSION, Sector
from jointwork.core.responses import AreaResponses, Response, ResponseError, ResponseStore, source_id
from jointwork.products import health_priorities as p2
from jointwork.products import plan_store
from jointwork.products import successful_joint_working as p3

from conftest import SAMPLES, SCHEMA1_SAMPLES

CODE = "E06000045"
FACTOR = "shared_vision"


def response(round_id: str, name: str | None = "Alex", sector: str = "health", **answers: int) -> Response:
    return Response(
        "", round_id, p3.SLUG, Sector(sector), "", {k: {"value": v, "note": ""} for k, v in answers.items()}, name
    )


@pytest.fixture
def store(workspace: Path) -> ResponseStore:
    store = ResponseStore(workspace)
    store.open_round(CODE, p3.SLUG, "Baseline, February 2026", date(2026, 2, 1))
    return store


ROUND = "baseline-february-2026"


class TestStore:
    def test_each_response_is_its_own_file(self, store: ResponseStore, workspace: Path) -> None:
        first = store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, shared_vision=3))
        path = workspace / "responses" / CODE / p3.SLUG / ROUND / f"{first.id}.json"
        before = path.read_bytes()
        second = store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, "Kim", shared_vision=2))
        assert path.read_bytes() == before  # saving another response never rewrites this one
        assert [r.id for r in store.responses(CODE, p3.SLUG, ROUND)] == [first.id, second.id]
        assert json.loads(path.read_text())["answers"] == {FACTOR: {"value": 3, "note": ""}}

    def test_two_saves_at_once_keep_both(self, store: ResponseStore, workspace: Path) -> None:
        other = ResponseStore(workspace)  # another program (a second kernel) on the same workspace
        errors: list[Exception] = []

        def answer(where: ResponseStore, name: str) -> None:
            try:
                for score in (1, 2, 3, 4):
                    where.save(CODE, p3.QUESTIONNAIRE, response(ROUND, None, shared_vision=score))
                where.save(CODE, p3.QUESTIONNAIRE, response(ROUND, name, shared_vision=2))
            except Exception as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=answer, args=(s, n)) for s, n in ((store, "Alex"), (other, "Kim"))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        saved = store.responses(CODE, p3.SLUG, ROUND)
        assert len(saved) == 10
        labels = [r.label for r in saved if r.anonymous]
        assert sorted(labels) == sorted(f"Respondent {n}" for n in range(1, 9))  # none given twice
        assert {r.name for r in saved if not r.anonymous} == {"Alex", "Kim"}

    def test_a_closed_round_refuses_changes(self, store: ResponseStore) -> None:
        saved = store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, shared_vision=3))
        closed = store.close_round(CODE, p3.SLUG, ROUND)
        assert not closed.is_open
        with pytest.raises(ResponseError, match="was closed on .* can no longer be changed"):
            store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, "Kim", shared_vision=1))
        with pytest.raises(ResponseError, match="closed"):
            store.remove(CODE, p3.SLUG, ROUND, saved.id)
        assert [r.id for r in store.responses(CODE, p3.SLUG, ROUND)] == [saved.id]

    def test_anonymous_holds_no_name_and_no_source(self, store: ResponseStore, workspace: Path) -> None:
        given = response(ROUND, None, shared_vision=3)
        from dataclasses import replace

        given = replace(given, source="form", source_key="Jane Smith's form.xlsx")
        saved = store.save(CODE, p3.QUESTIONNAIRE, given)
        text = next((workspace / "responses").rglob(f"{saved.id}.json")).read_text()
        assert "Jane" not in text and json.loads(text)["name"] is None and saved.label == "Respondent 1"
        assert saved.id == source_id(ROUND, "Jane Smith's form.xlsx")  # found again by its id on a re-import
        again = store.save(CODE, p3.QUESTIONNAIRE, replace(given, answers={FACTOR: {"value": 1, "note": ""}}))
        assert again.id == saved.id and again.label == "Respondent 1"
        assert len(store.responses(CODE, p3.SLUG, ROUND)) == 1

    def test_a_name_that_looks_anonymous_is_refused(self, store: ResponseStore) -> None:
        with pytest.raises(ResponseError, match="not an anonymous label"):
            store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, "Respondent 2", shared_vision=3))

    def test_answers_are_checked_against_the_questionnaire(self, store: ResponseStore) -> None:
        with pytest.raises(ResponseError, match="a score from 1 to 4, got 9"):
            store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, shared_vision=9))
        with pytest.raises(ResponseError, match="no_such_factor"):
            store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, no_such_factor=2))
        assert store.responses(CODE, p3.SLUG, ROUND) == []

    def test_rounds_are_named_ordered_and_unique(self, store: ResponseStore) -> None:
        later = store.open_round(CODE, p3.SLUG, "Follow-up, November 2026", date(2026, 11, 1))
        same_day = store.open_round(CODE, p3.SLUG, "Extra", date(2026, 11, 1))
        assert [r.id for r in store.rounds(CODE, p3.SLUG)] == [ROUND, later.id, same_day.id]
        with pytest.raises(ResponseError, match="not already used"):
            store.open_round(CODE, p3.SLUG, "baseline, february 2026")
        with pytest.raises(InputError, match="one of the rounds"):
            store.round(CODE, p3.SLUG, "no-such-round")

    def test_area_responses_current_and_previous(self, store: ResponseStore) -> None:
        store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, shared_vision=3))
        store.close_round(CODE, p3.SLUG, ROUND)
        later = store.open_round(CODE, p3.SLUG, "Follow-up", date(2026, 11, 1))
        area = store.area(CODE)
        assert area.current(p3.SLUG).round.id == later.id and area.previous(p3.SLUG).round.id == ROUND
        assert area.choose(p3.SLUG, ROUND).current(p3.SLUG).round.id == ROUND
        assert area.choose(p3.SLUG, ROUND).previous(p3.SLUG) is None
        assert AreaResponses(CODE).current(p3.SLUG) is None and AreaResponses(CODE).answers(p3.SLUG) == ()

    def test_digest_changes_with_any_answer(self, store: ResponseStore) -> None:
        before = store.digest(CODE)
        store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, shared_vision=3))
        assert store.digest(CODE) != before

    def test_a_damaged_file_is_named(self, store: ResponseStore, workspace: Path) -> None:
        saved = store.save(CODE, p3.QUESTIONNAIRE, response(ROUND, shared_vision=3))
        path = next((workspace / "responses").rglob(f"{saved.id}.json"))
        path.write_text("{not json", encoding="utf-8")
        with pytest.raises(ResponseError, match=str(path)):
            store.responses(CODE, p3.SLUG, ROUND)


class TestRankingQuestionnaire:
    def test_ranks_are_checked(self, workspace: Path) -> None:
        store = ResponseStore(workspace)
        made = store.open_round(CODE, p2.SLUG, "Ranking")
        a, b = [o.id for o in p2.current_objectives()][:2]
        ranked = Response("", made.id, p2.SLUG, Sector.HEALTH, "", {a: {"value": 1}, b: {"value": 1}}, "Kim")
        with pytest.raises(ResponseError, match="rank 1 is also given"):
            store.save(CODE, p2.QUESTIONNAIRE, ranked)


def sample_respondents(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["successful_joint_working"]["respondents"]


class TestSchemaOnePlans:
    def test_there_is_a_schema_one_copy_of_each_sample(self) -> None:
        assert sorted(p.name for p in SCHEMA1_SAMPLES.glob("*.yaml")) == sorted(p.name for p in SAMPLES.glob("*.yaml"))

    @pytest.mark.parametrize("sample", sorted(SCHEMA1_SAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
    def test_first_load_moves_every_respondent_into_a_round(self, sample: Path, workspace: Path) -> None:
        code = sample.stem
        assert yaml.safe_load(sample.read_text(encoding="utf-8"))["schema_version"] == 1
        shutil.copyfile(sample, workspace / "plans" / sample.name)
        plans = plan_store(workspace)
        before = plans.read(sample)  # any schema 1 file is still read (and not changed)
        plan = plans.load(code)
        assert plan.schema_version == SCHEMA_VERSION
        assert yaml.safe_load(plans.path_for(code).read_text())["schema_version"] == SCHEMA_VERSION
        assert "respondents" not in plans.path_for(code).read_text()
        assert plan == before  # everything the group decided stays in the plan
        [kept] = plans.history(code)
        assert kept.path.read_bytes() == sample.read_bytes()  # the schema 1 file is an earlier version
        store = ResponseStore(workspace)
        [moved] = store.rounds(code, p3.SLUG)
        assert moved.name == "Ratings from the plan" and moved.is_open
        saved = store.responses(code, p3.SLUG, moved.id)
        respondents = sample_respondents(sample)
        assert [(r.name, r.sector.value) for r in saved] == [(r["name"], r["sector"]) for r in respondents]
        for old, new in zip(respondents, saved, strict=True):
            assert new.source == "plan"
            for factor, rating in old.get("ratings", {}).items():
                assert new.value(factor) == rating.get("score") and new.note(factor) == rating.get("evidence", "")
        assert plans.load(code) == plan and len(plans.history(code)) == 1  # moved once only
        assert len(store.responses(code, p3.SLUG, moved.id)) == len(respondents)
        # what data/samples ships is this move's result
        assert plans.read(SAMPLES / sample.name) == plan
        shipped = ResponseStore(SAMPLES.parent).responses(code, p3.SLUG, moved.id)
        assert [(r.id, r.name, r.sector, r.answers, r.position) for r in shipped] == [
            (r.id, r.name, r.sector, r.answers, r.position) for r in saved
        ]

    def test_scores_are_the_same_after_the_move(self, workspace: Path) -> None:
        sample = SCHEMA1_SAMPLES / f"{CODE}.yaml"
        shutil.copyfile(sample, workspace / "plans" / sample.name)
        plan = plan_store(workspace).load(CODE)
        responses = ResponseStore(workspace).area(CODE)
        frame = p3.scores(responses.answers(p3.SLUG)).set_index("factor_id")
        respondents = sample_respondents(sample)
        for factor in frame.index:
            given = [r["ratings"][factor]["score"] for r in respondents if factor in r.get("ratings", {})]
            assert frame.loc[factor, "ratings"] == len(given)
            if given:
                assert frame.loc[factor, "mean"] == round(sum(given) / len(given), 2)
        assert p3.action_list(plan, responses).text.count("\n") > 1

    def test_restoring_the_schema_one_version_brings_its_ratings_back(self, workspace: Path) -> None:
        sample = SCHEMA1_SAMPLES / f"{CODE}.yaml"
        shutil.copyfile(sample, workspace / "plans" / sample.name)
        plans = plan_store(workspace)
        plans.load(CODE)
        store = ResponseStore(workspace)
        [moved] = store.rounds(CODE, p3.SLUG)
        first = store.responses(CODE, p3.SLUG, moved.id)[0]
        store.save(CODE, p3.QUESTIONNAIRE, Response(**{**first.__dict__, "answers": {}}))  # someone cleared it
        store.close_round(CODE, p3.SLUG, moved.id)
        plans.restore(CODE, plans.history(CODE)[0].number)
        rounds = store.rounds(CODE, p3.SLUG)
        assert [r.name for r in rounds] == ["Ratings from the plan", "Ratings from the plan (2)"]
        back = store.responses(CODE, p3.SLUG, rounds[1].id)
        assert back[0].name == first.name and back[0].answers == first.answers

    def test_an_anonymous_label_in_the_plan_stays_anonymous(self, workspace: Path) -> None:
        text = (
            "schema_version: 1\narea_code: E06000045\nsuccessful_joint_working:\n  respondents:\n"
            "  - name: Respondent 4\n    sector: other\n    ratings:\n      shared_vision:\n        score: 2\n"
            "        evidence: board minutes\n  - name: Sam\n    sector: health\n"
        )
        (workspace / "plans" / "E06000045.yaml").write_text(text, encoding="utf-8")
        plan_store(workspace).load(CODE)
        store = ResponseStore(workspace)
        saved = store.responses(CODE, p3.SLUG, "ratings-from-the-plan")
        assert [(r.label, r.name) for r in saved] == [("Respondent 4", None), ("Sam", "Sam")]
        assert saved[0].answers == {FACTOR: {"value": 2, "note": "board minutes"}} and saved[1].answers == {}

    def test_a_bad_schema_one_plan_is_refused_with_its_line(self, workspace: Path) -> None:
        text = (
            "schema_version: 1\narea_code: E06000045\nsuccessful_joint_working:\n  respondents:\n"
            "  - name: Sam\n    sector: health\n    ratings:\n      shared_vision:\n        score: 9\n"
        )
        (workspace / "plans" / "E06000045.yaml").write_text(text, encoding="utf-8")
        with pytest.raises(InputError, match="line 9") as caught:
            plan_store(workspace).load(CODE)
        assert "respondents[0].ratings.shared_vision.score" in str(caught.value)
        assert not (workspace / "responses").exists()
        assert (workspace / "plans" / "E06000045.yaml").read_text(encoding="utf-8") == text


class TestBatchReadsResponses:
    def test_a_saved_answer_makes_the_batch_run_again(self, sample_workspace: Path, tmp_path: Path) -> None:
        from jointwork.core.areas import find_area
        from jointwork.core.paths import notebooks_dir
        from jointwork.run.planning import plan_work

        def keys() -> dict:
            work = plan_work(
                [find_area(CODE)], [3], out_dir=tmp_path / "out", workspace=sample_workspace,
                notebooks=notebooks_dir(), engine="jointwork_warm",
            )  # fmt: skip
            [area] = work.areas
            assert area.responses is not None and len(area.responses.answers(p3.SLUG)) == 5
            return area.task.keys[3]

        before = keys()
        store = ResponseStore(sample_workspace)
        [moved] = store.rounds(CODE, p3.SLUG)
        first = store.responses(CODE, p3.SLUG, moved.id)[0]
        store.save(CODE, p3.QUESTIONNAIRE, Response(**{**first.__dict__, "answers": {FACTOR: {"value": 1}}}))
        after = keys()
        assert before["plan"] == after["plan"] and before["responses"] != after["responses"]

    def test_the_batch_upgrades_a_schema_one_plan_before_the_workers(self, workspace: Path, tmp_path: Path) -> None:
        from jointwork.core.areas import find_area
        from jointwork.core.paths import notebooks_dir
        from jointwork.run.planning import plan_work
        from jointwork.run.summary import area_row

        shutil.copyfile(SCHEMA1_SAMPLES / f"{CODE}.yaml", workspace / "plans" / f"{CODE}.yaml")
        work = plan_work(
            [find_area(CODE)], [3], out_dir=tmp_path / "out", workspace=workspace,
            notebooks=notebooks_dir(), engine="jointwork_warm",
        )  # fmt: skip
        assert yaml.safe_load((workspace / "plans" / f"{CODE}.yaml").read_text())["schema_version"] == SCHEMA_VERSION
        row = area_row(work.areas[0])
        assert row["respondents"] == 5 and row["score_all"] is not None and "3" in row["started"].split(",")
