"""Running notebooks: the one place jointwork calls papermill.

:func:`execute_notebook` executes a notebook with its parameters injected; the CLI's ``run``, the
batch, the reference refresh (``dev/refresh_reference.py``) and the tests all call it, so every
run uses the same engine choice, timeout rules and working folder.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from ..core.areas import find_area
from ..core.paths import notebooks_dir, resolve_workspace
from ..core.product import Product
from ..products import PRODUCTS, get_product

#: papermill's own engine: a fresh kernel for every notebook.
FRESH_ENGINE = "nbclient"
#: jointwork's engine (:mod:`jointwork.run.engine`): one warm kernel per process, reset between notebooks.
WARM_ENGINE = "jointwork_warm"


def notebook_parameters(
    area_code: str, workspace: str | os.PathLike[str] | None = None, interactive: bool = False
) -> dict[str, object]:
    """The parameters a run injects: the area's current GSS code (always text), the workspace, the mode."""
    return {
        "area_code": str(find_area(area_code).code),
        "workspace": str(resolve_workspace(workspace)),
        "interactive": bool(interactive),
    }


def execute_notebook(
    notebook: str | os.PathLike[str],
    output: str | os.PathLike[str],
    parameters: Mapping[str, object],
    *,
    engine: str = FRESH_ENGINE,
    timeout: float | None = None,
    cwd: str | os.PathLike[str] | None = None,
    kernel_name: str = "python3",
) -> Any:
    """Execute ``notebook`` with ``parameters`` injected and write it to ``output``; returns the notebook.

    ``timeout`` bounds each cell on papermill's engine and the whole notebook on the warm engine.
    ``cwd`` is the folder the kernel runs in (default: the notebook's own). A failing cell raises
    :class:`papermill.exceptions.PapermillExecutionError` naming the cell.
    """
    import papermill

    source = Path(notebook)
    options: dict[str, Any] = {"progress_bar": False, "kernel_name": kernel_name, "engine_name": engine}
    if timeout is not None:
        options["notebook_timeout" if engine == WARM_ENGINE else "execution_timeout"] = timeout
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    return papermill.execute_notebook(
        str(source), str(output), parameters=dict(parameters), cwd=str(cwd or source.parent), **options
    )


def output_path(out_dir: str | os.PathLike[str], area_code: str, product: Product) -> Path:
    """Where a run writes an area's executed notebook: ``<out>/<CODE>/NN_slug.ipynb``."""
    return Path(out_dir) / area_code / product.notebook


def run_product(
    area_code: str,
    out_dir: str | os.PathLike[str],
    product: int | str,
    workspace: str | os.PathLike[str] | None = None,
    *,
    engine: str = FRESH_ENGINE,
    timeout: float | None = None,
) -> Path:
    """Execute one product notebook for one area in batch mode; returns the executed notebook's path."""
    chosen = get_product(product)
    parameters = notebook_parameters(area_code, workspace)
    target = output_path(out_dir, str(parameters["area_code"]), chosen)
    execute_notebook(notebooks_dir() / chosen.notebook, target, parameters, engine=engine, timeout=timeout)
    return target


def run_area(
    area_code: str,
    out_dir: str | os.PathLike[str],
    products: Sequence[int | str] | None = None,
    workspace: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Execute every product notebook (or those listed) for one area."""
    chosen = [get_product(n) for n in products] if products else list(PRODUCTS)
    return [run_product(area_code, out_dir, p.number, workspace) for p in chosen]
