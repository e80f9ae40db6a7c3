"""Re-record the reference notebooks in tests/notebooks/reference/ that nbval compares against.

Each product notebook is run in batch mode for the Southampton sample plan, with the workspace
given as a path relative to tests/notebooks/reference/ so the recorded notebook runs the same on any
machine. Review `git diff tests/notebooks/reference` before committing the result.

Usage: python dev/refresh_reference.py [PRODUCT_NUMBER ...]   (default: every product)
"""

from __future__ import annotations

import sys
from pathlib import Path

from jointwork.core.paths import notebooks_dir
from jointwork.products import PRODUCTS
from jointwork.run.execute import execute_notebook

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "tests" / "notebooks" / "reference"
REFERENCE_AREA = "E06000045"
REFERENCE_WORKSPACE = "../../../data/samples"


def refresh(numbers: list[int] | None = None) -> list[Path]:
    """Record the reference notebook of each product (or only the numbers given)."""
    written = []
    for product in PRODUCTS:
        if numbers and product.number not in numbers:
            continue
        target = REFERENCE_DIR / product.notebook
        execute_notebook(
            notebooks_dir() / product.notebook,
            target,
            {"area_code": REFERENCE_AREA, "workspace": REFERENCE_WORKSPACE, "interactive": False},
            cwd=REFERENCE_DIR,
        )
        written.append(target)
        print(f"recorded {target}")
    return written


if __name__ == "__main__":
    refresh([int(n) for n in sys.argv[1:]] or None)
