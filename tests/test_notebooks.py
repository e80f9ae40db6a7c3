"""Every available product notebook runs under papermill for each sample area and a fresh area."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jointwork.areas import find_area
from jointwork.execute import run_product
from jointwork.products import available_products
from jointwork.store import PlanStore

from conftest import SAMPLES

pytestmark = pytest.mark.notebook
SAMPLE_CODES = sorted(p.stem for p in SAMPLES.glob("*.yaml"))
FRESH_AREA = "E08000025"  # Birmingham: no sample plan


def outputs_text(notebook: Path) -> str:
    """All text and HTML the executed notebook shows."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            parts.extend("".join(v) if isinstance(v, list) else str(v)
                         for k, v in output.get("data", {}).items() if k.startswith("text/"))
            parts.append("".join(output.get("text", [])))
    return "\n".join(parts)


@pytest.mark.parametrize("product", available_products(), ids=lambda p: p.slug)
@pytest.mark.parametrize("code", SAMPLE_CODES)
def test_sample_area(product, code: str, sample_workspace: Path, tmp_path: Path) -> None:
    executed = run_product(code, tmp_path / "out", product.number, sample_workspace)
    text = outputs_text(executed)
    plan = PlanStore(sample_workspace).load(code)
    assert plan.illustrative and "ILLUSTRATIVE" in text
    assert find_area(code).name in text
    assert "Traceback" not in text


@pytest.mark.parametrize("product", available_products(), ids=lambda p: p.slug)
def test_fresh_area(product, workspace: Path, tmp_path: Path) -> None:
    executed = run_product(FRESH_AREA, tmp_path / "out", product.number, workspace)
    text = outputs_text(executed)
    assert "Birmingham" in text and "no saved plan yet" in text
    assert not PlanStore(workspace).exists(FRESH_AREA), "a batch run must not write a plan"
