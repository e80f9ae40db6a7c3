"""Shared fixtures: a temporary workspace, the shipped samples and the shared public data."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLES = REPO / "data" / "samples" / "plans"
SCHEMA1_SAMPLES = REPO / "tests" / "fixtures" / "schema1_plans"  # the same plans as schema 1 held them
FRESH_AREA = "E08000025"  # Birmingham: no sample plan


def find_widgets(widget, kind: str, description: str | None = None) -> list:
    """Every widget of class ``kind`` (and label ``description``) inside ``widget``, in display order."""
    found = []
    if type(widget).__name__ == kind and (description is None or getattr(widget, "description", None) == description):
        found.append(widget)
    for child in getattr(widget, "children", ()):
        found.extend(find_widgets(child, kind, description))
    return found


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty workspace, also set as $JOINTWORK_WORKSPACE."""
    folder = tmp_path / "workspace"
    (folder / "plans").mkdir(parents=True)
    monkeypatch.setenv("JOINTWORK_WORKSPACE", str(folder))
    return folder


@pytest.fixture
def sample_workspace(workspace: Path) -> Path:
    """A workspace holding copies of the illustrative sample plans and their responses."""
    from jointwork.core.samples import copy_samples

    copy_samples(workspace)
    return workspace


def skip_or_fail(reason: str) -> None:
    """Skip a test that needs something missing, but fail it under CI (``CI=true``), which must run it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}, and CI=true: CI must run this test")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public files in ../shared/data that the data builds and some checks read."""
    if not SHARED_DATA.is_dir():
        skip_or_fail(f"the public data files are not at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def broken_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str, Callable[[dict], None]], Path]:
    """``broken_content(slug, change, sources=None)``: point $JOINTWORK_DATA at a copy of the data in which
    ``change`` has edited the ``entries`` of one product's content file (and ``sources`` the shared
    sources), for tests of ``content_checks``."""
    from jointwork.core.paths import data_dir

    def make(
        slug: str, change: Callable[[dict[str, Any]], None], sources: Callable[[dict[str, Any]], None] | None = None
    ) -> Path:
        source = data_dir()
        copy = tmp_path / "data"
        shutil.copytree(source / "content", copy / "content")
        for item in source.iterdir():
            if item.name != "content":
                (copy / item.name).symlink_to(item)
        path = copy / "content" / f"{slug}.yaml"
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(raw["entries"])
        path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
        if sources is not None:  # the shared sources file, edited too
            shared = copy / "content" / "sources.yaml"
            all_sources = yaml.safe_load(shared.read_text(encoding="utf-8"))
            sources(all_sources["sources"])
            shared.write_text(yaml.safe_dump(all_sources, allow_unicode=True, sort_keys=False), encoding="utf-8")
        monkeypatch.setenv("JOINTWORK_DATA", str(copy))
        return path

    return make


def outputs_text(notebook: Path) -> str:
    """All text and HTML the executed notebook shows."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    parts = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            parts.extend(
                "".join(v) if isinstance(v, list) else str(v)
                for k, v in output.get("data", {}).items()
                if k.startswith("text/")
            )
            parts.append("".join(output.get("text", [])))
    return "\n".join(parts)


def run_warm(area_code: str, out_dir: Path, product: int, workspace: Path) -> Path:
    """``run_product`` on the warm engine, as a batch runs notebooks: one kernel per test process,
    reset between notebooks, instead of a kernel start per notebook."""
    from jointwork.run.execute import WARM_ENGINE, run_product

    return run_product(area_code, out_dir, product, workspace, engine=WARM_ENGINE)
