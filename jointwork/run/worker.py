"""The batch's second and third stages, in worker processes: execute an area's notebooks, render its pack.

Each worker is a spawned process with one warm kernel (:mod:`jointwork.run.engine`). For each
:class:`~jointwork.run.planning.AreaTask` it runs the area's notebooks through
:func:`~jointwork.run.execute.execute_notebook`, renders the area's pack from the notebooks it
holds in memory, writes the area's papers (:data:`jointwork.papers.PAPERS`: its Excel workbook...),
writes the area's manifest and returns an :class:`AreaOutcome`. One failing
notebook, area or worker never stops the others.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from pathlib import Path
from typing import Any

from .execute import WARM_ENGINE
from .manifest import file_digest, pack_key, read_manifest, write_manifest
from .planning import PACK, AreaTask
from .results import AreaOutcome, Failure, NotebookRun


# ---- one area -------------------------------------------------------------------------------
def run_area_task(task: AreaTask) -> AreaOutcome:
    """Execute an area's notebooks, then write its pack, its papers and its manifest. Never raises."""
    started = time.perf_counter()
    outcome = AreaOutcome(task.code)
    try:
        _run_area(task, outcome, Path(task.settings.out_dir) / task.code)
    except Exception as exc:  # keep the batch going whatever happens to one area
        outcome.failures.append(Failure(task.code, task.name, f"{type(exc).__name__}: {exc}"))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _run_area(task: AreaTask, outcome: AreaOutcome, area_dir: Path) -> None:
    from ..products import get_product

    settings = task.settings
    manifest = read_manifest(area_dir)
    entries: dict[str, Any] = dict(manifest.get("notebooks", {}))
    executed: dict[int, Any] = {}
    for number in settings.products:
        product = get_product(number)
        if number not in task.run:
            outcome.runs.append(NotebookRun(task.code, number, "up to date", str(area_dir / product.notebook)))
            continue
        run, failure, nb = _execute(task, number)
        outcome.runs.append(run)
        if failure:
            outcome.failures.append(failure)
            entries[product.notebook] = {"status": "failed", "key": task.keys[number], "error": failure.error}
        else:
            entries[product.notebook] = {
                "status": "ok",
                "key": task.keys[number],
                "output": file_digest(Path(run.path)),
            }
        if nb is not None:
            executed[number] = nb

    pack_entry = manifest.get("pack")
    if settings.packs:
        outputs = {n: entries.get(get_product(n).notebook, {}).get("output") for n in settings.products}
        key = pack_key(settings.products, outputs, settings.library)
        pack_path = area_dir / PACK
        if task.run or not pack_entry or pack_entry.get("key") != key or not pack_path.is_file():
            _write_pack(task, area_dir, executed)
            outcome.pack_built = True
            pack_entry = {"key": key, "file": PACK}
        outcome.pack = str(pack_path)
        papers_missing = any(not (area_dir / name).is_file() for name in paper_files())
        if outcome.pack_built or papers_missing:
            _write_papers(task, area_dir, outcome)
    write_manifest(area_dir, task.code, settings.workspace, entries, pack_entry)


def paper_files() -> list[str]:
    """The file names of the papers every area gets (:data:`jointwork.papers.PAPERS`)."""
    from ..papers import PAPERS

    return [paper.file_name for paper in PAPERS]


def _write_papers(task: AreaTask, area_dir: Path, outcome: AreaOutcome) -> None:
    """Write each of the area's papers (its workbook, ...) from its saved plan and responses; one that fails
    is reported."""
    from ..core.areas import find_area
    from ..core.responses import ResponseStore
    from ..papers import build_papers
    from ..products import plan_store

    store = plan_store(task.settings.workspace)
    plan = store.load(task.code) if store.exists(task.code) else None
    responses = ResponseStore(task.settings.workspace).area(task.code)
    area = find_area(task.code)
    for paper, data in build_papers(area, plan, responses):
        target = area_dir / paper.file_name
        try:
            if isinstance(data, Exception):
                raise data
            temporary = target.with_name(f".{target.name}.tmp")
            temporary.write_bytes(data)
            temporary.replace(target)
        except Exception as exc:  # one paper never stops the others, nor the area
            target.unlink(missing_ok=True)
            outcome.failures.append(Failure(task.code, task.name, f"{paper.file_name}: {type(exc).__name__}: {exc}"))


def _first_line(source: Any) -> str:
    text = "".join(source) if isinstance(source, list) else str(source or "")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 80 else first[:77] + "..."


def _plain(text: str) -> str:
    """An error message without terminal colour codes."""
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text).strip()


def _execute(task: AreaTask, number: int) -> tuple[NotebookRun, Failure | None, Any]:
    """Run one product notebook for the task's area; the notebook is ``None`` if none was written."""
    from papermill.exceptions import PapermillExecutionError

    from ..products import get_product
    from .execute import execute_notebook, notebook_parameters

    settings = task.settings
    product = get_product(number)
    target = Path(settings.out_dir) / task.code / product.notebook
    target.unlink(missing_ok=True)  # never let an older run's notebook stand in for this one
    started = time.perf_counter()
    failure = None
    nb = None
    try:
        nb = execute_notebook(
            Path(settings.notebooks) / product.notebook,
            target,
            notebook_parameters(task.code, settings.workspace),
            engine=settings.engine,
            timeout=settings.timeout,
            cwd=settings.notebooks,
            kernel_name=settings.kernel_name,
        )
    except PapermillExecutionError as exc:
        failure = Failure(
            task.code,
            task.name,
            _plain(f"{exc.ename}: {exc.evalue}"),
            number,
            product.notebook,
            exc.cell_index,
            _first_line(exc.source),
        )
    except Exception as exc:  # a kernel that would not start, a timeout outside a cell, a bad notebook...
        failure = Failure(
            task.code, task.name, _plain(f"{type(exc).__name__}: {exc}") or type(exc).__name__, number, product.notebook
        )
    if nb is None and target.is_file():  # papermill writes the notebook (with its error) before raising
        nb = json.loads(target.read_text(encoding="utf-8"))
    run = NotebookRun(task.code, number, "failed" if failure else "ran", str(target), time.perf_counter() - started)
    return run, failure, nb


def _write_pack(task: AreaTask, area_dir: Path, executed: dict[int, Any]) -> Path:
    """Render the area's pack from the notebooks just run, reading the up-to-date ones from disk."""
    from ..products import get_product
    from ..render.pack import PackEntry, Section, area_pack, render_notebook

    parts: list[Section | PackEntry] = []
    for number in task.settings.products:
        product = get_product(number)
        nb = executed.get(number)
        path = area_dir / product.notebook
        if nb is None and path.is_file():
            nb = json.loads(path.read_text(encoding="utf-8"))
        if nb is None:
            parts.append(PackEntry(number, product.title, "not produced"))
        else:
            parts.append(render_notebook(nb, number, product.title, product.notebook))
    from ..papers import PAPERS

    papers = [(paper.name, paper.file_name) for paper in PAPERS]
    return area_pack(area_dir / PACK, task.name, task.code, task.description, parts, papers=papers)


# ---- worker processes -----------------------------------------------------------------------
def _worker_init(engine: str, kernel_name: str, env: dict[str, str]) -> None:
    os.environ.update(env)
    import papermill  # noqa: F401  (imported once per worker, not per notebook)

    from ..render import pack  # noqa: F401

    if engine == WARM_ENGINE:
        from .engine import start_warm_kernel

        try:
            start_warm_kernel(kernel_name)
        except Exception:
            pass  # the engine tries again for the first notebook and reports what goes wrong


def progress_bar(total: int, enabled: bool | None) -> Any:
    """A progress bar over notebooks on stderr (shown by default when stderr is a terminal)."""
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(
        total=total, unit="notebook", file=sys.stderr, disable=not enabled, dynamic_ncols=True, desc="jointwork batch"
    )


def run_tasks(tasks: list[AreaTask], jobs: int, progress: Any) -> list[AreaOutcome]:
    """Run area tasks in worker processes; a crashed worker costs only the areas it was running.

    An area whose worker died is tried once more in a new pool; a second death is its failure.
    ``jobs=0`` runs the tasks one after another in this process instead (on this process's warm
    kernel): no worker to start, handy for a debugger, but a crash is this process's.
    """
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    if not tasks:
        return []
    if jobs == 0:
        outcomes_here = []
        for task in tasks:
            outcomes_here.append(run_area_task(task))
            progress.update(max(1, len(task.run)))
        return outcomes_here
    settings = tasks[0].settings
    # Start a warm kernel with each worker only when there are notebooks to run (not for packs alone).
    engine = settings.engine if any(task.run for task in tasks) else ""
    outcomes: list[AreaOutcome] = []
    pending = list(tasks)
    attempts: dict[str, int] = {}
    env = {k: v for k, v in os.environ.items() if k.startswith("JOINTWORK_")}
    # "spawn": workers start clean (no copy of this process's kernels, threads or sockets).
    context = multiprocessing.get_context("spawn")
    while pending:
        workers = max(1, min(jobs, len(pending)))
        broken: list[AreaTask] = []
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_worker_init, initargs=(engine, settings.kernel_name, env)
        ) as pool:
            futures = {pool.submit(run_area_task, task): task for task in pending}
            pending = []
            waiting = set(futures)
            while waiting:
                done, waiting = wait(waiting, return_when=FIRST_COMPLETED)
                for future in done:
                    task = futures[future]
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        broken.append(task)
                        continue
                    except Exception as exc:
                        outcome = AreaOutcome(
                            task.code, failures=[Failure(task.code, task.name, f"{type(exc).__name__}: {exc}")]
                        )
                    outcomes.append(outcome)
                    progress.update(max(1, len(task.run)))
                    progress.set_postfix_str(f"{task.code} {task.name}"[:30], refresh=False)
        for task in broken:
            attempts[task.code] = attempts.get(task.code, 0) + 1
            if attempts[task.code] < 2:
                pending.append(task)
            else:
                outcomes.append(
                    AreaOutcome(
                        task.code,
                        failures=[Failure(task.code, task.name, "the worker process running this area died (twice)")],
                    )
                )
                progress.update(max(1, len(task.run)))
    return outcomes
