"""The command line: a thin wrapper over the Python API."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jointwork.cli import build_parser, lab_command, main
from jointwork.core.paths import notebooks_dir, resolve_workspace
from jointwork.products import plan_store

BROKEN = (
    "schema_version: 1\narea_code: E06000022\nsuccessful_joint_working:\n  respondents:\n  - name: A\n"
    "    sector: halth\n"
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


class TestAreas:
    def test_search_bath_finds_bath_and_north_east_somerset(self, capsys) -> None:
        code, out, _ = run(capsys, "areas", "--search", "bath")
        assert code == 0 and "E06000022" in out and "Bath and North East Somerset" in out

    def test_search_by_an_icb_code_and_without_punctuation(self, capsys) -> None:
        code, out, _ = run(capsys, "areas", "--search", "st helens")
        assert code == 0 and "St. Helens" in out
        code, out, _ = run(capsys, "areas", "--search", "E54000069")
        assert code == 0 and "West Sussex" in out and "4 area(s)" in out

    def test_a_closed_pipe_ends_quietly(self, capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
        class ClosedPipe(io.TextIOBase):
            """stdout when the reader (`head`) has gone."""

            def __init__(self, fd: int) -> None:
                self.fd = fd

            def write(self, text: str) -> int:
                raise BrokenPipeError(32, "Broken pipe")

            def fileno(self) -> int:
                return self.fd

        fd = os.open(tmp_path / "out", os.O_WRONLY | os.O_CREAT)
        monkeypatch.setattr(sys, "stdout", ClosedPipe(fd))
        try:
            assert main(["areas"]) == 1
        finally:
            os.close(fd)
        assert capsys.readouterr().err == ""

    def test_piped_into_head_gives_no_traceback(self) -> None:
        command = f"'{Path(sys.executable).parent / 'jointwork'}' areas | head -1"
        done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60, check=False)
        assert done.stdout.count("\n") == 1 and "Traceback" not in done.stderr and "Error" not in done.stderr

    def test_region_filter(self, capsys) -> None:
        code, out, _ = run(capsys, "areas", "--region", "North East")
        assert code == 0 and "Hartlepool" in out and "Southampton" not in out

    def test_nothing_found_exits_non_zero(self, capsys) -> None:
        code, _, err = run(capsys, "areas", "--search", "atlantis")
        assert code == 1 and "0 area(s)" in err

    def test_installed_command_runs(self) -> None:
        exe = Path(sys.executable).with_name("jointwork")
        result = subprocess.run([str(exe), "areas", "--search", "E06000022"], capture_output=True, text=True)
        assert result.returncode == 0 and "Bath" in result.stdout


class TestPlans:
    def test_init_creates_once(self, workspace: Path, capsys) -> None:
        code, out, _ = run(capsys, "init", "Bath and North East Somerset", "--workspace", str(workspace))
        assert code == 0 and (workspace / "plans" / "E06000022.yaml").is_file()
        before = (workspace / "plans" / "E06000022.yaml").read_bytes()
        code, _, err = run(capsys, "init", "E06000022", "--workspace", str(workspace))
        assert code == 1 and "already exists" in err
        assert (workspace / "plans" / "E06000022.yaml").read_bytes() == before

    def test_unknown_area_suggests_matches(self, workspace: Path, capsys) -> None:
        code, _, err = run(capsys, "init", "Southamton", "--workspace", str(workspace))
        assert code == 1 and "Southampton" in err and "closest matches" in err

    def test_validate_good_plan(self, workspace: Path, capsys) -> None:
        run(capsys, "init", "E06000022", "--workspace", str(workspace))
        code, out, _ = run(capsys, "validate", "E06000022", "--workspace", str(workspace))
        assert code == 0 and out.startswith("OK")

    def test_malformed_plan_names_the_field_and_stays_byte_for_byte(self, workspace: Path, capsys) -> None:
        path = workspace / "plans" / "E06000022.yaml"
        path.write_text(BROKEN, encoding="utf-8")
        before = path.read_bytes()
        for target in ("E06000022", str(path)):
            code, _, err = run(capsys, "validate", target, "--workspace", str(workspace))
            assert code == 1
            assert str(path) in err and "line 6" in err
            assert "'successful_joint_working.respondents[0].sector'" in err and "'local authority'" in err
        code, _, err = run(capsys, "init", "E06000022", "--workspace", str(workspace))
        assert path.read_bytes() == before

    def test_validate_missing_plan(self, workspace: Path, capsys) -> None:
        code, _, err = run(capsys, "validate", "E06000022", "--workspace", str(workspace))
        assert code == 1 and "jointwork init" in err

    def test_history_and_restore(self, workspace: Path, capsys) -> None:
        store = plan_store(workspace)
        for name in ("first", "second"):
            store.update("E06000022", lambda p, name=name: setattr(p.introduction, "team_name", name))
        code, out, _ = run(capsys, "history", "E06000022", "--workspace", str(workspace))
        assert code == 0 and out.strip().startswith("1")
        code, _, _ = run(capsys, "restore", "E06000022", "1", "--workspace", str(workspace))
        assert code == 0 and store.load("E06000022").introduction.team_name == "first"


class TestLab:
    """``jointwork lab`` opens the notebooks on the same workspace as ``demo`` and ``app``."""

    def test_default_workspace_is_the_one_where_the_command_runs(self, tmp_path: Path, monkeypatch) -> None:
        monkeypatch.delenv("JOINTWORK_WORKSPACE", raising=False)
        monkeypatch.chdir(tmp_path)
        command, env = lab_command()
        assert env["JOINTWORK_WORKSPACE"] == str(tmp_path / "workspace") == str(resolve_workspace(None))
        assert command[:4] == [sys.executable, "-m", "jupyter", "lab"] and command[4] == str(notebooks_dir())
        assert str(notebooks_dir() / "workspace") != env["JOINTWORK_WORKSPACE"]

    def test_option_then_environment(self, tmp_path: Path, monkeypatch) -> None:
        monkeypatch.chdir(tmp_path)
        monkeypatch.setenv("JOINTWORK_WORKSPACE", str(tmp_path / "from-env"))
        assert lab_command()[1]["JOINTWORK_WORKSPACE"] == str(tmp_path / "from-env")
        command, env = lab_command("mine", port=8899, open_browser=False)
        assert env["JOINTWORK_WORKSPACE"] == str(tmp_path / "mine")
        assert command[-2:] == ["--port=8899", "--no-browser"]

    def test_command_starts_jupyterlab_with_that_environment(self, tmp_path: Path, monkeypatch, capsys) -> None:
        started = []
        monkeypatch.chdir(tmp_path)
        monkeypatch.setattr(
            subprocess,
            "run",
            lambda command, env, check: started.append((command, env)) or subprocess.CompletedProcess(command, 0),
        )
        code, _, err = run(capsys, "lab", "--workspace", "ws", "--no-browser")
        [(command, env)] = started
        assert code == 0 and (command, env) == lab_command("ws", open_browser=False)
        assert str(tmp_path / "ws") in err


def test_batch_runs_every_product_by_default() -> None:
    args = build_parser().parse_args(["batch"])
    assert args.products == "all" and args.areas == "all"


class TestRounds:
    def test_open_list_and_close(self, capsys, workspace: Path) -> None:
        ws = str(workspace)
        code, out, err = run(capsys, "rounds", "Southampton", "--product", "3", "--workspace", ws)
        assert code == 0 and "No rounds yet" in err
        code, out, _ = run(
            capsys, "rounds", "E06000045", "--product", "3", "--open", "Baseline, February 2026",
            "--date", "2026-02-02", "--workspace", ws,
        )  # fmt: skip
        assert code == 0 and "Opened round 'Baseline, February 2026'" in out
        assert "2026-02-02  open" in out and "0 response(s)" in out
        code, out, _ = run(capsys, "rounds", "E06000045", "--product", "3", "--close", "baseline, february 2026",
                           "--workspace", ws)  # fmt: skip
        assert code == 0 and "Closed round 'Baseline, February 2026'" in out and "closed 20" in out

    def test_refusals_say_why(self, capsys, workspace: Path) -> None:
        ws = str(workspace)
        code, _, err = run(capsys, "rounds", "E06000045", "--product", "4", "--workspace", ws)
        assert code != 0 and "a product that asks each partner (2, 3)" in err
        code, _, err = run(capsys, "rounds", "E06000045", "--product", "3", "--close", "Nope", "--workspace", ws)
        assert code != 0 and "one of the rounds of this product (none yet)" in err
