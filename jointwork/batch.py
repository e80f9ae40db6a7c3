"""Every area at once: product notebooks for many areas in parallel, one HTML pack per area,
an index over all areas and a cross-area summary.

    from jointwork.batch import run_batch
    result = run_batch("region:South West", "1-8", out="out", jobs=3)
    print(result.report())

Each worker process runs notebooks through papermill with the parameters injected
(:func:`jointwork.execute.notebook_parameters`), by default on the ``jointwork_warm`` engine
(one warm kernel per worker, reset between notebooks: see :mod:`jointwork.engine`), and builds the
area's pack in the same process (:mod:`jointwork.pack`). One failing notebook or area never stops
the others: failures are collected with the area, product, cell and error.

A manifest in each area's folder records what every output was made from (hashes of the plan
file or "no plan", the notebook, the library and the content and area data), so a re-run skips
outputs that are up to date unless ``force=True``.

Layout of ``out``::

    out/index.html            every area, with its pack and status
    out/summary.csv|.html     the cross-area summary
    out/<CODE>/index.html     the area's pack (contents, products, attribution)
    out/<CODE>/NN_slug.ipynb  the executed notebooks
    out/<CODE>/manifest.json  what the outputs were made from
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, JointworkError

ENGINE = "jointwork_warm"
FRESH_ENGINE = "nbclient"  # papermill's own: a fresh kernel per notebook
MANIFEST = "manifest.json"
PACK = "index.html"
MANIFEST_FORMAT = 1
DEFAULT_TIMEOUT = 600.0


# ---- what to run ----------------------------------------------------------------------------
def parse_products(spec: str | int | Iterable[int | str] | None) -> list[int]:
    """Product numbers from ``"1-8"``, ``"3"``, ``"1,3,5"``, ``"1-3,5"`` (or a list; ``None`` means all)."""
    if spec is None:
        return list(range(1, 9))
    if isinstance(spec, int):
        pieces: list[str] = [str(spec)]
    elif isinstance(spec, str):
        pieces = [p.strip() for p in spec.split(",") if p.strip()]
    else:
        pieces = [str(p).strip() for p in spec]
    numbers: list[int] = []
    for piece in pieces:
        match = re.fullmatch(r"(\d+)\s*(?:-\s*(\d+))?", piece)
        if not match:
            raise InputError("argument", "products", "product numbers such as 1-8, 3 or 1,3,5", got=piece)
        first, last = int(match.group(1)), int(match.group(2) or match.group(1))
        if not (1 <= first <= last <= 8):
            raise InputError("argument", "products", "numbers from 1 to 8, lowest first in a range", got=piece)
        numbers.extend(n for n in range(first, last + 1) if n not in numbers)
    if not numbers:
        raise InputError("argument", "products", "at least one product number such as 1-8", got=spec)
    return sorted(numbers)


def parse_areas(spec: str | Iterable[str]) -> list[Any]:
    """Areas from ``"all"``, ``"region:NAME"`` or ``"CODE,CODE"`` (codes, DfE codes or names), in order given.

    Names that contain a comma ("Bristol, City of") work too. Unknown areas raise :class:`AreaNotFound`.
    """
    from .areas import all_areas, areas_in_region, find_area

    if isinstance(spec, str):
        text = spec.strip()
        if text.casefold() in {"all", "*", "england"}:
            return all_areas()
        if text.casefold().startswith("region:"):
            return areas_in_region(text.split(":", 1)[1])
        pieces = [p.strip() for p in text.split(",") if p.strip()]
    else:
        pieces = [str(p).strip() for p in spec]
    if not pieces:
        raise InputError("argument", "areas", "all, region:NAME or a comma-separated list of area codes", got=spec)
    found, i = [], 0
    while i < len(pieces):
        area = None
        if i + 1 < len(pieces):  # "Bristol, City of" arrives as two pieces
            try:
                area = find_area(f"{pieces[i]}, {pieces[i + 1]}")
                i += 2
            except JointworkError:
                area = None
        if area is None:
            area = find_area(pieces[i])
            i += 1
        if all(a.code != area.code for a in found):
            found.append(area)
    return found


# ---- results --------------------------------------------------------------------------------
@dataclass
class Failure:
    """Something that did not work: an area's plan, or one product notebook (with its cell)."""

    area: str
    area_name: str
    error: str
    product: int | None = None
    notebook: str | None = None
    cell_index: int | None = None
    cell_source: str | None = None

    def __str__(self) -> str:
        where = f"{self.area} {self.area_name}"
        if self.product is not None:
            where += f", product {self.product}"
        if self.notebook:
            where += f" ({self.notebook})"
        if self.cell_index is not None:
            where += f", cell {self.cell_index}"
            if self.cell_source:
                where += f" `{self.cell_source}`"
        return f"{where}: {self.error}"


@dataclass
class NotebookRun:
    area: str
    product: int
    status: str  # "ran", "up to date" or "failed"
    path: str
    seconds: float = 0.0


@dataclass
class AreaOutcome:
    """What a worker did for one area (sent back to the parent process)."""

    area: str
    runs: list[NotebookRun] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    pack: str | None = None
    pack_built: bool = False
    seconds: float = 0.0


@dataclass
class BatchResult:
    out_dir: Path
    areas: list[str]
    products: list[int]
    engine: str
    runs: list[NotebookRun] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    packs: dict[str, Path] = field(default_factory=dict)
    index: Path | None = None
    summary_csv: Path | None = None
    summary_html: Path | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures

    def count(self, status: str) -> int:
        return sum(1 for r in self.runs if r.status == status)

    def report(self) -> str:
        lines = [f"{len(self.areas)} area(s), products {','.join(map(str, self.products)) or 'none'}: "
                 f"{self.count('ran')} notebook(s) run, {self.count('up to date')} up to date (skipped), "
                 f"{self.count('failed')} failed, in {self.seconds:.1f} s"]
        lines += [f"note: {n}" for n in self.notes]
        if self.failures:
            lines.append(f"{len(self.failures)} failure(s):")
            lines += [f"  - {f}" for f in self.failures]
        if self.index:
            lines.append(f"Packs: {self.index}")
        if self.summary_csv:
            lines.append(f"Summary: {self.summary_html} and {self.summary_csv}")
        return "\n".join(lines)


# ---- what outputs are made from ---------------------------------------------------------------
def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:20]


def file_sha(path: Path) -> str:
    return _sha(path.read_bytes())


def _tree_sha(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


def library_key() -> dict[str, str]:
    """Hashes of what every output depends on besides the plan and the notebook."""
    from . import __version__
    from .paths import PACKAGE_DIR, data_dir

    data = data_dir()
    return {
        "jointwork": __version__,
        "code": _tree_sha(PACKAGE_DIR.rglob("*.py"), PACKAGE_DIR),
        "content": _tree_sha((data / "content").glob("*.yaml"), data) if (data / "content").is_dir() else "none",
        "areas": _tree_sha((data / "areas").glob("*.csv"), data) if (data / "areas").is_dir() else "none",
        "indicators": (_tree_sha((data / "indicators").glob("*.csv"), data)
                       if (data / "indicators").is_dir() else "none"),
    }


def plan_key(workspace: Path, code: str) -> str:
    path = workspace / "plans" / f"{code}.yaml"
    return file_sha(path) if path.is_file() else "no plan"


def read_manifest(area_dir: Path) -> dict[str, Any]:
    try:
        manifest = json.loads((area_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) and manifest.get("format") == MANIFEST_FORMAT else {}


def _up_to_date(entry: dict[str, Any] | None, key: dict[str, Any], output: Path) -> bool:
    if not entry or entry.get("status") != "ok" or entry.get("key") != key or not output.is_file():
        return False
    return entry.get("output") == file_sha(output)


def _pack_key(products: Sequence[int], outputs: dict[int, str | None], library: dict[str, str]) -> dict[str, Any]:
    from .pack import PACK_FORMAT

    return {"format": PACK_FORMAT, "products": list(products), "outputs": {str(n): outputs.get(n) for n in products},
            "library": library}


# ---- the work of one area (in a worker process) ---------------------------------------------
@dataclass
class AreaTask:
    code: str
    name: str
    description: str
    workspace: str
    out_dir: str
    run: list[int]  # products to execute
    pack: list[int]  # products whose notebooks go into the pack (run or up to date)
    unavailable: dict[int, str]  # products listed in the pack's contents without a section
    keys: dict[int, dict[str, Any]]
    library: dict[str, str]
    engine: str
    kernel_name: str
    timeout: float | None
    build_pack: bool
    notebooks: str


def _first_line(source: Any) -> str:
    text = "".join(source) if isinstance(source, list) else str(source or "")
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= 80 else first[:77] + "..."


def _clean(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", text).strip()


def _execute(task: AreaTask, number: int) -> tuple[NotebookRun, Failure | None, Any]:
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .execute import notebook_parameters
    from .products import get_product

    product = get_product(number)
    target = Path(task.out_dir) / task.code / product.notebook
    target.parent.mkdir(parents=True, exist_ok=True)
    target.unlink(missing_ok=True)  # never let an older run's notebook stand in for this one
    options: dict[str, Any] = {"progress_bar": False, "kernel_name": task.kernel_name, "engine_name": task.engine}
    if task.engine == ENGINE:
        options["notebook_timeout"] = task.timeout
    else:
        options["execution_timeout"] = task.timeout
    started = time.perf_counter()
    failure = None
    nb = None
    try:
        nb = papermill.execute_notebook(str(Path(task.notebooks) / product.notebook), str(target),
                                        parameters=notebook_parameters(task.code, task.workspace),
                                        cwd=task.notebooks, **options)
    except PapermillExecutionError as exc:
        failure = Failure(task.code, task.name, _clean(f"{exc.ename}: {exc.evalue}"), number, product.notebook,
                          exc.cell_index, _first_line(exc.source))
    except Exception as exc:  # a kernel that would not start, a timeout outside a cell, a bad notebook...
        failure = Failure(task.code, task.name, _clean(f"{type(exc).__name__}: {exc}") or type(exc).__name__,
                          number, product.notebook)
    seconds = time.perf_counter() - started
    run = NotebookRun(task.code, number, "failed" if failure else "ran", str(target), seconds)
    return run, failure, nb


def run_area_task(task: AreaTask) -> AreaOutcome:
    """Execute an area's notebooks, then write its pack and manifest. Never raises."""
    started = time.perf_counter()
    outcome = AreaOutcome(task.code)
    area_dir = Path(task.out_dir) / task.code
    try:
        _run_area(task, outcome, area_dir)
    except Exception as exc:  # keep the batch going whatever happens to one area
        outcome.failures.append(Failure(task.code, task.name, f"{type(exc).__name__}: {exc}"))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _run_area(task: AreaTask, outcome: AreaOutcome, area_dir: Path) -> None:
    from .errors import PlanError
    from .products import get_product
    from .store import PlanStore

    manifest = read_manifest(area_dir)
    entries: dict[str, Any] = dict(manifest.get("notebooks", {}))
    try:
        PlanStore(task.workspace).load_or_new(task.code)
    except (PlanError, InputError, OSError) as exc:
        # A plan that does not validate would fail every notebook at the same cell: say it once.
        outcome.failures.append(Failure(task.code, task.name, f"the plan does not validate: {exc}"))
        for number in task.run:
            entries.pop(get_product(number).notebook, None)
        _write_manifest(area_dir, task, entries, manifest.get("pack"))
        return

    executed: dict[int, Any] = {}
    for number in task.run:
        product = get_product(number)
        run, failure, nb = _execute(task, number)
        outcome.runs.append(run)
        target = Path(run.path)
        if failure:
            outcome.failures.append(failure)
            entries[product.notebook] = {"status": "failed", "key": task.keys[number], "error": failure.error}
        else:
            entries[product.notebook] = {"status": "ok", "key": task.keys[number], "output": file_sha(target)}
        if target.is_file():
            executed[number] = nb
    for number in task.pack:
        if number not in task.run:
            outcome.runs.append(NotebookRun(task.code, number, "up to date",
                                            str(area_dir / get_product(number).notebook)))

    pack_entry = manifest.get("pack")
    if task.build_pack:
        outputs = {n: entries.get(get_product(n).notebook, {}).get("output") for n in task.pack}
        key = _pack_key(task.pack, outputs, task.library)
        pack_path = area_dir / PACK
        if task.run or not pack_entry or pack_entry.get("key") != key or not pack_path.is_file():
            _write_pack(task, area_dir, executed)
            outcome.pack_built = True
            pack_entry = {"key": key, "file": PACK}
        outcome.pack = str(pack_path)
    _write_manifest(area_dir, task, entries, pack_entry)


def _write_pack(task: AreaTask, area_dir: Path, executed: dict[int, Any]) -> Path:
    from .pack import PackEntry, Section, area_pack, render_notebook
    from .products import get_product

    parts: list[Section | PackEntry] = []
    for number in task.pack:
        product = get_product(number)
        nb = executed.get(number)
        path = area_dir / product.notebook
        if nb is None and path.is_file():
            nb = json.loads(path.read_text(encoding="utf-8"))
        if nb is None:
            parts.append(PackEntry(number, product.title, "not produced"))
        else:
            parts.append(render_notebook(nb, number, product.title, product.notebook))
    for number, note in task.unavailable.items():
        parts.append(PackEntry(number, get_product(number).title, note))
    return area_pack(area_dir / PACK, task.name, task.code, task.description, parts)


def _write_manifest(area_dir: Path, task: AreaTask, entries: dict[str, Any], pack: Any) -> None:
    area_dir.mkdir(parents=True, exist_ok=True)
    manifest = {"format": MANIFEST_FORMAT, "area": task.code, "workspace": task.workspace,
                "notebooks": entries, "pack": pack}
    tmp = area_dir / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, area_dir / MANIFEST)


# ---- worker processes -----------------------------------------------------------------------
def _worker_init(engine: str, kernel_name: str, env: dict[str, str]) -> None:
    os.environ.update(env)
    import papermill  # noqa: F401  (imported once per worker, not per notebook)

    from . import pack  # noqa: F401

    if engine == ENGINE:
        from .engine import start_warm_kernel

        try:
            start_warm_kernel(kernel_name)
        except Exception:
            pass  # the engine tries again for the first notebook and reports what goes wrong


def _progress(total: int, enabled: bool | None) -> Any:
    from tqdm import tqdm

    if enabled is None:
        enabled = sys.stderr.isatty()
    return tqdm(total=total, unit="notebook", file=sys.stderr, disable=not enabled, dynamic_ncols=True,
                desc="jointwork batch")


def _run_tasks(tasks: list[AreaTask], jobs: int, progress: Any, engine: str, kernel_name: str) -> list[AreaOutcome]:
    """Run area tasks in worker processes; a crashed worker costs only the areas it was running."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    outcomes: list[AreaOutcome] = []
    pending = list(tasks)
    attempts: dict[str, int] = {}
    env = {k: v for k, v in os.environ.items() if k.startswith("JOINTWORK_")}
    # "spawn": workers start clean (no copy of this process's kernels, threads or sockets).
    context = multiprocessing.get_context("spawn")
    while pending:
        workers = max(1, min(jobs, len(pending)))
        broken: list[AreaTask] = []
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_init,
                                 initargs=(engine, kernel_name, env)) as pool:
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
                        outcome = AreaOutcome(task.code, failures=[Failure(task.code, task.name,
                                                                           f"{type(exc).__name__}: {exc}")])
                    outcomes.append(outcome)
                    progress.update(max(1, len(task.run)))
                    progress.set_postfix_str(f"{task.code} {task.name}"[:30], refresh=False)
        for task in broken:
            attempts[task.code] = attempts.get(task.code, 0) + 1
            if attempts[task.code] < 2:
                pending.append(task)
            else:
                outcomes.append(AreaOutcome(task.code, failures=[Failure(
                    task.code, task.name, "the worker process running this area died (twice)")]))
                progress.update(max(1, len(task.run)))
    return outcomes


# ---- the batch ------------------------------------------------------------------------------
def run_batch(areas: str | Iterable[str] = "all", products: str | Iterable[int | str] | None = "1-8", *,
              out: str | os.PathLike[str] = "out", workspace: str | os.PathLike[str] | None = None,
              jobs: int | None = None, force: bool = False, timeout: float | None = DEFAULT_TIMEOUT,
              engine: str = ENGINE, kernel_name: str = "python3", progress: bool | None = None,
              packs: bool = True, summary: bool = True,
              notebooks: str | os.PathLike[str] | None = None) -> BatchResult:
    """Run product notebooks for many areas; write packs, an index and a cross-area summary.

    ``areas``: ``"all"``, ``"region:NAME"``, ``"CODE,CODE"`` or a list. ``products``: ``"1-8"``,
    ``"3"``, ``"1,3,5"`` or a list. ``jobs``: worker processes (default: cores + 1, at most the
    number of areas). ``timeout``: seconds allowed for each notebook. ``engine``: ``"jointwork_warm"``
    (a warm kernel per worker) or ``"nbclient"`` (papermill's fresh kernel per notebook).
    ``progress``: show a progress bar on stderr (default: when stderr is a terminal).
    ``notebooks``: the folder of product notebooks (default: the project's).

    Workers are *spawned* processes (they never inherit this process's kernels or sockets), so a
    script that calls this must do so under ``if __name__ == "__main__":``.
    """
    from .paths import notebooks_dir, resolve_workspace
    from .products import get_product

    started = time.perf_counter()
    chosen_areas = parse_areas(areas)
    wanted = parse_products(products)
    ws = resolve_workspace(workspace)
    out_dir = Path(out).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    source = Path(notebooks).resolve() if notebooks else notebooks_dir()
    result = BatchResult(out_dir, [a.code for a in chosen_areas], [], engine)

    runnable, unavailable = [], {}
    for number in wanted:
        product = get_product(number)
        if not product.available:
            unavailable[number] = "not available in this version"
            result.notes.append(f"product {number} ({product.slug}) is not available yet: skipped")
        elif not (source / product.notebook).is_file():
            unavailable[number] = "notebook missing"
            result.notes.append(f"product {number}: {source / product.notebook} is missing: skipped")
        else:
            runnable.append(number)
    result.products = runnable

    library = library_key()
    notebook_shas = {n: file_sha(source / get_product(n).notebook) for n in runnable}
    tasks: list[AreaTask] = []
    for area in chosen_areas:
        area_dir = out_dir / area.code
        manifest = read_manifest(area_dir)
        entries = manifest.get("notebooks", {})
        plan = plan_key(ws, area.code)
        keys = {n: {"plan": plan, "notebook": notebook_shas[n], "workspace": str(ws), "interactive": False,
                    **library} for n in runnable}
        to_run = [n for n in runnable if force or not _up_to_date(
            entries.get(get_product(n).notebook), keys[n], area_dir / get_product(n).notebook)]
        pack_ok = False
        if not to_run and packs:
            outputs = {n: entries.get(get_product(n).notebook, {}).get("output") for n in runnable}
            pack = manifest.get("pack") or {}
            pack_ok = pack.get("key") == _pack_key(runnable, outputs, library) and (area_dir / PACK).is_file()
        if not to_run and (pack_ok or not packs):
            result.runs += [NotebookRun(area.code, n, "up to date", str(area_dir / get_product(n).notebook))
                            for n in runnable]
            if packs:
                result.packs[area.code] = area_dir / PACK
            continue
        tasks.append(AreaTask(area.code, area.name, area.describe(), str(ws), str(out_dir), to_run, runnable,
                              unavailable, keys, library, engine, kernel_name, timeout, packs, str(source)))

    total = sum(max(1, len(t.run)) for t in tasks)
    jobs = jobs or min(3, (os.cpu_count() or 1) + 1)
    with _progress(total, progress) as bar:
        outcomes = _run_tasks(tasks, jobs, bar, engine, kernel_name) if tasks else []
    order = {code: i for i, code in enumerate(result.areas)}
    for outcome in sorted(outcomes, key=lambda o: order.get(o.area, 0)):
        result.runs += outcome.runs
        result.failures += outcome.failures
        if outcome.pack:
            result.packs[outcome.area] = Path(outcome.pack)
    result.runs.sort(key=lambda r: (order.get(r.area, 0), r.product))
    if summary:
        rows = summarise(chosen_areas, ws, result)
        result.summary_csv, result.summary_html = write_summary(out_dir, rows)
    if packs:
        result.index = write_index(out_dir, chosen_areas, result, ws)
    result.seconds = time.perf_counter() - started
    return result


# ---- the cross-area summary ------------------------------------------------------------------
SUMMARY_COLUMNS = {
    "code": "GSS code of the upper-tier local authority",
    "name": "the area's name",
    "region": "English region",
    "coterminous": "yes when the area and one integrated care board (ICB) cover the same population",
    "icbs": "the integrated care board(s) covering the area",
    "plan": "saved, none (a starter pack: facts and blank exercises) or error",
    "illustrative": "yes for the shipped sample plans (made up to show the workbooks)",
    "respondents": "people who rated the factors in the self-assessment (product 3)",
    "score_local_authority": "self-assessment: mean score (1-4) over the factors, local authority respondents",
    "score_health": "self-assessment: mean score (1-4) over the factors, health respondents",
    "score_other": "self-assessment: mean score (1-4) over the factors, other respondents",
    "score_all": "self-assessment: mean score (1-4) over the factors, every respondent",
    "priorities": "health priorities chosen (product 2), in rank order",
    "stakeholders_local_authority": "stakeholders mapped (product 4) in the local authority",
    "stakeholders_health": "stakeholders mapped (product 4) in health",
    "stakeholders_other": "stakeholders mapped (product 4) in other sectors",
    "products_started": "how many of the eight products the team has entered anything in",
    "started": "the products started, by number",
    "notebooks_failed": "product notebooks that failed in this batch run",
    "error": "why the plan could not be read, if it could not",
    "pack": "the area's HTML pack, relative to the output folder",
}


def _mean(values: Iterable[Any]) -> float | None:
    numbers = [float(v) for v in values if v is not None and v == v]
    return round(sum(numbers) / len(numbers), 2) if numbers else None


def area_summary(area: Any, workspace: str | os.PathLike[str] | None) -> dict[str, Any]:
    """One row of the cross-area summary; a plan that cannot be read gives a row with its error."""
    from .store import PlanStore

    row: dict[str, Any] = {c: None for c in SUMMARY_COLUMNS}
    row.update(code=area.code, name=area.name, region=area.region, coterminous="yes" if area.coterminous else "no",
               icbs=area.icb_names)
    store = PlanStore(workspace)
    try:
        plan = store.load_or_new(area.code)
    except Exception as exc:
        row.update(plan="error", error=str(exc))
        return row
    row.update(plan="saved" if store.exists(area.code) else "none")
    row.update(plan_row(plan))
    return row


def plan_row(plan: Any) -> dict[str, Any]:
    """The summary's columns that come from a plan: scores, priorities, stakeholders, progress."""
    from .plan import Sector
    from .products import PRODUCTS

    row: dict[str, Any] = {"illustrative": "yes" if plan.illustrative else "no"}
    section = plan.successful_joint_working
    row["respondents"] = len(section.respondents)
    if section.respondents:
        try:
            from .products.successful_joint_working import scores

            frame = scores(section)
            for column, label in (("score_local_authority", "Local authority"), ("score_health", "Health"),
                                  ("score_other", "Other"), ("score_all", "mean")):
                row[column] = _mean(frame[label].tolist())
        except Exception as exc:
            row["error"] = f"self-assessment scores: {exc}"
    ranked = sorted(plan.health_priorities.priorities, key=lambda p: p.rank)
    row["priorities"] = "; ".join(p.objective for p in ranked)
    for sector in Sector:
        key = "stakeholders_" + sector.value.replace(" ", "_")
        row[key] = sum(1 for s in plan.who_to_engage.stakeholders if s.sector == sector)
    started = [n for n, p in PRODUCTS.items() if plan.is_started(p.slug)]
    row["products_started"] = len(started)
    row["started"] = ",".join(map(str, started))
    return row


def summarise(areas: Sequence[Any], workspace: str | os.PathLike[str] | None,
              result: BatchResult | None = None) -> list[dict[str, Any]]:
    rows = []
    for area in areas:
        row = area_summary(area, workspace)
        if result is not None:
            row["notebooks_failed"] = sum(1 for f in result.failures if f.area == area.code and f.product)
            if any(f.area == area.code and f.product is None for f in result.failures) and not row["error"]:
                row["error"] = next(f.error for f in result.failures if f.area == area.code and f.product is None)
            if area.code in result.packs:
                row["pack"] = f"{area.code}/{PACK}"
        rows.append(row)
    return rows


def write_summary(out_dir: Path, rows: Sequence[dict[str, Any]]) -> tuple[Path, Path]:
    from .pack import summary_page

    columns = list(SUMMARY_COLUMNS)
    csv_path = out_dir / "summary.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row[c] for c in columns})
    html_path = summary_page(out_dir / "summary.html", rows, columns, SUMMARY_COLUMNS)
    return csv_path, html_path


def write_index(out_dir: Path, areas: Sequence[Any], result: BatchResult, workspace: Path) -> Path:
    from .pack import index_page

    rows = []
    for area in areas:
        failures = [f for f in result.failures if f.area == area.code]
        runs = [r for r in result.runs if r.area == area.code]
        ok = sum(1 for r in runs if r.status != "failed")
        status = "ok" if not failures else "; ".join(str(f.error)[:160] for f in failures[:3])
        rows.append({"Area": area.name, "Code": area.code, "Region": area.region,
                     "Plan": "saved" if (workspace / "plans" / f"{area.code}.yaml").is_file() else "none (starter pack)",
                     "Products": f"{ok} of {len(result.products)}", "Status": status,
                     "href": f"{area.code}/{PACK}" if area.code in result.packs else None})
    return index_page(out_dir / "index.html", rows, result.notes)


# ---- comparing outputs ------------------------------------------------------------------------
_CLOCK = re.compile(r"\b\d{2}:\d{2}:\d{2}(\.\d+)?\b")


def sanitise_notebook(nb: dict[str, Any], replace: dict[str, str] | None = None,
                      execution_counts: bool = False) -> dict[str, Any]:
    """A copy of an executed notebook without what legitimately differs between two runs.

    Drops papermill's timings and input/output paths, nbclient's execution timestamps and the random
    id papermill gives the injected-parameters cell; replaces
    the given strings (e.g. output folders) and clock times. Execution counts are kept unless
    ``execution_counts`` is true (they match when the kernel is reset properly).
    """
    nb = json.loads(json.dumps(nb))
    papermill = nb.get("metadata", {}).get("papermill", {})
    for key in ("start_time", "end_time", "duration", "input_path", "output_path"):
        papermill.pop(key, None)
    for cell in nb.get("cells", []):
        meta = cell.get("metadata", {})
        meta.pop("execution", None)
        if "injected-parameters" in meta.get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives it a random id
        for key in ("start_time", "end_time", "duration"):
            meta.get("papermill", {}).pop(key, None)
        if execution_counts and "execution_count" in cell:
            cell["execution_count"] = None
            for output in cell.get("outputs", []):
                if "execution_count" in output:
                    output["execution_count"] = None
    text = json.dumps(nb, sort_keys=True)
    for old, new in sorted((replace or {}).items(), key=lambda kv: -len(kv[0])):
        text = text.replace(json.dumps(old)[1:-1], new)
    text = _CLOCK.sub("HH:MM:SS", text)
    return json.loads(text)


def notebooks_differ(a: Path, b: Path, replace: dict[str, str] | None = None) -> list[str]:
    """Where two executed notebooks differ after :func:`sanitise_notebook` (empty when identical)."""
    left = sanitise_notebook(json.loads(a.read_text(encoding="utf-8")), replace)
    right = sanitise_notebook(json.loads(b.read_text(encoding="utf-8")), replace)
    if left == right:
        return []
    problems = []
    if left.get("metadata") != right.get("metadata"):
        problems.append("notebook metadata")
    for i, (x, y) in enumerate(zip(left.get("cells", []), right.get("cells", []))):
        if x != y:
            problems.append(f"cell {i}")
    if len(left.get("cells", [])) != len(right.get("cells", [])):
        problems.append("number of cells")
    return problems
