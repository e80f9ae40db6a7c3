"""How fast filled Excel forms (and a survey export) import, measured, not asserted.

    .venv/bin/python benchmarks/forms_benchmark.py                 # 20 and 200 forms, a 1,000-row survey
    .venv/bin/python benchmarks/forms_benchmark.py --forms 50,200,400 --survey-rows 2000

For each number of forms, in one run and one fresh workspace each: ``jointwork forms`` writes that
many copies of product 3's form for one round (``write_forms``), each is filled as a respondent
would (openpyxl: a sector, a score and evidence for every factor, a name on one in five), then one
``import_files`` call reads, checks and saves them all (the path ``jointwork responses import``
takes); the same files are then imported again (every response updated, none added). Reading and
checking are timed apart from the whole import. A survey export (Microsoft Forms' layout, .xlsx)
of ``--survey-rows`` respondents is imported the same way.

Reported: each import's wall time against the goal of issue 10 (200 forms in under 20 s) as a
ratio, and the time per form at each size (flat when the import scales linearly). Writing and
filling the forms is timed too, for scale, but is not part of the goal. A warm-up import of two
forms runs first and is not reported (the first use of openpyxl and of the product's content). JSON goes to
benchmarks/results/ (git-ignored), with the machine's load average.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results"
sys.path.insert(0, str(REPO))

from jointwork.core.responses import ResponseStore  # noqa: E402
from jointwork.forms import FormProduct  # noqa: E402
from jointwork.forms.excel_form import ANSWERS, FIRST_QUESTION_ROW, HEADER_ROW, ROW, write_forms  # noqa: E402
from jointwork.forms.importing import import_files, read_files  # noqa: E402
from jointwork.forms.spec import answer_title, note_title, survey_note_title  # noqa: E402
from jointwork.products import PRODUCTS, get_product  # noqa: E402

AREA, AREA_NAME = "E06000045", "Southampton"
GOAL_SECONDS, GOAL_FORMS = 20.0, 200
SECTORS = ["Local authority", "Health", "Other"]


def form_products() -> list[FormProduct]:
    return [FormProduct(p.number, p.slug, p.title, p.questionnaire) for p in PRODUCTS if p.questionnaire]


def fill(path: Path, product: FormProduct, rng: random.Random, named: bool) -> None:
    """Fill one form as a respondent would: sector, maybe a name, a score and evidence for every row."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[ANSWERS]
    headings = {c.value: c.column for c in sheet[HEADER_ROW]}
    answer, note = headings[answer_title(product.questionnaire)], headings[note_title(product.questionnaire)]
    sheet.cell(ROW["sector"], 2).value = rng.choice(SECTORS)
    if named:
        sheet.cell(ROW["name"], 2).value = f"Partner {rng.randrange(10**6)}"
    for offset in range(len(product.questionnaire.questions())):
        sheet.cell(FIRST_QUESTION_ROW + offset, answer).value = rng.randint(1, 4)
        sheet.cell(FIRST_QUESTION_ROW + offset, note).value = "Seen at the partnership board, " * rng.randint(1, 4)
    workbook.save(path)


def bench_forms(count: int, product: FormProduct, rng: random.Random) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="jointwork-forms-bench-") as tmp:
        store = ResponseStore(Path(tmp) / "workspace")
        made = store.open_round(AREA, product.slug, "Benchmark round")
        started = time.perf_counter()
        paths = write_forms(product, AREA, AREA_NAME, made, Path(tmp) / "forms", count)
        written = time.perf_counter() - started
        started = time.perf_counter()
        for index, path in enumerate(paths):
            fill(path, product, rng, named=index % 5 == 0)
        filled = time.perf_counter() - started
        started = time.perf_counter()
        read, problems = read_files(store, AREA, paths, form_products())
        checked = time.perf_counter() - started
        assert not problems and len(read) == count, problems[:3]
        started = time.perf_counter()
        first = import_files(store, AREA, paths, form_products())
        imported = time.perf_counter() - started
        started = time.perf_counter()
        again = import_files(store, AREA, paths, form_products())
        reimported = time.perf_counter() - started
        assert (first.added, again.updated, again.added) == (count, count, 0)
        assert len(store.responses(AREA, product.slug, made.id)) == count
        return {
            "forms": count,
            "write_s": written,
            "fill_s": filled,
            "read_and_check_s": checked,
            "import_s": imported,
            "reimport_s": reimported,
            "import_ms_per_form": 1000 * imported / count,
            "bytes_per_form": statistics.mean(p.stat().st_size for p in paths),
        }


def bench_survey(rows: int, product: FormProduct, rng: random.Random) -> dict[str, Any]:
    questions = product.questionnaire.questions()
    titles = ["Id", "Start time", "Completion time", "Email", "Name", "Your sector"]
    for question in questions:
        titles += [question.title, survey_note_title(product.questionnaire, question)]
    with tempfile.TemporaryDirectory(prefix="jointwork-survey-bench-") as tmp:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(titles)
        start = datetime(2027, 4, 1, 9, 0)
        for number in range(1, rows + 1):
            when = start + timedelta(minutes=number)
            row: list[Any] = [number, when, when + timedelta(minutes=12), "anonymous", "anonymous", rng.choice(SECTORS)]
            for _ in questions:
                row += [rng.randint(1, 4), "Minutes of the joint board"]
            sheet.append(row)
        path = Path(tmp) / "export.xlsx"
        workbook.save(path)
        store = ResponseStore(Path(tmp) / "workspace")
        started = time.perf_counter()
        report = import_files(store, AREA, [path], form_products(), product=product, round_name="Survey round")
        imported = time.perf_counter() - started
        assert report.added == rows
        return {
            "rows": rows,
            "import_s": imported,
            "import_ms_per_row": 1000 * imported / rows,
            "bytes": path.stat().st_size,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--forms", default="20,200", help="numbers of forms to import, comma-separated")
    parser.add_argument("--survey-rows", type=int, default=1000, help="respondents in the survey export (0: skip)")
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args()
    product = next(p for p in form_products() if p.number == get_product(3).number)
    rng = random.Random(args.seed)
    load = os.getloadavg()
    bench_forms(2, product, random.Random(0))  # warm-up, not reported: first imports of openpyxl and the content
    results = [bench_forms(int(n), product, rng) for n in args.forms.split(",")]
    survey = bench_survey(args.survey_rows, product, rng) if args.survey_rows else None

    print(
        f"Importing filled Excel forms of product 3 ({len(product.questionnaire.questions())} factors, every one "
        f"scored with evidence); machine load {load[0]:.2f}"
    )
    print("| forms | write + fill (s) | read and check (s) | import (s) | again, all updated (s) | ms per form |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: |")
    for r in results:
        print(
            f"| {r['forms']} | {r['write_s'] + r['fill_s']:.1f} | {r['read_and_check_s']:.2f} | {r['import_s']:.2f} "
            f"| {r['reimport_s']:.2f} | {r['import_ms_per_form']:.1f} |"
        )
    for r in results:
        scaled = r["import_s"] * GOAL_FORMS / r["forms"]
        print(
            f"{r['forms']} forms: import {r['import_s']:.2f} s; scaled to {GOAL_FORMS} forms {scaled:.2f} s = "
            f"{scaled / GOAL_SECONDS:.3f} x the goal of {GOAL_SECONDS:.0f} s"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        print(
            f"time per form at {large['forms']} / at {small['forms']}: "
            f"{large['import_ms_per_form'] / small['import_ms_per_form']:.2f} (1.00 = linear)"
        )
    if survey:
        print(
            f"survey export, {survey['rows']} rows: import {survey['import_s']:.2f} s "
            f"({survey['import_ms_per_row']:.2f} ms per row)"
        )
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"forms-{datetime.now(UTC):%Y%m%dT%H%M%SZ}.json"
    out.write_text(
        json.dumps(
            {
                "forms": results,
                "survey": survey,
                "loadavg": load,
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
            },
            indent=1,
        )
    )
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
