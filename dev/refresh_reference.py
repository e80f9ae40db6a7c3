"""Re-record the reference notebooks in tests/reference/ that nbval compares against.

Each available product notebook is run in batch mode for the Southampton sample plan, with the
workspace given as a path relative to tests/reference/ so the recorded notebook runs the same on
any machine. Review `git diff tests/reference` before committing the result.

Usage: python dev/refresh_reference.py [PRODUCT_NUMBER ...]   (default: every available product)
"""

from __future__ import annotations

import sys
from pathlib import Path

import papermill

from jointwork.paths import notebooks_dir
from jointwork.products import available_products

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "tests" / "reference"
REFERENCE_AREA = "E06000045"
REFERENCE_WORKSPACE = "../../data/samples"


def refresh(numbers: list[int] | None = None) -> list[Path]:
    """Record the reference notebook of each available product (or only the numbers given)."""
    written = []
    for product in available_products():
        if numbers and product.number not in numbers:
            continue
        target = REFERENCE_DIR / product.notebook
        papermill.execute_notebook(str(notebooks_dir() / product.notebook), str(target),
                                   parameters={"area_code": REFERENCE_AREA, "workspace": REFERENCE_WORKSPACE,
                                               "interactive": False},
                                   cwd=str(REFERENCE_DIR), progress_bar=False, kernel_name="python3")
        written.append(target)
        print(f"recorded {target}")
    return written


if __name__ == "__main__":
    refresh([int(n) for n in sys.argv[1:]] or None)
