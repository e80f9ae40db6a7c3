"""Thirty phones answering product 3 at once, three times over: every response stored, and how long a
submission takes, measured (not asserted) against one phone alone in the same run.

    .venv/bin/python benchmarks/respond_load_benchmark.py                 # 30 phones x 3 waves (~1 min)
    .venv/bin/python benchmarks/respond_load_benchmark.py --phones 10 --waves 1

One ``jointwork app --share`` (preheated, as a facilitator runs it) with its respondent service on
127.0.0.1 (loopback only: bounded, nothing leaves the machine), on free ports, with an empty
workspace. For each wave the facilitator's room page opens a new round and lets phones join; then
``--phones`` simulated phones (jointwork.app.respond.simulate.Phone: each its own HTTP client and
cookies, through the same pages and forms a person uses) start together at a barrier and each
submits a full product 3 response: "about you", then all six screens of the 14 factors with a score
and evidence for each. Before the waves, one phone alone does the same: the baseline.

Reported: the submissions' p50/p95 (each POST of a screen, to its redirect), the ratio of the
waves' p95 to the baseline's, every response stored (counted in the store and checked against what
each phone sent) and the app's memory (resident memory of the app and its kernels, from /proc)
before, at the peak and after. Results are printed and written as JSON to benchmarks/results/.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app_benchmark import RESULTS, Server, free_port, wait_idle
from kernel_benchmark import MIB, Peak, tree_rss

from jointwork.app.respond.simulate import Phone, screen_forms
from jointwork.core.responses import ResponseStore
from jointwork.products import get_product

AREA = "E06000045"
PRODUCT = get_product(3)
SECTORS = ("local authority", "health", "other")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def open_round(app_url: str, name: str) -> tuple[str, str]:
    """Open a round from the room page as the facilitator does; its join address's start and code."""
    import re

    import httpx

    with httpx.Client(base_url=app_url, trust_env=False) as facilitator:
        page = facilitator.get(f"/room?area={AREA}&product=3").text
        token = re.search(r'name="_xsrf" value="([^"]+)"', page).group(1)
        reply = facilitator.post(f"/room?area={AREA}&product=3", data={"_xsrf": token, "do": "open", "name": name})
        address = re.search(r'<p class="address">([^<]+)</p>', reply.text)
        if address is None:
            raise SystemExit(f"the room page did not share the round: {reply.status_code}")
        base, code = address.group(1).split("/j/")
        return base, code


def answers_for(phone_number: int) -> tuple[dict[str, int], dict[str, str]]:
    """What phone ``n`` answers: a score for every factor and a line of evidence (all different)."""
    ids = PRODUCT.questionnaire.question_ids()
    return (
        {q: 1 + (phone_number + i) % 4 for i, q in enumerate(ids)},
        {q: f"Phone {phone_number}: evidence for {q}" for q in ids},
    )


def one_phone(base: str, code: str, number: int, start: threading.Barrier | None, times: list[float]) -> str:
    """Join, say who, and submit every screen; each POST's seconds go to ``times``. Returns a problem or ""."""
    phone = Phone(base)
    try:
        phone.join(code)
        token = phone.token(f"/j/{code}")
        values, notes = answers_for(number)
        forms = [
            (f"/j/{code}", {"sector": SECTORS[number % 3], "name": "" if number % 2 else f"Partner {number}"}),
        ]
        forms += [(f"/j/{code}/s/{n}", form) for n, form in screen_forms(PRODUCT.questionnaire, values, notes)]
        if start is not None:
            start.wait(60)
        for path, form in forms:
            began = time.perf_counter()
            reply = phone.post(path, form, token=token)
            times.append(time.perf_counter() - began)
            if reply.status_code != 303:
                return f"phone {number}: {path} gave {reply.status_code}"
        return ""
    except Exception as exc:  # noqa: BLE001 - a phone that fails is counted and reported, not raised
        return f"phone {number}: {type(exc).__name__}: {exc}"
    finally:
        phone.close()


def run_wave(base: str, code: str, phones: int) -> tuple[list[float], list[str], float]:
    """``phones`` phones, started together at a barrier; every POST's seconds, the problems, the wall time."""
    times: list[float] = []
    problems: list[str] = []
    start = threading.Barrier(phones)

    def run(number: int) -> None:
        found = one_phone(base, code, number, start, times)
        if found:
            problems.append(found)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(1, phones + 1)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    return times, problems, time.perf_counter() - began


def check_stored(workspace: Path, round_id: str, phones: range) -> tuple[int, list[str]]:
    """How many responses the round holds, and any that differ from what the phones sent."""
    stored = ResponseStore(workspace).responses(AREA, PRODUCT.slug, round_id)
    by_evidence = {r.note(PRODUCT.questionnaire.question_ids()[0]): r for r in stored}
    wrong = []
    for number in phones:
        values, notes = answers_for(number)
        found = by_evidence.get(notes[PRODUCT.questionnaire.question_ids()[0]])
        if found is None:
            wrong.append(f"phone {number}: no response stored")
        elif any(found.value(q) != v or found.note(q) != notes[q] for q, v in values.items()):
            wrong.append(f"phone {number}: stored answers differ from those sent")
    return len(stored), wrong


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--waves", type=int, default=3)
    args = parser.parse_args(argv)
    repo = Path(__file__).resolve().parents[1]
    jointwork = str(Path(sys.executable).with_name("jointwork"))
    with tempfile.TemporaryDirectory(prefix="jointwork-load-") as tmp:
        workspace = Path(tmp) / "workspace"
        (workspace / "plans").mkdir(parents=True)
        app_port, share_port = free_port(), free_port()
        argv_app = [jointwork, "app", "--no-browser", "--port", str(app_port), "--workspace", str(workspace)]
        argv_app += ["--share", "--share-host", "127.0.0.1", "--share-port", str(share_port)]
        server = Server(argv_app, app_port, Path(tmp) / "app.log", repo)
        try:
            server.wait_up()
            wait_idle(server.proc.pid)
            rss_before, kernels = tree_rss(server.proc.pid)
            print(f"app up: {rss_before / MIB:.0f} MiB with {kernels} kernels ready", flush=True)
            app_url = server.url.rstrip("/")
            base, code = open_round(app_url, "Baseline phone")
            alone: list[float] = []
            problem = one_phone(base, code, 0, None, alone)
            if problem:
                raise SystemExit(f"the baseline phone failed: {problem}")
            waves = []
            with Peak(server.proc.pid) as peak:
                for wave in range(1, args.waves + 1):
                    name = f"Load wave {wave}"
                    base, code = open_round(app_url, name)
                    times, problems, seconds = run_wave(base, code, args.phones)
                    stored, wrong = check_stored(workspace, name.lower().replace(" ", "-"), range(1, args.phones + 1))
                    waves.append(
                        {
                            "wave": wave,
                            "phones": args.phones,
                            "submissions": len(times),
                            "seconds": round(seconds, 2),
                            "p50_ms": round(statistics.median(times) * 1000, 1),
                            "p95_ms": round(percentile(times, 0.95) * 1000, 1),
                            "max_ms": round(max(times) * 1000, 1),
                            "stored": stored,
                            "problems": problems + wrong,
                        }
                    )
                    w = waves[-1]
                    print(
                        f"wave {wave}: {w['submissions']} submissions from {args.phones} phones in {w['seconds']} s; "
                        f"p50 {w['p50_ms']} ms, p95 {w['p95_ms']} ms, max {w['max_ms']} ms; "
                        f"{stored} of {args.phones} responses stored"
                        + (f"; PROBLEMS: {w['problems'][:3]}" if w["problems"] else ""),
                        flush=True,
                    )
            wait_idle(server.proc.pid)
            rss_after, _ = tree_rss(server.proc.pid)
        finally:
            server.stop()
    all_times_p95 = max(w["p95_ms"] for w in waves)
    alone_p95 = percentile(alone, 0.95) * 1000
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load": os.getloadavg()},
        "baseline_one_phone": {
            "submissions": len(alone),
            "p50_ms": round(statistics.median(alone) * 1000, 1),
            "p95_ms": round(alone_p95, 1),
        },
        "waves": waves,
        "worst_wave_p95_over_alone_p95": round(all_times_p95 / alone_p95, 2),
        "memory_mib": {
            "before": round(rss_before / MIB),
            "peak": round(peak.bytes / MIB),
            "after": round(rss_after / MIB),
        },
        "all_stored": all(w["stored"] == args.phones and not w["problems"] for w in waves),
    }
    print(
        f"one phone alone: p50 {result['baseline_one_phone']['p50_ms']} ms, p95 {alone_p95:.1f} ms; "
        f"worst wave p95 / alone p95: {result['worst_wave_p95_over_alone_p95']}x; "
        f"memory {result['memory_mib']['before']} -> peak {result['memory_mib']['peak']} -> "
        f"{result['memory_mib']['after']} MiB; all stored: {result['all_stored']}; load {os.getloadavg()[0]:.1f}"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"respond_load_{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(f"written to {out}")
    return 0 if result["all_stored"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
