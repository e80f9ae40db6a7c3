"""How fast the facilitator app (`jointwork app`) is, measured, not asserted.

    .venv/bin/python benchmarks/app_benchmark.py                  # both parts, product 3, Southampton
    .venv/bin/python benchmarks/app_benchmark.py --loads 7 --changes 400
    .venv/bin/python benchmarks/app_benchmark.py --skip-browser   # only the in-kernel part

1. **First usable render, in the browser.** Debian's Chromium (Playwright, 127.0.0.1 only) opens a
   product page and the time runs from the navigation to the first widget control being visible
   and enabled (the widget manager has drawn it from the kernel, so it takes input). The same page
   is loaded ``--loads`` times from an app **with** preheated kernels and from one **without**
   (a kernel started per page), in one run, on the same workspace; the first load of each is with
   an empty browser cache, the others with Voila's scripts cached (as when a facilitator moves
   between products). The browser can reach 127.0.0.1 only, as offline (the app's pages ask for
   nothing else; a bare Voila page asks a CDN for an icon font, which fails at once). Before each
   load the app's processes are left to go idle (the pool refilled), so each load finds what a
   facilitator would: a product nobody has just opened. A bare Voila page (one notebook, one
   widget, no preheating) is timed too, to show how fast this machine is.
2. **Widget change to saved plan and re-drawn outputs, in the kernel.** Product 3's widgets are
   driven in-process as the tests do (a rating chosen, evidence typed) ``--changes`` times; each
   change is timed from setting the widget's value to the plan saved on disk (lock, validate,
   atomic write, history) and every view re-drawn; reported as median, 95th percentile and maximum,
   with the share spent saving.

It prints a summary and writes JSON to benchmarks/results/ (git-ignored). The machine's load
average is recorded: other work on the machine slows the browser part most.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jointwork.app.local_browser import DIRECT, LOCAL_ONLY_CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
SAMPLES = REPO / "data" / "samples" / "plans"
FIRST_CONTROL = (
    ".jupyter-widgets input:not([disabled]), .jupyter-widgets select:not([disabled]), "
    ".jupyter-widgets textarea:not([disabled]), .jupyter-widgets button:not([disabled])"
)
TICK = os.sysconf("SC_CLK_TCK")


# ---- processes ------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tree_cpu_seconds(root: int) -> float:
    """CPU time used so far by ``root`` and every process under it, e.g. kernels (Linux /proc)."""
    parent: dict[int, int] = {}
    cpu: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parent[int(entry)] = int(fields[1])
        cpu[int(entry)] = int(fields[11]) + int(fields[12])  # utime, stime
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0)
        todo.extend(child for child, up in parent.items() if up == pid)
    return total / TICK


def wait_idle(root: int, limit: float = 180.0, quiet: float = 0.05) -> float:
    """Wait until the server and its kernels use under ``quiet`` of a core over a second (the
    kernel pools are ready); returns the seconds waited."""
    start = time.monotonic()
    before = tree_cpu_seconds(root)
    while time.monotonic() - start < limit:
        time.sleep(1.0)
        now = tree_cpu_seconds(root)
        if now - before < quiet:
            break
        before = now
    return time.monotonic() - start


class Server:
    """A process serving pages on 127.0.0.1:port, in its own process group, stopped on exit."""

    def __init__(self, argv: list[str], port: int, log: Path, cwd: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JOINTWORK_", "VOILA_"))}
        self.log = log.open("w", encoding="utf-8")
        self.proc = subprocess.Popen(
            argv, stdout=self.log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True
        )
        self.url = f"http://127.0.0.1:{port}/"

    def wait_up(self, path: str = "", limit: float = 120.0) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server stopped (exit {self.proc.returncode}); see {self.log.name}")
            try:
                with DIRECT.open(self.url + path, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        raise SystemExit(f"no answer from {self.url} within {limit} s; see {self.log.name}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.log.close()


# ---- part 1: the browser --------------------------------------------------------------------------
def time_loads(chromium: str, url: str, loads: int, root: int, profile: Path) -> list[dict[str, float]]:
    """Load ``url`` ``loads`` times in one browser profile; the time to the first usable control."""
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile), executable_path=chromium, headless=True, args=LOCAL_ONLY_CHROMIUM_ARGS
        )
        try:
            for i in range(loads):
                idle_wait = wait_idle(root)
                page = context.new_page()
                start = time.perf_counter()
                page.goto(url, wait_until="commit", timeout=180_000)
                page.locator(FIRST_CONTROL).first.wait_for(state="visible", timeout=180_000)
                seconds = time.perf_counter() - start
                timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                    return {html_first_byte: n.responseStart / 1000, html_done: n.responseEnd / 1000,
                            in_page: performance.now() / 1000}; }""")
                out.append(
                    {
                        "load": i + 1,
                        "cache": "empty" if i == 0 else "warm",
                        "seconds": round(seconds, 3),
                        **{k: round(v, 3) for k, v in timing.items()},
                        "waited_for_idle": round(idle_wait, 1),
                    }
                )
                print(
                    f"    load {i + 1} ({out[-1]['cache']} cache): {seconds:.2f} s "
                    f"(page html {timing['html_done']:.2f} s)",
                    flush=True,
                )
                page.close(run_before_unload=True)  # as a closed tab: Voila asks for its kernel to stop
        finally:
            context.close()
    return out


def bare_notebook(folder: Path) -> Path:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nw.Text(description='Name')")]
    path = folder / "bare.ipynb"
    nbformat.write(nb, str(path))
    return path


def summarise(loads: list[dict[str, float]]) -> dict[str, float | None]:
    warm = [x["seconds"] for x in loads if x["cache"] == "warm"]
    return {
        "first_load_empty_cache_s": loads[0]["seconds"],
        "median_warm_cache_s": round(statistics.median(warm), 3) if warm else None,
        "min_warm_cache_s": min(warm) if warm else None,
        "max_warm_cache_s": max(warm) if warm else None,
    }


def browser_part(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    from jointwork.products import get_product

    chromium = args.chromium
    if not os.access(chromium, os.X_OK):
        raise SystemExit(f"{chromium} not found: run dev/ensure_chromium.sh (or pass --chromium)")
    product = get_product(args.product)
    workspace = root / "workspace"
    (workspace / "plans").mkdir(parents=True)
    for sample in SAMPLES.glob("*.yaml"):
        shutil.copyfile(sample, workspace / "plans" / sample.name)
    results: dict[str, Any] = {"product": product.notebook, "area": args.area}
    modes = [("preheated", []), ("not_preheated", ["--no-preheat"])]
    for name, extra in modes:
        print(f"  app {name.replace('_', ' ')}:", flush=True)
        port = free_port()
        server = Server(
            [
                sys.executable,
                "-m",
                "jointwork.cli",
                "app",
                "--port",
                str(port),
                "--no-browser",
                "--workspace",
                str(workspace),
                *extra,
            ],
            port,
            root / f"app-{name}.log",
            root,
        )
        try:
            server.wait_up()
            url = f"{server.url}voila/render/{product.notebook}?area={args.area}"
            results[name] = time_loads(chromium, url, args.loads, server.proc.pid, root / f"profile-{name}")
        finally:
            server.stop()
    if not args.skip_bare:
        print("  bare Voila page, one widget, not preheated:", flush=True)
        folder = root / "bare"
        folder.mkdir()
        bare_notebook(folder)
        port = free_port()
        voila = Path(sys.executable).with_name("voila")
        server = Server(
            [str(voila), str(folder / "bare.ipynb"), "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1"],
            port,
            root / "bare.log",
            folder,
        )
        try:  # wait for the port only: asking for the page would start a kernel
            deadline = time.monotonic() + 60
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("the bare Voila server did not start") from None
                    time.sleep(0.3)
            results["bare_voila"] = time_loads(
                chromium, server.url, min(args.loads, 3), server.proc.pid, root / "profile-bare"
            )
        finally:
            server.stop()
    pre, cold = summarise(results["preheated"]), summarise(results["not_preheated"])
    results["summary"] = {
        "preheated": pre,
        "not_preheated": cold,
        "speed_up_first_load": round(cold["first_load_empty_cache_s"] / pre["first_load_empty_cache_s"], 2),
    }
    if pre["median_warm_cache_s"] and cold["median_warm_cache_s"]:
        results["summary"]["speed_up_warm_cache"] = round(cold["median_warm_cache_s"] / pre["median_warm_cache_s"], 2)
    if "bare_voila" in results:
        results["summary"]["bare_voila"] = summarise(results["bare_voila"])
    return results


# ---- part 2: in the kernel ------------------------------------------------------------------------
def walk(widget: Any) -> list[Any]:
    found = [widget]
    for child in getattr(widget, "children", ()) or ():
        found.extend(walk(child))
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def kernel_part(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    import ipywidgets as w

    from jointwork import open_workbook
    from jointwork.products import plan_store
    from jointwork.products import successful_joint_working as p3

    workspace = root / "kernel-workspace"
    (workspace / "plans").mkdir(parents=True)
    for sample in SAMPLES.glob("*.yaml"):
        shutil.copyfile(sample, workspace / "plans" / sample.name)
    code = args.area
    wb = open_workbook(code, str(workspace), interactive=True)
    exercise = p3.exercise(wb)  # the notebook's cells, in order
    views = [wb.view(p3.scores_table), wb.view(p3.scores_chart), wb.view(p3.disagreements)]
    p3.action_exercise(wb)
    views.append(wb.view(p3.action_list))
    widgets = walk(exercise)
    picker = next(x for x in widgets if isinstance(x, w.Dropdown) and x.description == "Rating as")
    if not picker.options:  # an area with no plan: add someone to rate as
        next(x for x in widgets if getattr(x, "description", "") == "New respondent").value = "Benchmark"
        next(x for x in widgets if isinstance(x, w.Button) and x.description == "Add respondent").click()
    scores = [x for x in widgets if isinstance(x, w.RadioButtons)]
    notes = [x for x in widgets if isinstance(x, w.Textarea) and x.description == "Evidence"]

    saving: list[float] = []
    real_update = wb.store.update

    def timed_update(*a: Any, **k: Any) -> Any:
        start = time.perf_counter()
        try:
            return real_update(*a, **k)
        finally:
            saving.append(time.perf_counter() - start)

    wb.store.update = timed_update  # type: ignore[method-assign]
    rng = random.Random(2008)
    timings: dict[str, list[float]] = {"rating": [], "evidence": []}
    redrawn = 0
    for i in range(args.changes):
        before = [v.value for v in views]
        if i % 2 == 0:
            box = rng.choice(scores)
            choice = rng.choice([v for _label, v in box.options if v != box.value])
            kind, start = "rating", time.perf_counter()
            box.value = choice
        else:
            box = rng.choice(notes)
            kind, start = "evidence", time.perf_counter()
            box.value = f"Evidence note {i}: minutes of the joint board, {rng.randint(1, 12)}/2026"
        timings[kind].append(time.perf_counter() - start)
        redrawn += any(v.value != b for v, b in zip(views, before, strict=True))
    wb.store.update = real_update  # type: ignore[method-assign]
    saved = plan_store(workspace).load(code)
    assert saved == wb.plan, "the plan on disk is what the workbook shows"
    every = timings["rating"] + timings["evidence"]

    def stats(values: list[float]) -> dict[str, float]:
        return {
            "n": len(values),
            "median_ms": round(1000 * statistics.median(values), 1),
            "p95_ms": round(1000 * percentile(values, 0.95), 1),
            "max_ms": round(1000 * max(values), 1),
        }

    return {
        "product": "03_successful_joint_working",
        "area": code,
        "changes": args.changes,
        "all": stats(every),
        "rating": stats(timings["rating"]),
        "evidence": stats(timings["evidence"]),
        "saving_share_of_time": round(sum(saving) / sum(every), 2),
        "changes_that_redrew_a_view": redrawn,
        "history_versions_kept": len(plan_store(workspace).history(code)),
    }


# ---- main -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--product", default="3", help="product number (default 3)")
    parser.add_argument("--area", default="E06000045", help="area code (default E06000045, a sample plan)")
    parser.add_argument("--loads", type=int, default=5, help="page loads per app (default 5)")
    parser.add_argument("--changes", type=int, default=200, help="widget changes in the kernel (default 200)")
    parser.add_argument("--chromium", default=os.environ.get("JOINTWORK_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--skip-browser", action="store_true", help="only the in-kernel part")
    parser.add_argument("--skip-bare", action="store_true", help="do not time a bare Voila page")
    parser.add_argument("--keep", help="keep the servers' logs and workspaces in this folder")
    args = parser.parse_args(argv)
    root = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="jointwork-app-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_start": os.getloadavg(),
    }
    try:
        if not args.skip_browser:
            print("1. First usable render of a product page, in Chromium", flush=True)
            result["browser"] = browser_part(args, root)
        print("2. Widget change to saved plan and re-drawn outputs, in the kernel", flush=True)
        result["kernel"] = kernel_part(args, root)
    finally:
        result["load_average_end"] = os.getloadavg()
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"app-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")

    print("\nSummary")
    if "browser" in result:
        s = result["browser"]["summary"]
        pre, cold = s["preheated"], s["not_preheated"]
        print(
            f"  first usable render, empty cache: preheated {pre['first_load_empty_cache_s']:.2f} s, "
            f"not preheated {cold['first_load_empty_cache_s']:.2f} s -> {s['speed_up_first_load']}x"
        )
        if "speed_up_warm_cache" in s:
            print(
                f"  first usable render, warm cache (median): preheated {pre['median_warm_cache_s']:.2f} s, "
                f"not preheated {cold['median_warm_cache_s']:.2f} s -> {s['speed_up_warm_cache']}x"
            )
        if "bare_voila" in s:
            print(
                "  bare Voila page with one widget (not preheated): "
                f"{s['bare_voila']['first_load_empty_cache_s']:.2f} s empty cache, "
                f"{s['bare_voila']['median_warm_cache_s']} s warm"
            )
    k = result["kernel"]
    print(
        f"  widget change -> saved plan and re-drawn views, {k['changes']} changes: median {k['all']['median_ms']} ms, "
        f"p95 {k['all']['p95_ms']} ms, max {k['all']['max_ms']} ms ({int(100 * k['saving_share_of_time'])}% saving)"
    )
    print(
        f"  load average {result['load_average_start'][0]:.1f} at the start, {result['load_average_end'][0]:.1f} "
        f"at the end, {result['cores']} cores"
    )
    print(f"  written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
