"""The warm-kernel papermill engine: reuse, reset, failures, dead kernels and timeouts.

These run small fixture notebooks (tests/engine/fixtures/) through papermill in this process (with
:func:`jointwork.run.execute.execute_notebook`, as everything in jointwork does), like papermill's
own engine tests.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest
from papermill.engines import papermill_engines
from papermill.exceptions import PapermillExecutionError

from jointwork.run import engine
from jointwork.run.engine import WarmKernelEngine, shutdown_warm_kernels, warm_kernel
from jointwork.run.execute import WARM_ENGINE, execute_notebook

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="module", autouse=True)
def _kernels():
    yield
    shutdown_warm_kernels()


def run(name: str, tmp_path: Path, timeout: float | None = None) -> object:
    """Run a fixture notebook on the warm engine; returns the executed notebook."""
    return execute_notebook(
        FIXTURES / f"{name}.ipynb",
        tmp_path / f"{name}.ipynb",
        {"area_code": "E06000045"},
        engine=WARM_ENGINE,
        timeout=timeout,
        cwd=FIXTURES,
    )


def stdout(nb) -> str:
    return "".join(
        "".join(o.get("text", "")) for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "stream"
    )


def test_registered_as_papermill_engine() -> None:
    assert papermill_engines.get_engine("jointwork_warm") is WarmKernelEngine
    assert engine.WarmKernelEngine.__name__ == "WarmKernelEngine"


def test_variables_do_not_survive_between_notebooks(tmp_path: Path) -> None:
    first = run("set_variable", tmp_path)
    pid = warm_kernel().pid
    assert "set E06000045" in stdout(first)
    second = run("check_clean", tmp_path)
    assert warm_kernel().pid == pid, "the second notebook should run on the same, reset kernel"
    # secret_value is gone; the environment variable and sys.path entry were undone; cwd restored
    assert stdout(second).splitlines() == ["False False False", "fixtures"]
    # execution counts start again at 1, as in a fresh kernel
    assert [c.execution_count for c in second.cells if c.cell_type == "code"] == [1, 2, 3, 4]


def test_failing_cell_is_reported_with_its_index(tmp_path: Path) -> None:
    with pytest.raises(PapermillExecutionError) as caught:
        run("failing_cell", tmp_path)
    error = caught.value
    # cells: 0 markdown, 1 parameters, 2 injected parameters, 3 "x = 1", 4 the failing one
    assert error.cell_index == 4
    assert error.ename == "ValueError" and "deliberate failure for E06000045" in error.evalue
    assert error.source.startswith("raise ValueError")
    pid = warm_kernel().pid
    assert stdout(run("check_clean", tmp_path)).startswith("False")
    assert warm_kernel().pid == pid, "a failing cell must not cost the kernel"


def test_dead_kernel_is_replaced(tmp_path: Path) -> None:
    run("check_clean", tmp_path)
    kernel = warm_kernel()
    old_pid = kernel.pid
    assert old_pid
    os.kill(old_pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while kernel.alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    nb = run("check_clean", tmp_path)
    assert stdout(nb).startswith("False False False")
    assert kernel.pid and kernel.pid != old_pid


def test_notebook_that_kills_its_kernel_fails_and_the_next_one_runs(tmp_path: Path) -> None:
    with pytest.raises(PapermillExecutionError) as caught:
        run("kill_kernel", tmp_path)
    assert caught.value.cell_index == 3
    assert caught.value.ename == "DeadKernelError"
    assert stdout(run("check_clean", tmp_path)).startswith("False False False")


def test_failed_reset_starts_a_fresh_kernel(tmp_path: Path) -> None:
    run("check_clean", tmp_path)
    kernel = warm_kernel()
    old_pid = kernel.pid
    kernel._run("import sys; sys.modules['_jointwork_warm'].reset = None", 10)  # sabotage the reset
    nb = run("check_clean", tmp_path)
    assert stdout(nb).startswith("False False False")
    assert kernel.pid != old_pid


def test_notebook_timeout(tmp_path: Path) -> None:
    started = time.monotonic()
    with pytest.raises(PapermillExecutionError) as caught:
        run("slow", tmp_path, timeout=2)
    assert time.monotonic() - started < 30
    assert caught.value.ename == "TimeoutError" and caught.value.cell_index == 3
    assert stdout(run("check_clean", tmp_path)).startswith("False False False")


def without_last_cell(path: Path) -> Path:
    """A copy of an executed notebook without its last cell (which reports on the kernel itself)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = nb["cells"][:-1]
    copy = path.with_name(f"{path.stem}-compared.ipynb")
    copy.write_text(json.dumps(nb), encoding="utf-8")
    return copy


def test_streams_match_a_fresh_kernel(tmp_path: Path) -> None:
    """The warm kernel's lighter flushing (no I/O-thread round trip when nothing is buffered, no pause
    before each reply) loses, reorders or merges no output: stdout, stderr and displays come out as
    papermill's own engine gives them on a fresh kernel."""
    from jointwork.run.compare import notebooks_differ
    from jointwork.run.execute import FRESH_ENGINE

    run("check_clean", tmp_path)  # the streams notebook then runs on a kernel that has run another
    warm = run("streams", tmp_path)
    fresh = tmp_path / "fresh" / "streams.ipynb"
    execute_notebook(FIXTURES / "streams.ipynb", fresh, {"area_code": "E06000045"}, engine=FRESH_ENGINE, cwd=FIXTURES)
    code = [c for c in warm.cells if c.cell_type == "code"]
    assert "one E06000045\ntwo\n" in stdout(warm) and "err without newline" in stdout(warm)
    assert len(code[4].outputs[0].text.splitlines()) == 300
    # the last cell names the flush in use (the warm kernel's) and the pause before each reply (none)
    assert code[-1].outputs[0].text.split() == ["_flush_only_when_needed.<locals>.flush", "0.0"]
    assert notebooks_differ(without_last_cell(tmp_path / "streams.ipynb"), without_last_cell(fresh)) == []
