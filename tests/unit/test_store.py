"""The plan store: validated loads, atomic saves, history, locking and clear errors."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from jointwork.core.errors import InputError, PlanError
from jointwork.core.store import KEEP_VERSIONS, PlanStore, parse_plan, plan_to_yaml
from jointwork.products import Plan, plan_store
from jointwork.products import successful_joint_working as sjw

CODE = "E06000045"


def first_factor() -> str:
    return sjw.factors()[0].id


def write_plan(store: PlanStore, text: str, code: str = CODE) -> Path:
    path = store.path_for(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


class TestLoad:
    def test_round_trip(self, workspace: Path) -> None:
        store = plan_store(workspace)
        store.update(CODE, lambda p: sjw.add_action(p, first_factor(), "Health visitor lead joins the board"))
        plan = store.load(CODE)
        assert plan.successful_joint_working.actions[0].action == "Health visitor lead joins the board"
        assert parse_plan(plan_to_yaml(plan), "x", Plan) == plan

    def test_missing_plan_gives_blank_without_writing(self, workspace: Path) -> None:
        store = plan_store(workspace)
        assert store.load_or_new(CODE) == Plan(area_code=CODE)
        assert not store.exists(CODE)

    def test_workspace_from_environment(self, workspace: Path) -> None:
        assert plan_store().root == workspace.resolve()

    @pytest.mark.parametrize(
        "text, field, line, expected",
        [
            (
                "schema_version: 1\narea_code: E06000045\nsuccessful_joint_working:\n  respondents:\n"
                "  - name: A\n    sector: health\n    ratings:\n      {f}:\n        score: 7\n",
                "successful_joint_working.respondents[0].ratings.{f}.score",
                9,
                "less than or equal to 4",
            ),
            (
                "schema_version: 1\narea_code: E06000045\nintroduction:\n  team_nmae: Us\n",
                "introduction.team_nmae",
                4,
                "no such field",
            ),
            (
                "schema_version: 1\narea_code: E06000045\nwho_to_engage:\n  stakeholders:\n  - role: GP\n"
                "    sector: health\n    influence: high\n",
                "who_to_engage.stakeholders[0].influence",
                7,
                "valid integer",
            ),
            ("schema_version: 1\narea_code: ../x\n", "area_code", 2, "GSS"),
            ("schema_version: 1\narea_code: E0600004\n", "area_code", 2, "GSS"),
            (
                "schema_version: 1\narea_code: E06000045\nsuccessful_joint_working:\n  respondents:\n"
                "  - name: A\n    sector: health\n    ratings:\n      no_such_factor:\n        score: 2\n",
                "successful_joint_working.respondents[0].ratings.no_such_factor",
                8,
                "factor ids",
            ),
            ("schema_version: 3\narea_code: E06000045\n", "schema_version", 1, "schema version 1 or 2"),
            ("schema_version: 1\narea_code: E06000045\nintroduction: [unclosed\n", "(file)", 4, "valid YAML"),
            ("- just\n- a list\n", "(file)", 1, "a mapping"),
        ],
    )
    def test_bad_input_names_file_field_line_and_expectation(
        self, workspace: Path, text: str, field: str, line: int, expected: str
    ) -> None:
        store = plan_store(workspace)
        path = write_plan(store, text.replace("{f}", first_factor()))
        before = path.read_bytes()
        with pytest.raises(PlanError) as caught:
            store.load(CODE)
        message = str(caught.value)
        assert str(path) in message
        assert f"'{field.replace('{f}', first_factor())}'" in message
        assert f"line {line}" in message
        assert expected in message
        assert path.read_bytes() == before

    def test_only_safe_yaml_is_read(self, workspace: Path) -> None:
        """A tag that would build a Python object is refused, not executed."""
        store = plan_store(workspace)
        write_plan(store, "schema_version: 1\narea_code: !!python/object/apply:os.system ['echo unsafe']\n")
        with pytest.raises(PlanError, match="valid YAML"):
            store.load(CODE)

    def test_failed_plan_is_never_overwritten(self, workspace: Path) -> None:
        store = plan_store(workspace)
        path = write_plan(store, "schema_version: 1\narea_code: E06000045\nintroduction:\n  team_nmae: Us\n")
        before = path.read_bytes()
        with pytest.raises(PlanError):
            store.update(CODE, lambda p: sjw.add_respondent(p, "A", "health"))
        with pytest.raises(PlanError):
            store.save(Plan(area_code=CODE))
        assert path.read_bytes() == before
        assert store.history(CODE) == []

    def test_file_name_and_area_code_must_agree(self, workspace: Path) -> None:
        store = plan_store(workspace)
        write_plan(store, "schema_version: 1\narea_code: E06000026\n")
        with pytest.raises(PlanError, match="E06000045 \\(the file name\\)"):
            store.load(CODE)

    @pytest.mark.parametrize("code", ["../x", "E0600004", "../../etc/passwd"])
    def test_paths_are_only_built_from_gss_codes(self, workspace: Path, code: str) -> None:
        with pytest.raises(InputError, match="GSS code"):
            plan_store(workspace).path_for(code)


class TestSave:
    @pytest.mark.filterwarnings("ignore:Pydantic serializer warnings")  # the test assigns a raw dict on purpose
    def test_refused_change_writes_nothing(self, workspace: Path) -> None:
        store = plan_store(workspace)
        store.update(CODE, lambda p: sjw.add_action(p, first_factor(), "A"))
        before = store.path_for(CODE).read_bytes()
        with pytest.raises(PlanError, match="factor ids"):
            store.update(CODE, lambda p: setattr(p.successful_joint_working.actions[0], "factor", "not_a_factor"))
        with pytest.raises(PlanError, match="a valid string"):
            store.update(CODE, lambda p: p.successful_joint_working.actions.append({"action": "x", "factor": 3}))
        assert store.path_for(CODE).read_bytes() == before

    def test_history_keeps_previous_versions(self, workspace: Path) -> None:
        store = plan_store(workspace)
        for n in range(KEEP_VERSIONS + 5):
            store.update(CODE, lambda p, n=n: setattr(p.introduction, "team_name", f"team {n}"))
        versions = store.history(CODE)
        assert len(versions) == KEEP_VERSIONS
        assert parse_plan(versions[0].path.read_text(), "v", Plan).introduction.team_name == f"team {KEEP_VERSIONS + 3}"
        restored = store.restore(CODE, versions[-1].number)
        assert restored.introduction.team_name == "team 4"
        assert store.load(CODE).introduction.team_name == "team 4"

    def test_unchanged_update_does_not_add_a_version(self, workspace: Path) -> None:
        store = plan_store(workspace)
        store.update(CODE, lambda p: setattr(p.introduction, "team_name", "Us"))
        store.update(CODE, lambda p: setattr(p.introduction, "team_name", "Us"))
        assert store.history(CODE) == []

    def test_save_is_atomic_when_writing_fails(self, workspace: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        store = plan_store(workspace)
        store.update(CODE, lambda p: setattr(p.introduction, "team_name", "Before"))
        before = store.path_for(CODE).read_bytes()

        def broken_replace(src: str, dst: str) -> None:
            raise OSError("disk full")

        monkeypatch.setattr(os, "replace", broken_replace)
        with pytest.raises(OSError):
            store.update(CODE, lambda p: setattr(p.introduction, "team_name", "After"))
        monkeypatch.undo()
        assert store.path_for(CODE).read_bytes() == before
        assert not [p for p in store.plans_dir.iterdir() if p.name.endswith(".tmp")]

    def test_restore_unknown_version(self, workspace: Path) -> None:
        with pytest.raises(InputError, match="saved versions"):
            plan_store(workspace).restore(CODE, 99)


def _add_many(workspace: str, who: str, count: int) -> None:
    store = plan_store(workspace)
    for i in range(count):
        store.update(CODE, lambda p, i=i: sjw.add_action(p, first_factor(), f"{who} action {i}"))


class TestLock:
    def test_two_processes_saving_lose_no_edit(self, workspace: Path) -> None:
        ctx = multiprocessing.get_context("spawn")
        workers = [ctx.Process(target=_add_many, args=(str(workspace), who, 25)) for who in ("kernel A", "kernel B")]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
            assert worker.exitcode == 0
        actions = plan_store(workspace).load(CODE).successful_joint_working.actions
        assert len(actions) == 50
        assert {a.action for a in actions} == {f"{w} action {i}" for w in ("kernel A", "kernel B") for i in range(25)}
