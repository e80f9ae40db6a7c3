"""Run product notebooks for an area with papermill, parameters injected, nothing re-typed."""

from __future__ import annotations

import os
from pathlib import Path

from .areas import find_area
from .paths import notebooks_dir, resolve_workspace
from .products import Product, available_products, get_product


def notebook_parameters(area_code: str, workspace: str | os.PathLike[str] | None = None,
                        interactive: bool = False) -> dict[str, object]:
    """The parameters a batch run injects: the area's current GSS code (always text) and the workspace."""
    return {"area_code": str(find_area(area_code).code), "workspace": str(resolve_workspace(workspace)),
            "interactive": bool(interactive)}


def output_path(out_dir: str | os.PathLike[str], area_code: str, product: Product) -> Path:
    return Path(out_dir) / area_code / product.notebook


def run_product(area_code: str, out_dir: str | os.PathLike[str], product: int | str = 3,
                workspace: str | os.PathLike[str] | None = None, **papermill_options: object) -> Path:
    """Execute one product notebook for one area in batch mode; returns the executed notebook's path."""
    import papermill

    chosen = get_product(product)
    parameters = notebook_parameters(area_code, workspace)
    target = output_path(out_dir, str(parameters["area_code"]), chosen)
    target.parent.mkdir(parents=True, exist_ok=True)
    options = {"progress_bar": False, "kernel_name": "python3", **papermill_options}
    papermill.execute_notebook(str(notebooks_dir() / chosen.notebook), str(target), parameters=parameters,
                               cwd=str(notebooks_dir()), **options)
    return target


def run_area(area_code: str, out_dir: str | os.PathLike[str], products: list[int] | None = None,
             workspace: str | os.PathLike[str] | None = None) -> list[Path]:
    """Execute every available product notebook (or those listed) for one area."""
    chosen = [get_product(n) for n in products] if products else available_products()
    return [run_product(area_code, out_dir, p.number, workspace) for p in chosen]
