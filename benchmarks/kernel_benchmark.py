"""The app's memory before and after opening and closing product pages, measured, not asserted.

    .venv/bin/python benchmarks/kernel_benchmark.py              # 30 pages, then the page cap and culling
    .venv/bin/python benchmarks/kernel_benchmark.py --pages 10 --skip-abandoned

One `jointwork app` (preheated, default limits: at most 12 product pages, abandoned kernels shut
down after 120 s) on a free port of 127.0.0.1, with a copy of the sample plans. Debian's Chromium
(Playwright, 127.0.0.1 only) then:

1. **opens and closes** ``--pages`` product pages one after another, going round the products for
   a sample area, as a facilitator moving between products does: each page is opened, used once
   its first control is ready, and closed as a tab is (the page asks for its kernel to stop);
2. **abandons** pages (unless ``--skip-abandoned``): opens one more page than the cap allows in
   tabs left open (the last is refused with the "Too many pages are open" page), then ends the
   browser without the pages asking for anything (as a crashed browser or a laptop put to sleep),
   and waits for the app to shut the abandoned kernels down (culling).

Memory is the resident memory (``VmRSS``) summed over the app's process and every process under
it (its kernels), read from /proc: before, at the peak (sampled every 0.25 s) and after each
phase, once the app has gone idle again; kernels are counted the same way. Results are printed and
written as JSON to benchmarks/results/ (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app_benchmark import FIRST_CONTROL, RESULTS, SAMPLES, Server, free_port, wait_idle

from jointwork.app.local_browser import LOCAL_ONLY_CHROMIUM_ARGS

MIB = 1024 * 1024
VISIBLE_CONTROL = f"{FIRST_CONTROL} >> visible=true"  # some products open with a folded exercise


def _tree(root: int) -> list[int]:
    """``root`` and every process under it (Linux /proc)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parent[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, todo = [root], [root]
    while todo:
        pid = todo.pop()
        children = [child for child, up in parent.items() if up == pid]
        found += children
        todo += children
    return found


def tree_rss(root: int) -> tuple[int, int]:
    """Resident bytes of ``root`` and its descendants, and how many of them are kernels."""
    total, kernels = 0, 0
    for pid in _tree(root):
        try:
            status = Path(f"/proc/{pid}/status").read_text()
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) * 1024
        kernels += b"ipykernel" in cmdline
    return total, kernels


class Peak:
    """The largest resident memory of the tree while the block runs (sampled every 0.25 s)."""

    def __init__(self, root: int) -> None:
        self.root, self.bytes, self.kernels = root, 0, 0
        self._stop = threading.Event()

    def __enter__(self) -> Peak:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            rss, kernels = tree_rss(self.root)
            self.bytes, self.kernels = max(self.bytes, rss), max(self.kernels, kernels)
            self._stop.wait(0.25)

    def __exit__(self, *_: Any) -> None:
        self._stop.set()
        self._thread.join()


def snapshot(root: int, label: str) -> dict[str, Any]:
    waited = wait_idle(root)
    rss, kernels = tree_rss(root)
    print(f"  {label}: {rss / MIB:.0f} MiB, {kernels} kernels (after {waited:.0f} s to go idle)", flush=True)
    return {"rss_mib": round(rss / MIB, 1), "kernels": kernels, "waited_for_idle_s": round(waited, 1)}


def wait_for_kernels(root: int, at_most: int, limit: float) -> float:
    """Wait until the tree has at most ``at_most`` kernels; the seconds waited."""
    start = time.monotonic()
    while time.monotonic() - start < limit and tree_rss(root)[1] > at_most:
        time.sleep(2.0)
    return time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    from jointwork.app.kernel import app_products, product_url
    from jointwork.app.limits import DEFAULT_MAX_PAGES, GONE_SECONDS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=30, help="product pages opened and closed (default 30)")
    parser.add_argument("--area", default="E06000045", help="area code (default E06000045, a sample plan)")
    parser.add_argument("--chromium", default=os.environ.get("JOINTWORK_CHROMIUM", "/usr/bin/chromium"))
    parser.add_argument("--skip-abandoned", action="store_true", help="skip the page cap and culling phase")
    args = parser.parse_args(argv)
    if not os.access(args.chromium, os.X_OK):
        raise SystemExit(f"{args.chromium} not found: run dev/ensure_chromium.sh (or pass --chromium)")
    root = Path(tempfile.mkdtemp(prefix="jointwork-kernel-bench-"))
    workspace = root / "workspace"
    (workspace / "plans").mkdir(parents=True)
    for sample in SAMPLES.glob("*.yaml"):
        shutil.copyfile(sample, workspace / "plans" / sample.name)
    products = app_products()
    port = free_port()
    argv_app = [sys.executable, "-m", "jointwork.cli", "app", "--port", str(port), "--no-browser"]
    server = Server([*argv_app, "--workspace", str(workspace)], port, root / "app.log", root)
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "cores": os.cpu_count(),
        "platform": platform.platform(),
        "load_average_start": os.getloadavg(),
        "pages": args.pages,
        "max_pages": DEFAULT_MAX_PAGES,
        "gone_seconds": GONE_SECONDS,
    }
    pid = server.proc.pid
    try:
        server.wait_up()
        print("App started; waiting for its kernels to be ready", flush=True)
        result["before"] = snapshot(pid, "before")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=LOCAL_ONLY_CHROMIUM_ARGS)
            context = browser.new_context()
            print(f"1. Open and close {args.pages} product pages, one after another", flush=True)
            loads: list[float] = []
            with Peak(pid) as peak:
                for i in range(args.pages):
                    product = products[i % len(products)]
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(server.url.rstrip("/") + product_url(product, args.area), timeout=180_000)
                    page.locator(VISIBLE_CONTROL).first.wait_for(state="visible", timeout=180_000)
                    loads.append(time.perf_counter() - start)
                    page.close(run_before_unload=True)  # as a closed tab: the page asks for its kernel to stop
            result["open_close"] = {
                "peak_rss_mib": round(peak.bytes / MIB, 1),
                "peak_kernels": peak.kernels,
                "median_page_s": round(sorted(loads)[len(loads) // 2], 2),
            }
            print(f"  peak: {peak.bytes / MIB:.0f} MiB, {peak.kernels} kernels", flush=True)
            wait_for_kernels(pid, result["before"]["kernels"], 60)  # the last page's kernel stops seconds later
            result["after_open_close"] = snapshot(pid, "after")
            if not args.skip_abandoned:
                print(f"2. Open {DEFAULT_MAX_PAGES + 1} pages in tabs left open, then end the browser", flush=True)
                refused = 0
                with Peak(pid) as peak:
                    for i in range(DEFAULT_MAX_PAGES + 1):
                        product = products[i % len(products)]
                        page = context.new_page()
                        response = page.goto(server.url.rstrip("/") + product_url(product, args.area), timeout=180_000)
                        if response is not None and response.status == 503:
                            refused += page.get_by_role("heading", name="Too many pages are open").count()
                        else:
                            page.locator(VISIBLE_CONTROL).first.wait_for(state="visible", timeout=180_000)
                    open_kernels = tree_rss(pid)[1]
                    browser.close()  # no page asks for anything: their kernels are abandoned
                result["abandoned"] = {
                    "pages_asked": DEFAULT_MAX_PAGES + 1,
                    "refused_with_the_message": refused,
                    "kernels_with_pages_open": open_kernels,
                    "peak_rss_mib": round(peak.bytes / MIB, 1),
                    "peak_kernels": peak.kernels,
                }
                print(
                    f"  {refused} page refused with the message; {open_kernels} kernels while the tabs were open, "
                    f"peak {peak.bytes / MIB:.0f} MiB",
                    flush=True,
                )
                ready = result["before"]["kernels"]
                culled = wait_for_kernels(pid, ready, GONE_SECONDS + 180)
                result["abandoned"]["culled_after_s"] = round(culled, 1)
                print(f"  abandoned kernels shut down {culled:.0f} s after the browser ended", flush=True)
                result["after_abandoned"] = snapshot(pid, "after")
            else:
                browser.close()
    finally:
        server.stop()
        result["load_average_end"] = os.getloadavg()
        shutil.rmtree(root, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"kernels-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S')}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
