"""Plan files that are not text, and how many earlier versions the store keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from jointwork import cli
from jointwork.core.errors import InputError, PlanError
from jointwork.products import plan_store

CODE = "E06000045"


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        (
            "schema_version: 1\narea_code: E06000045\nintroduction:\n  team_name: Caf\xe9\n".encode("latin-1"),
            "not UTF-8",
        ),
        ("schema_version: 1\narea_code: E06000045\n".encode("utf-16"), "UTF-16 text: save it as UTF-8"),
    ],
)
def test_a_plan_that_is_not_utf8_text_is_refused_in_words(workspace: Path, data: bytes, expected: str) -> None:
    path = workspace / "plans" / f"{CODE}.yaml"
    path.write_bytes(data)
    with pytest.raises(PlanError) as caught:
        plan_store(workspace).load(CODE)
    assert str(path) in str(caught.value) and expected in str(caught.value)
    assert path.read_bytes() == data, "a plan that does not load is never rewritten"
    with pytest.raises(PlanError):
        plan_store(workspace).update(CODE, lambda plan: None)
    assert path.read_bytes() == data


def test_validate_gives_one_line_for_a_binary_file(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = workspace / "plans" / f"{CODE}.yaml"
    path.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)))
    assert cli.main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(path) in err and "UTF-8 text" in err
    assert len(err.strip().splitlines()) == 1


def test_the_line_of_the_first_bad_byte_is_named(workspace: Path) -> None:
    path = workspace / "plans" / f"{CODE}.yaml"
    path.write_bytes(b"schema_version: 1\narea_code: E06000045\nintroduction:\n  hopes: \xff\n")
    with pytest.raises(PlanError) as caught:
        plan_store(workspace).load(CODE)
    assert caught.value.problems[0][1] == 4


@pytest.mark.parametrize(
    "body, line, expected",
    [
        ("introduction:\n  workshop_date: 2026-13-01\n", 4, "a real date as YYYY-MM-DD, got '2026-13-01'"),
        ("introduction:\n  workshop_date: 2026-02-30\n", 4, "a real date as YYYY-MM-DD, got '2026-02-30'"),
        ("introduction:\n  hopes: first\n  hopes: second\n", 5, "'hopes' is given again (first on line 4)"),
        ("area_code: E06000045\n", 3, "'area_code' is given again (first on line 2)"),
    ],
)
def test_an_impossible_date_or_a_field_given_twice_is_named_with_its_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, expected: str
) -> None:
    path = workspace / "plans" / f"{CODE}.yaml"
    data = f"schema_version: 1\narea_code: {CODE}\n{body}".encode()
    path.write_bytes(data)
    with pytest.raises(PlanError) as caught:
        plan_store(workspace).load(CODE)
    assert caught.value.problems[0][1] == line and expected in str(caught.value)
    assert cli.main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(path) in err and len(err.strip().splitlines()) == 1
    assert path.read_bytes() == data, "what was typed is left as it was"


def test_validate_on_a_folder_says_it_is_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(tmp_path) in err and "this is a folder" in err


@pytest.mark.parametrize("keep", [0, 1, 3])
def test_the_store_keeps_as_many_versions_as_asked(workspace: Path, keep: int) -> None:
    store = plan_store(workspace, keep=keep)
    for i in range(6):
        store.update(CODE, lambda plan, i=i: setattr(plan.introduction, "team_name", f"team {i}"))
    history = store.history(CODE)
    assert len(history) == keep
    if keep:
        assert store.read(history[0].path).introduction.team_name == "team 4"


@pytest.mark.parametrize("keep", [-1, 2.5, True, "3"])
def test_a_wrong_number_of_versions_is_refused(workspace: Path, keep: object) -> None:
    with pytest.raises(InputError, match="keep"):
        plan_store(workspace, keep=keep)
