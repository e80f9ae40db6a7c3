"""Re-record the reference notebooks in tests/reference/ that nbval compares against.

Each available product notebook is run in batch mode for the Southampton sample plan, with the
workspace given as a path relative to tests/reference/ so the recorded notebook runs the same on
any machine. Review `git diff tests/reference` before committing the result.
"""

from __future__ import annotations

from pathlib import Path

import papermill

from jointwork.paths import notebooks_dir
from jointwork.products import available_products

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "tests" / "reference"
REFERENCE_AREA = "E06000045"
REFERENCE_WORKSPACE = "../../data/samples"


def refresh() -> list[Path]:
    written = []
    for product in available_products():
        target = REFERENCE_DIR / product.notebook
        papermill.execute_notebook(str(notebooks_dir() / product.notebook), str(target),
                                   parameters={"area_code": REFERENCE_AREA, "workspace": REFERENCE_WORKSPACE,
                                               "interactive": False},
                                   cwd=str(REFERENCE_DIR), progress_bar=False, kernel_name="python3")
        written.append(target)
        print(f"recorded {target}")
    return written


if __name__ == "__main__":
    refresh()
