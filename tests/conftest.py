"""Shared fixtures: a temporary workspace, the shipped samples and the shared public data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
SAMPLES = REPO / "data" / "samples" / "plans"


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
    """A workspace holding copies of the illustrative sample plans."""
    for sample in SAMPLES.glob("*.yaml"):
        shutil.copyfile(sample, workspace / "plans" / sample.name)
    return workspace


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"the public data files are not at {SHARED_DATA}")
    return SHARED_DATA
