"""How much one partner's saved answer costs as a round fills up, measured, not asserted.

    .venv/bin/python benchmarks/responses_benchmark.py                 # 5, 50, 200 and 1,000 responses
    .venv/bin/python benchmarks/responses_benchmark.py --saves 100 --sizes 5 200

For each size N, in one run, on the same machine and disk:

1. **One answer saved as a response** (``ResponseStore.save``, what the workbook does when a partner
   chooses a rating): a round holding N responses (each rating all 14 factors, with a short evidence
   note), then ``--saves`` times one response's rating of one factor is changed and saved (lock,
   check against the questionnaire, one file written atomically and synced to disk).
2. **The same answer saved in the whole plan**, as schema 1 did (``PlanStore.update`` on a plan holding
   N respondents with the same ratings), ``--plan-saves`` times: the whole plan is read, validated and
   written, and the earlier version kept in its history.

The sizes take turns, save by save, so a burst of other work on the machine falls on every size alike.
3. **Product 3's scores view for N responses**: the round read from disk (``ResponseStore.area``) and
   the scores table drawn from it (``scores_table``), ``--views`` times.

It prints the median and the 95th percentile of each, the ratios between them, and writes JSON to
benchmarks/results/ (git-ignored). Timings are of this machine at the time of the run (its load
average is recorded); the ratios are what carries over.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
CODE = "E06000045"
SIZES = (5, 50, 200, 1000)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` quantile (0.95 for the 95th percentile), linearly interpolated."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: list[float]) -> dict[str, float]:
    """Median and 95th percentile, in milliseconds."""
    return {"median_ms": statistics.median(values) * 1000, "p95_ms": percentile(values, 0.95) * 1000}


def answers_for(number: int, factor_ids: list[str]) -> dict[str, dict[str, Any]]:
    """A respondent's ratings of every factor (scores cycle 1-4) with a short evidence note."""
    return {
        f: {"value": 1 + (number + i) % 4, "note": f"Evidence {number}-{i}: minutes of the board"}
        for i, f in enumerate(factor_ids)
    }


def fill_round(store: Any, size: int) -> Any:
    """A new round of ``size`` responses (half of them anonymous, sectors in turn); returns one in the middle."""
    from jointwork.core.plan import Sector
    from jointwork.core.responses import Response
    from jointwork.products import successful_joint_working as p3

    made = store.open_round(CODE, p3.SLUG, f"Benchmark round of {size}", date(2026, 2, 1))
    factor_ids = [f.id for f in p3.factors()]
    sectors = list(Sector)
    given = [
        Response("", made.id, p3.SLUG, sectors[n % 3], "", answers_for(n, factor_ids), None if n % 2 else f"P{n}")
        for n in range(size)
    ]
    return store.save_many(CODE, p3.QUESTIONNAIRE, given)[size // 2]


def save_one_answer(store: Any, target: Any, attempt: int) -> tuple[float, Any]:
    """Seconds to change one factor's rating in ``target`` and save it, and the response as saved."""
    from jointwork.core.responses import Response
    from jointwork.products import successful_joint_working as p3

    factor_ids = [f.id for f in p3.factors()]
    answers = {k: dict(v) for k, v in target.answers.items()}
    answers[factor_ids[attempt % len(factor_ids)]]["value"] = 1 + attempt % 4
    changed = Response(**{**target.__dict__, "answers": answers})
    started = time.perf_counter()
    saved = store.save(CODE, p3.QUESTIONNAIRE, changed)
    return time.perf_counter() - started, saved


def whole_plan_store(workspace: Path, size: int) -> Any:
    """A store of schema 1's layout (the ratings inside the plan, every save rewriting it) holding a plan
    with ``size`` respondents who rated every factor."""
    from jointwork.core.store import PlanStore
    from jointwork.products import Plan
    from jointwork.products import successful_joint_working as p3

    class WholePlanStore(PlanStore):
        """Schema 1's layout: no move into responses on load."""

        def load(self, code: str) -> Any:
            return self._load(code)[0]

    legacy = Plan.version_1
    store = WholePlanStore(workspace, legacy)
    factor_ids = [f.id for f in p3.factors()]
    respondents = [
        {
            "name": f"Respondent {n + 1}",
            "sector": ["local authority", "health", "other"][n % 3],
            "ratings": {f: {"score": a["value"], "evidence": a["note"]} for f, a in answers_for(n, factor_ids).items()},
        }
        for n in range(size)
    ]
    plan = legacy.model_validate(
        {"schema_version": 1, "area_code": CODE, "successful_joint_working": {"respondents": respondents}}
    )
    store.save(plan)
    return store


def save_in_plan(store: Any, size: int, attempt: int) -> float:
    """Seconds for ``PlanStore.update`` to change one respondent's rating of one factor."""
    from jointwork.products import successful_joint_working as p3

    factor_ids = [f.id for f in p3.factors()]

    def change(draft: Any) -> None:
        rating = draft.successful_joint_working.respondents[size // 2].ratings[factor_ids[attempt % len(factor_ids)]]
        rating.score = 1 + attempt % 4

    started = time.perf_counter()
    store.update(CODE, change)
    return time.perf_counter() - started


def time_scores_view(store: Any, views: int) -> tuple[list[float], list[float], int]:
    """Seconds to read the area's responses, and to draw product 3's scores table from them."""
    from jointwork.products import Plan
    from jointwork.products import successful_joint_working as p3

    plan = Plan(area_code=CODE)
    reads, draws = [], []
    count = 0
    for _ in range(views):
        started = time.perf_counter()
        responses = store.area(CODE)
        read = time.perf_counter()
        p3.scores_table(plan, responses)
        reads.append(read - started)
        draws.append(time.perf_counter() - read)
        count = len(responses.answers(p3.SLUG))
    return reads, draws, count


def run(sizes: list[int], saves: int, plan_saves: int, views: int) -> dict[str, Any]:
    """Every measurement. The sizes take turns save by save (5, 50, 200, 1,000, 5, 50...), so that other
    work on the machine weighs on every size alike."""
    from jointwork.core.responses import ResponseStore

    with tempfile.TemporaryDirectory(prefix="jointwork-responses-bench-") as folder:
        root = Path(folder)
        stores, targets, plans = {}, {}, {}
        for size in sizes:
            stores[size] = ResponseStore(root / f"responses-{size}")
            targets[size] = fill_round(stores[size], size)
            (root / f"plan-{size}" / "plans").mkdir(parents=True)
            plans[size] = whole_plan_store(root / f"plan-{size}", size)
        answer: dict[int, list[float]] = {size: [] for size in sizes}
        whole: dict[int, list[float]] = {size: [] for size in sizes}
        for attempt in range(saves):
            for size in sizes:
                seconds, targets[size] = save_one_answer(stores[size], targets[size], attempt)
                answer[size].append(seconds)
        print("  responses saved", file=sys.stderr)
        for attempt in range(plan_saves):
            for size in sizes:
                whole[size].append(save_in_plan(plans[size], size, attempt))
        print("  plans saved", file=sys.stderr)
        rows = []
        for size in sizes:
            reads, draws, count = time_scores_view(stores[size], views)
            assert count == size, f"the view read {count} responses, not {size}"
            rows.append(
                {
                    "responses": size,
                    "response_save": summary(answer[size]),
                    "plan_save": summary(whole[size]),
                    "view_read": summary(reads),
                    "view_draw": summary(draws),
                    "view_total_median_ms": statistics.median(r + d for r, d in zip(reads, draws, strict=True)) * 1000,
                }
            )
    return {"rows": rows}


def table(result: dict[str, Any]) -> str:
    """The results as a Markdown table, with the ratios."""
    rows = result["rows"]
    first = rows[0]["response_save"]
    lines = [
        "| responses in the round | one answer saved as a response: median / p95 (ms) | the same answer in the "
        "whole plan (`PlanStore.update`, schema 1): median / p95 (ms) | plan / response (median) | response p95 / "
        f"{rows[0]['responses']}-response p95 | scores view: read + draw, median (ms) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        answer, whole = row["response_save"], row["plan_save"]
        lines.append(
            f"| {row['responses']:,} | {answer['median_ms']:.1f} / {answer['p95_ms']:.1f} | "
            f"{whole['median_ms']:.1f} / {whole['p95_ms']:.1f} | {whole['median_ms'] / answer['median_ms']:.1f}x | "
            f"{answer['p95_ms'] / first['p95_ms']:.2f} | {row['view_total_median_ms']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="responses in the round")
    parser.add_argument("--saves", type=int, default=200, help="responses saved at each size (default 200)")
    parser.add_argument("--plan-saves", type=int, default=30, help="whole-plan saves at each size (default 30)")
    parser.add_argument("--views", type=int, default=5, help="scores views timed at each size (default 5)")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()
    result = run(sorted(args.sizes), args.saves, args.plan_saves, args.views)
    result.update(
        when=datetime.now(UTC).isoformat(timespec="seconds"),
        machine={"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        load_average={"before": load_before, "after": os.getloadavg()},
        saves=args.saves,
        plan_saves=args.plan_saves,
        views=args.views,
        command="benchmarks/responses_benchmark.py " + " ".join(argv if argv is not None else sys.argv[1:]),
    )
    print(table(result))
    print(f"load average before {load_before[0]:.2f}, after {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"responses-{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
