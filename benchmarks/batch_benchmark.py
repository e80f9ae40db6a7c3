"""Side by side, in one run: the batch (warm kernels, packs built in the workers) against plain
papermill with a fresh kernel per notebook plus a ``jupyter nbconvert --to html`` call per notebook.

    .venv/bin/python benchmarks/batch_benchmark.py                 # all 153 areas x every product
    .venv/bin/python benchmarks/batch_benchmark.py --fresh-areas 20  # the plain method on 20 of them
    .venv/bin/python benchmarks/batch_benchmark.py --areas 10 --products 3

Both methods use the same worker count (``--jobs``, default 3), the same workspace (a copy of the
sample plans: the other areas get starter packs) and run notebooks the same way
(:func:`jointwork.run.execute.execute_notebook`, with papermill's own engine for the plain method). The script
prints both wall times, the ratio, notebooks per second and peak memory (the sum of the resident
memory of this process and every process under it, workers and kernels, sampled from /proc),
checks that every executed notebook is identical between the two methods (after
:func:`jointwork.run.compare.sanitise_notebook`), and writes a JSON result to benchmarks/results/.

The batch always runs every chosen area and writes everything it writes for users: notebooks, HTML
packs and every paper of :data:`jointwork.papers.PAPERS` (the Excel workbook, ...), the index and the
summary. The plain method takes about 2 s of kernel start-up per notebook, so ``--fresh-areas N`` runs it
on N of the areas only (the sample-plan areas, then areas spread evenly over the rest, every product
of each), in the same run on the same machine; its time per notebook is then scaled to all the
notebooks (``fresh seconds x all notebooks / notebooks run``) and the ratio uses that estimate. Both
the measured and the scaled time are printed and saved, and the outputs are compared for every
notebook the plain method ran.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
REPO = Path(__file__).resolve().parents[1]
PAGE = os.sysconf("SC_PAGE_SIZE")
SNAPSHOT_ENV = "JOINTWORK_BENCH_SNAPSHOT"


def run_on_snapshot(argv: list[str]) -> None:
    """Re-run this script on a copy of the library, notebooks and data taken now.

    The two methods run minutes apart; someone editing the repository meanwhile must not make
    their outputs differ. Workers and kernels inherit PYTHONPATH, so they all import the copy.
    """
    root = Path(tempfile.mkdtemp(prefix="jointwork-bench-src-"))
    skip = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints")
    for folder in ("jointwork", "notebooks", "data"):
        shutil.copytree(REPO / folder, root / folder, ignore=skip)
    env = dict(os.environ, **{SNAPSHOT_ENV: str(root)})
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
    env.pop("JOINTWORK_DATA", None)
    os.execve(sys.executable, [sys.executable, str(Path(__file__).resolve()), *argv], env)


# ---- memory of this process tree ------------------------------------------------------------------
def _tree_rss(root: int) -> int:
    """Bytes resident in ``root`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm", encoding="ascii") as handle:
                rss[int(entry)] = int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


class PeakMemory:
    """Samples the process tree's resident memory in a thread; ``peak`` in bytes."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, _tree_rss(os.getpid()))
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


# ---- the plain method: papermill with a fresh kernel, then nbconvert -----------------------------
def _quiet_worker(log: str) -> None:
    # Fresh kernels print start-up and shut-down chatter on stderr: keep it out of the terminal.
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(fd, 2)


def _fresh_one(code: str, number: int, out: str, workspace: str) -> tuple[str, int, str | None]:
    from jointwork.core.paths import notebooks_dir
    from jointwork.products import get_product
    from jointwork.run.execute import FRESH_ENGINE, execute_notebook, notebook_parameters

    product = get_product(number)
    target = Path(out) / code / product.notebook
    try:
        execute_notebook(
            notebooks_dir() / product.notebook,
            target,
            notebook_parameters(code, workspace),
            engine=FRESH_ENGINE,
            cwd=notebooks_dir(),
        )
        jupyter = Path(sys.executable).with_name("jupyter")
        subprocess.run(
            [str(jupyter), "nbconvert", "--to", "html", "--log-level", "ERROR", str(target)],
            check=True,
            capture_output=True,
        )
    except Exception as exc:  # counted, like the batch's failures
        return code, number, f"{type(exc).__name__}: {str(exc)[:200]}"
    return code, number, None


def run_fresh(codes: list[str], products: list[int], out: Path, workspace: Path, jobs: int, log: Path) -> dict:
    import multiprocessing

    started = time.perf_counter()
    failures = []
    with ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_quiet_worker, initargs=(str(log),)
    ) as pool:
        futures = [pool.submit(_fresh_one, code, n, str(out), str(workspace)) for code in codes for n in products]
        try:
            for done, future in enumerate(futures, 1):
                code, number, error = future.result()
                if error:
                    failures.append(f"{code} product {number}: {error}")
                if done % 100 == 0:
                    print(
                        f"  fresh: {done} of {len(futures)} notebooks, {time.perf_counter() - started:.0f} s",
                        file=sys.stderr,
                        flush=True,
                    )
        except BaseException:  # stopped: do not wait for the queued notebooks
            for future in futures:
                future.cancel()
            raise
    return {"seconds": time.perf_counter() - started, "failures": failures}


# ---- the batch ---------------------------------------------------------------------------------
def run_warm(codes: list[str], products: list[int], out: Path, workspace: Path, jobs: int) -> dict:
    from jointwork.run.batch import run_batch

    started = time.perf_counter()
    result = run_batch(codes, products, out=out, workspace=workspace, jobs=jobs, force=True, progress=None)
    return {
        "seconds": time.perf_counter() - started,
        "failures": [str(f) for f in result.failures],
        "packs": len(result.packs),
        "index": str(result.index),
    }


def compare(codes: list[str], products: list[int], warm: Path, fresh: Path) -> dict:
    from jointwork.products import get_product
    from jointwork.run.compare import notebooks_differ

    replace = {str(warm): "<OUT>", str(fresh): "<OUT>"}
    identical, different, missing = 0, [], []
    for code in codes:
        for number in products:
            name = get_product(number).notebook
            a, b = warm / code / name, fresh / code / name
            if not (a.is_file() and b.is_file()):
                missing.append(f"{code}/{name}")
                continue
            problems = notebooks_differ(a, b, replace)
            if problems:
                different.append(f"{code}/{name}: {', '.join(problems[:5])}")
            else:
                identical += 1
    return {"identical": identical, "different": different, "missing": missing}


def choose_areas(count: int | None) -> list[str]:
    """The sample-plan areas first (so a subset includes plans), then the rest by name."""
    from jointwork.core.areas import all_areas
    from jointwork.core.paths import data_dir

    samples = sorted(p.stem for p in (data_dir() / "samples" / "plans").glob("*.yaml"))
    codes = samples + [a.code for a in all_areas() if a.code not in samples]
    return codes[:count] if count else codes


def spread(codes: list[str], count: int | None) -> list[str]:
    """``count`` of ``codes``: the sample-plan areas first (they lead ``codes``), then evenly spaced others."""
    from jointwork.core.paths import data_dir

    if not count or count >= len(codes):
        return list(codes)
    samples = {p.stem for p in (data_dir() / "samples" / "plans").glob("*.yaml")}
    chosen = [c for c in codes if c in samples][:count]
    rest = [c for c in codes if c not in samples]
    wanted = count - len(chosen)
    if wanted > 0:
        step = len(rest) / wanted
        chosen += [rest[int(i * step)] for i in range(wanted)]
    return chosen


def papers_written(out: Path, codes: list[str]) -> dict[str, int]:
    """How many of each paper (file name) the batch wrote, over ``codes``."""
    from jointwork.papers import PAPERS

    return {p.file_name: sum(1 for c in codes if (out / c / p.file_name).is_file()) for p in PAPERS}


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # so the temporary folders are removed


def main(argv: list[str] | None = None) -> int:
    import signal

    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--areas", type=int, default=None, help="only the first N areas (default: all 153)")
    parser.add_argument("--products", default="all", help="products to run (default all; or 3, 1,3,5, 1-3)")
    parser.add_argument("--jobs", type=int, default=3, help="worker processes for both methods (default 3)")
    parser.add_argument(
        "--fresh-areas",
        type=int,
        default=None,
        help="run the plain method on only N of the areas (sample plans first, then spread evenly) and scale "
        "its time per notebook to all notebooks (default: every area)",
    )
    parser.add_argument("--keep", help="keep the outputs in this folder (default: a temporary folder, removed)")
    parser.add_argument(
        "--live",
        action="store_true",
        help="use the repository as it is (default: a copy of jointwork/, notebooks/ and data/ taken "
        "at the start, so edits made during the run cannot change one method's outputs)",
    )
    args = parser.parse_args(argv)
    if not args.live and not os.environ.get(SNAPSHOT_ENV):
        run_on_snapshot(sys.argv[1:] if argv is None else argv)

    import jointwork
    from jointwork import __version__
    from jointwork.core.paths import data_dir
    from jointwork.run.selection import parse_products

    products = parse_products(args.products)
    codes = choose_areas(args.areas)
    fresh_codes = spread(codes, args.fresh_areas)
    notebooks = len(codes) * len(products)
    fresh_notebooks = len(fresh_codes) * len(products)
    print(
        f"library: {Path(jointwork.__file__).parent}"
        + (" (a copy taken at the start)" if os.environ.get(SNAPSHOT_ENV) else "")
    )
    print(
        f"{len(codes)} areas x products {products} = {notebooks} notebooks, {args.jobs} workers on "
        f"{os.cpu_count()} cores"
        + (
            f"; the plain method on {len(fresh_codes)} of the areas ({fresh_notebooks} notebooks), scaled"
            if fresh_notebooks < notebooks
            else ""
        )
    )

    root = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="jointwork-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    workspace = root / "workspace"
    (workspace / "plans").mkdir(parents=True, exist_ok=True)
    for sample in (data_dir() / "samples" / "plans").glob("*.yaml"):
        shutil.copyfile(sample, workspace / "plans" / sample.name)
    warm_out, fresh_out = root / "warm", root / "fresh"
    for folder in (warm_out, fresh_out):
        shutil.rmtree(folder, ignore_errors=True)

    load_before = os.getloadavg()
    try:
        with PeakMemory() as warm_memory:
            warm = run_warm(codes, products, warm_out, workspace, args.jobs)
        warm["papers"] = papers_written(warm_out, codes)
        print(
            f"batch (warm kernels, packs, papers): {warm['seconds']:8.1f} s  "
            f"{notebooks / warm['seconds']:6.2f} notebooks/s  "
            f"peak {warm_memory.peak / 2**20:7.0f} MiB  failures {len(warm['failures'])}  "
            f"packs {warm['packs']}  papers {warm['papers']}",
            flush=True,
        )
        with PeakMemory() as fresh_memory:
            fresh = run_fresh(fresh_codes, products, fresh_out, workspace, args.jobs, root / "fresh-kernels.log")
        fresh["notebooks"] = fresh_notebooks
        fresh["scaled_seconds"] = fresh["seconds"] * notebooks / fresh_notebooks
        print(
            f"papermill fresh kernel + nbconvert: {fresh['seconds']:8.1f} s for {fresh_notebooks} notebooks  "
            f"{fresh_notebooks / fresh['seconds']:6.2f} notebooks/s  peak {fresh_memory.peak / 2**20:7.0f} MiB  "
            f"failures {len(fresh['failures'])}"
            + (
                f"; scaled to {notebooks} notebooks: {fresh['scaled_seconds']:.1f} s"
                if fresh_notebooks < notebooks
                else ""
            ),
            flush=True,
        )
        ratio = fresh["scaled_seconds"] / warm["seconds"]
        same = compare(fresh_codes, products, warm_out, fresh_out)
        print(
            f"ratio: {ratio:.1f}x faster; executed notebooks identical after sanitising: "
            f"{same['identical']} of {fresh_notebooks}"
            + (f"; DIFFERENT: {same['different'][:5]}" if same["different"] else "")
            + (f"; missing: {same['missing'][:5]}" if same["missing"] else "")
        )
        children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
        print(
            f"largest single child process (RUSAGE_CHILDREN maxrss): {children / 2**20:.0f} MiB; "
            f"load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} (other work on the machine "
            f"slows both methods)"
        )
        result = {
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "library": str(Path(jointwork.__file__).parent),
            "snapshot": bool(os.environ.get(SNAPSHOT_ENV)),
            "command": " ".join([Path(sys.executable).name, *sys.argv]),
            "jointwork": __version__,
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "jobs": args.jobs,
            "areas": len(codes),
            "products": products,
            "notebooks": notebooks,
            "fresh_areas": len(fresh_codes),
            "warm": {
                **warm,
                "notebooks_per_second": notebooks / warm["seconds"],
                "peak_rss_mib": warm_memory.peak / 2**20,
            },
            "fresh": {
                **fresh,
                "notebooks_per_second": fresh_notebooks / fresh["seconds"],
                "peak_rss_mib": fresh_memory.peak / 2**20,
            },
            "ratio": ratio,
            "comparison": same,
            "largest_child_maxrss_mib": children / 2**20,
            "load_average_before": load_before,
            "load_average_after": os.getloadavg(),
        }
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"batch-{datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
        path.write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(f"result: {path}")
        return 0 if not same["different"] and not same["missing"] else 1
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
        if os.environ.get(SNAPSHOT_ENV, "").startswith(tempfile.gettempdir()):
            shutil.rmtree(os.environ[SNAPSHOT_ENV], ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
