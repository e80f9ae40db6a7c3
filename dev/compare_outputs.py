"""Compare two batch output folders: executed notebooks, packs, summary.csv and the index.

Usage: python dev/compare_outputs.py BEFORE AFTER [--examples N] [--ignore REGEX ...]

- every executed notebook (``<CODE>/NN_slug.ipynb``), cell by cell on its outputs, after
  ``jointwork.run.compare.sanitise_notebook`` (cell sources may differ; cells are matched by id);
- every pack (``<CODE>/index.html``), part by part: the page head, the contents, each product's
  section and the footer;
- ``summary.csv``, by column name (not position) and area code;
- ``index.html`` and ``summary.html``.

Each difference is counted and grouped (a notebook cell, a pack part, a summary column), with an
example. A difference that disappears once table cells' style attributes are set aside (the
right-aligned numbers), and any text matching an ``--ignore`` pattern (a regular expression,
applied to the notebooks' outputs and to the pages, e.g. a paragraph added on purpose), is
counted apart as "expected". The exit status is 1 when anything else differs, else 0.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from jointwork.run.compare import output_differences

NOTEBOOK = re.compile(r"\d\d_\w+\.ipynb")
PACK = "index.html"
_CELL_STYLE = re.compile(r"(<t[hd]\b[^>]*?) style=\"[^\"]*\"")
_TABLE_CLASS = re.compile(r"(<table\b[^>]*?) class=\"jw-table\"")
_SECTION = re.compile(r'<section class="product" id="(product-\d+)"')


IGNORED: list[re.Pattern[str]] = []


def without_expected(markup: str) -> str:
    """Text without what differs on purpose: table cells' style attributes, the tables' ``jw-table``
    class and whatever matches an ``--ignore`` pattern."""
    markup = _TABLE_CLASS.sub(r"\1", _CELL_STYLE.sub(r"\1", markup))
    for pattern in IGNORED:
        markup = pattern.sub("", markup)
    return markup


def _without_expected_notebook(nb: dict[str, Any]) -> dict[str, Any]:
    nb = json.loads(json.dumps(nb))
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            for mime in ("text/html", "text/plain"):
                if mime in data:
                    text = data[mime]
                    data[mime] = without_expected("".join(text) if isinstance(text, list) else text)
    return nb


def first_difference(a: str, b: str, context: int = 90) -> str:
    """The two texts around the first place they differ."""
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, i - context // 3)
    return f"    before: ...{a[start : i + context]!r}\n    after:  ...{b[start : i + context]!r}"


class Tally:
    """Counts of compared files, and differences grouped by where they are."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.compared = self.identical = self.expected_only = 0
        self.only: dict[str, list[str]] = {"before": [], "after": []}
        self.groups: Counter[str] = Counter()
        self.examples: dict[str, str] = {}

    def differ(self, group: str, example: str) -> None:
        """Count one difference in ``group``; keep the first example."""
        self.groups[group] += 1
        self.examples.setdefault(group, example)

    @property
    def real(self) -> bool:
        """Whether anything differs other than what is expected."""
        return bool(self.groups or self.only["before"] or self.only["after"])

    def print(self, examples: int) -> None:
        """Print the counts, then each group of differences with its example."""
        different = self.compared - self.identical
        print(
            f"\n== {self.title}: {self.compared} compared, {self.identical} identical, {different} differ "
            f"({self.expected_only} only in what is expected)"
        )
        for side, names in self.only.items():
            if names:
                print(
                    f"  only in {side.upper()}: {len(names)} "
                    f"({', '.join(names[:5])}{', ...' if len(names) > 5 else ''})"
                )
        for group, count in sorted(self.groups.items(), key=lambda kv: (-kv[1], kv[0])):
            print(f"  {count:5d} x {group}")
            if examples:
                print(self.examples[group])


def _files(root: Path, pattern: str) -> dict[str, Path]:
    return {str(p.relative_to(root)): p for p in sorted(root.glob(pattern))}


def compare_notebooks(before: Path, after: Path) -> Tally:
    """Every executed notebook's outputs, cell by cell."""
    tally = Tally("executed notebooks (outputs, cell by cell)")
    left = {k: p for k, p in _files(before, "*/*.ipynb").items() if NOTEBOOK.fullmatch(p.name)}
    right = {k: p for k, p in _files(after, "*/*.ipynb").items() if NOTEBOOK.fullmatch(p.name)}
    tally.only["before"] = sorted(set(left) - set(right))
    tally.only["after"] = sorted(set(right) - set(left))
    replace = {str(before.resolve()): "<OUT>", str(after.resolve()): "<OUT>"}
    for name in sorted(set(left) & set(right)):
        tally.compared += 1
        a = json.loads(left[name].read_text(encoding="utf-8"))
        b = json.loads(right[name].read_text(encoding="utf-8"))
        problems = output_differences(a, b, replace)
        if not problems:
            tally.identical += 1
            continue
        real = output_differences(_without_expected_notebook(a), _without_expected_notebook(b), replace)
        if not real:
            tally.expected_only += 1
            continue
        notebook = Path(name).name
        for problem in real:
            tally.differ(f"{notebook}: {problem}", _cell_example(a, b, problem, name))
    return tally


def _cell_example(a: dict[str, Any], b: dict[str, Any], problem: str, name: str) -> str:
    key = problem.split()[2]

    def text(nb: dict[str, Any]) -> str:
        """The outputs of the cell named in the difference, as JSON text."""
        cell = next((c for i, c in enumerate(nb["cells"]) if str(c.get("id") or f"#{i}") == key), None)
        return without_expected(json.dumps(cell.get("outputs") if cell else None, sort_keys=True))

    return f"    e.g. {name}\n" + first_difference(text(a), text(b))


def pack_parts(markup: str) -> dict[str, str]:
    """A pack split into its head, contents, each product's section and the footer."""
    parts: dict[str, str] = {}
    nav_start, nav_end = markup.find("<nav"), markup.find("</nav>")
    parts["page head and header"] = markup[:nav_start] if nav_start >= 0 else markup
    parts["contents"] = markup[nav_start:nav_end] if nav_start >= 0 else ""
    starts = [(m.start(), m.group(1)) for m in _SECTION.finditer(markup)]
    footer = markup.find("<footer")
    for (start, anchor), end in zip(starts, [s for s, _ in starts[1:]] + [footer], strict=True):
        parts[f"section {anchor}"] = markup[start:end]
    parts["footer"] = markup[footer:] if footer >= 0 else ""
    return parts


def compare_packs(before: Path, after: Path) -> Tally:
    """Every area's pack, part by part."""
    tally = Tally("packs (<CODE>/index.html)")
    left, right = _files(before, f"*/{PACK}"), _files(after, f"*/{PACK}")
    tally.only["before"] = sorted(set(left) - set(right))
    tally.only["after"] = sorted(set(right) - set(left))
    for name in sorted(set(left) & set(right)):
        tally.compared += 1
        a, b = left[name].read_text(encoding="utf-8"), right[name].read_text(encoding="utf-8")
        if a == b:
            tally.identical += 1
            continue
        a_parts, b_parts = pack_parts(without_expected(a)), pack_parts(without_expected(b))
        if a_parts == b_parts:
            tally.expected_only += 1
            continue
        for part in sorted(set(a_parts) | set(b_parts)):
            x, y = a_parts.get(part), b_parts.get(part)
            if x != y:
                example = (
                    (f"    e.g. {name}\n" + first_difference(x, y))
                    if x is not None and y is not None
                    else f"    e.g. {name}: only {'before' if y is None else 'after'}"
                )
                tally.differ(part, example)
    return tally


def compare_summary(before: Path, after: Path) -> Tally:
    """summary.csv by column name and area code."""
    tally = Tally("summary.csv (by column name and area code)")
    paths = before / "summary.csv", after / "summary.csv"
    if not all(p.is_file() for p in paths):
        tally.only["before" if paths[0].is_file() else "after"] = ["summary.csv"]
        return tally
    tables = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            tables.append((list(reader.fieldnames or []), {row["code"]: row for row in reader}))
    (left_columns, left), (right_columns, right) = tables
    common = [c for c in left_columns if c in right_columns]
    if [c for c in left_columns if c in common] != [c for c in right_columns if c in common]:
        print(f"\nsummary.csv column order: before {left_columns}\n                          after  {right_columns}")
    for column in left_columns:
        if column not in right_columns:
            tally.differ(f"column {column!r} only before", "")
    for column in right_columns:
        if column not in left_columns:
            tally.differ(f"column {column!r} only after", "")
    tally.only["before"] = sorted(set(left) - set(right))
    tally.only["after"] = sorted(set(right) - set(left))
    for code in [c for c in left if c in right]:
        tally.compared += 1
        changed = [c for c in common if left[code][c] != right[code][c]]
        if not changed:
            tally.identical += 1
        for column in changed:
            tally.differ(f"column {column!r}", f"    e.g. {code}: {left[code][column]!r} -> {right[code][column]!r}")
    return tally


def compare_pages(before: Path, after: Path) -> Tally:
    """index.html and summary.html."""
    tally = Tally("index.html and summary.html")
    for name in ("index.html", "summary.html"):
        a_path, b_path = before / name, after / name
        if not (a_path.is_file() and b_path.is_file()):
            tally.only["before" if a_path.is_file() else "after"].append(name)
            continue
        tally.compared += 1
        a, b = a_path.read_text(encoding="utf-8"), b_path.read_text(encoding="utf-8")
        if a == b:
            tally.identical += 1
        elif without_expected(a) == without_expected(b):
            tally.expected_only += 1
        else:
            a_rows, b_rows = without_expected(a).split("<tr"), without_expected(b).split("<tr")
            rows = sum(1 for x, y in zip(a_rows, b_rows, strict=False) if x != y) + abs(len(a_rows) - len(b_rows))
            tally.differ(
                f"{name}: {rows} of {len(a_rows) - 1} table rows (or the text around the table)",
                first_difference(without_expected(a), without_expected(b)),
            )
    return tally


def main(argv: list[str] | None = None) -> int:
    """Compare the two folders and print what differs; 1 if anything unexpected does."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--examples", type=int, default=1, help="print an example of each difference (0: none)")
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="REGEX",
        help="text to set aside in outputs and pages before comparing (repeatable)",
    )
    args = parser.parse_args(argv)
    IGNORED[:] = [re.compile(pattern, re.S) for pattern in args.ignore]
    for folder in (args.before, args.after):
        if not folder.is_dir():
            parser.error(f"{folder} is not a folder")
    tallies = [
        compare_notebooks(args.before, args.after),
        compare_packs(args.before, args.after),
        compare_summary(args.before, args.after),
        compare_pages(args.before, args.after),
    ]
    for tally in tallies:
        tally.print(args.examples)
    real = [t.title for t in tallies if t.real]
    print("\nDifferent beyond what is expected: " + (", ".join(real) if real else "nothing"))
    return 1 if real else 0


if __name__ == "__main__":
    sys.exit(main())
