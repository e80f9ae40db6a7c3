"""Smoke runs: every product notebook runs under papermill for a sample area and for an area without a plan.

One batch (:func:`jointwork.run.batch.run_batch`, the warm engine) runs every product for both
areas once; each test then reads one executed notebook.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jointwork.core.areas import find_area
from jointwork.products import PRODUCTS, plan_store
from jointwork.run.batch import run_batch

from conftest import FRESH_AREA, SAMPLES, outputs_text

pytestmark = pytest.mark.notebook
SAMPLE_AREA = "E06000045"  # Southampton: a sample plan


@pytest.fixture(scope="module")
def executed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, object]:
    """The product notebooks run once for the sample area and the fresh area: (out, workspace, result).

    Only the products whose tests were selected run (``-k who_to_engage`` runs product 4 alone).
    """
    selected = sorted(
        {
            item.callspec.params["product"].number
            for item in request.session.items
            if getattr(item, "module", None) is request.module and hasattr(item, "callspec")
        }
    )
    root = tmp_path_factory.mktemp("notebooks")
    workspace = root / "workspace"
    (workspace / "plans").mkdir(parents=True)
    for sample in SAMPLES.glob("*.yaml"):
        shutil.copyfile(sample, workspace / "plans" / sample.name)
    out = root / "out"
    result = run_batch(
        [SAMPLE_AREA, FRESH_AREA],
        selected,
        out=out,
        workspace=workspace,
        jobs=2,
        progress=False,
        packs=False,
        summary=False,
    )
    return out, workspace, result


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_sample_area(product, executed) -> None:
    out, workspace, result = executed
    failures = [str(f) for f in result.failures if f.product == product.number and f.area == SAMPLE_AREA]
    assert not failures, failures
    text = outputs_text(out / SAMPLE_AREA / product.notebook)
    assert plan_store(workspace).load(SAMPLE_AREA).illustrative and "ILLUSTRATIVE" in text
    assert find_area(SAMPLE_AREA).name in text
    assert "Traceback" not in text


@pytest.mark.parametrize("product", PRODUCTS, ids=lambda p: p.slug)
def test_fresh_area(product, executed) -> None:
    out, workspace, result = executed
    failures = [str(f) for f in result.failures if f.product == product.number and f.area == FRESH_AREA]
    assert not failures, failures
    text = outputs_text(out / FRESH_AREA / product.notebook)
    assert "Birmingham" in text and "no saved plan yet" in text
    assert not plan_store(workspace).exists(FRESH_AREA), "a batch run must not write a plan"
