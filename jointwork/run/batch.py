"""Every area at once: product notebooks for many areas in parallel, one HTML pack per area,
an index over all areas and a cross-area summary.

    from jointwork.run.batch import run_batch
    result = run_batch("region:South West", "all", out="out", jobs=3)
    print(result.report())

A batch is a pipeline of four stages, each handing its result to the next:

1. **plan the work** (:mod:`jointwork.run.planning`, in this process): choose the areas and
   products, read and validate each area's plan once, read its manifest and decide which
   notebooks and packs are up to date;
2. **execute** (:mod:`jointwork.run.worker`, in worker processes): run the area's notebooks through
   :func:`jointwork.run.execute.execute_notebook`, by default on the ``jointwork_warm`` engine (one
   warm kernel per worker, reset between notebooks: see :mod:`jointwork.run.engine`);
3. **render the pack** (in the same worker): the area's offline HTML page (:mod:`jointwork.render.pack`),
   and its manifest;
4. **summarise** (:mod:`jointwork.run.summary`, in this process): the index and the cross-area
   summary from the plans read in stage 1 and the outcomes of stages 2 and 3.

One failing notebook or area never stops the others: failures are collected with the area,
product, cell and error. A re-run skips outputs that are up to date unless ``force=True``.

Layout of ``out``::

    out/index.html            every area, with its pack and status
    out/summary.csv|.html     the cross-area summary
    out/<CODE>/index.html     the area's pack (contents, products, attribution)
    out/<CODE>/NN_slug.ipynb  the executed notebooks
    out/<CODE>/manifest.json  what the outputs were made from
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from pathlib import Path

from .execute import WARM_ENGINE
from .manifest import read_manifest, write_manifest
from .planning import PACK, AreaWork, WorkPlan, default_jobs, plan_work
from .results import AreaOutcome, BatchResult, Failure, NotebookRun
from .selection import parse_areas, parse_products
from .summary import area_row, write_index, write_summary
from .worker import progress_bar, run_tasks

DEFAULT_TIMEOUT = 600.0


def run_batch(
    areas: str | Iterable[str] = "all",
    products: str | Iterable[int | str] | None = "all",
    *,
    out: str | os.PathLike[str] = "out",
    workspace: str | os.PathLike[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    engine: str = WARM_ENGINE,
    kernel_name: str = "python3",
    progress: bool | None = None,
    packs: bool = True,
    summary: bool = True,
    notebooks: str | os.PathLike[str] | None = None,
) -> BatchResult:
    """Run product notebooks for many areas; write packs, an index and a cross-area summary.

    ``areas``: ``"all"``, ``"region:NAME"``, ``"CODE,CODE"`` or a list. ``products``: ``"all"``,
    ``"3"``, ``"1,3,5"``, ``"1-3"`` or a list. ``jobs``: worker processes (0: run in this process;
    default: cores + 1, at most 3, at most the number of areas to run). ``timeout``: seconds allowed for each notebook.
    ``engine``: ``"jointwork_warm"`` (a warm kernel per worker) or ``"nbclient"`` (papermill's
    fresh kernel per notebook). ``progress``: show a progress bar on stderr (default: when stderr
    is a terminal). ``notebooks``: the folder of product notebooks (default: the project's).

    Workers are *spawned* processes (they never inherit this process's kernels or sockets), so a
    script that calls this must do so under ``if __name__ == "__main__":``.
    """
    if jobs is not None and (isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 0):
        from ..core.errors import InputError

        raise InputError("argument", "jobs", "a whole number of worker processes, 0 (this process) or more", got=jobs)
    from ..core.paths import notebooks_dir, resolve_workspace

    started = time.perf_counter()
    chosen_areas = parse_areas(areas)
    chosen_products = parse_products(products)
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    work = plan_work(
        chosen_areas,
        chosen_products,
        out_dir=out_dir,
        workspace=resolve_workspace(workspace),
        notebooks=Path(notebooks).resolve() if notebooks else notebooks_dir(),
        force=force,
        engine=engine,
        kernel_name=kernel_name,
        timeout=timeout,
        packs=packs,
    )
    result = BatchResult(out_dir, [a.code for a in chosen_areas], chosen_products, engine)

    tasks = work.tasks
    with progress_bar(sum(max(1, len(t.run)) for t in tasks), progress) as bar:
        outcomes = {o.area: o for o in run_tasks(tasks, default_jobs() if jobs is None else jobs, bar)}
    for area in work.areas:
        _collect(result, work, area, outcomes.get(area.code))

    if summary:
        result.summary_csv, result.summary_html = write_summary(out_dir, [area_row(a, result) for a in work.areas])
    if packs:
        result.index = write_index(out_dir, work.areas, result)
    result.seconds = time.perf_counter() - started
    return result


def _collect(result: BatchResult, work: WorkPlan, area: AreaWork, outcome: AreaOutcome | None) -> None:
    """Add one area's outcome to the result: a worker's, a broken plan's, or nothing to do."""
    from ..products import get_product

    area_dir = Path(work.settings.out_dir) / area.code
    if area.plan is None:
        # A plan that does not validate would fail every notebook at the same cell: say it once,
        # and forget the area's earlier outputs so that they are made again once the plan is fixed.
        result.failures.append(Failure(area.code, area.area.name, f"the plan does not validate: {area.plan_error}"))
        manifest = read_manifest(area_dir)
        if manifest:
            entries = {
                name: entry
                for name, entry in manifest.get("notebooks", {}).items()
                if name not in {get_product(n).notebook for n in result.products}
            }
            write_manifest(area_dir, area.code, work.settings.workspace, entries, manifest.get("pack"))
        return
    if outcome is None:  # everything up to date
        result.runs += [
            NotebookRun(area.code, n, "up to date", str(area_dir / get_product(n).notebook)) for n in area.up_to_date
        ]
        if work.settings.packs:
            result.packs[area.code] = area_dir / PACK
        return
    result.runs += sorted(outcome.runs, key=lambda r: r.product)
    result.failures += outcome.failures
    if outcome.pack:
        result.packs[area.code] = Path(outcome.pack)
