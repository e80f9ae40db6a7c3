"""Where things live: the project's data folder and a team's workspace."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the jointwork package folder
WORKSPACE_ENV = "JOINTWORK_WORKSPACE"
DATA_ENV = "JOINTWORK_DATA"
DEFAULT_WORKSPACE = "workspace"
#: Where the app serves an area's papers: ``<base>jointwork/download/<AREA>/<file name>``.
DOWNLOAD_PATH = "jointwork/download"


def data_dir() -> Path:
    """The folder holding ``areas/``, ``content/``, ``indicators/`` and ``samples/``.

    ``JOINTWORK_DATA`` wins; then data bundled inside an installed wheel; then the repository's ``data/``.
    """
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).resolve()
    bundled = PACKAGE_DIR / "_data"
    if bundled.is_dir():
        return bundled
    return PACKAGE_DIR.parent / "data"


def notebooks_dir() -> Path:
    """The folder holding the product notebooks (bundled in a wheel, else the repository's)."""
    bundled = PACKAGE_DIR / "_notebooks"
    return bundled if bundled.is_dir() else PACKAGE_DIR.parent / "notebooks"


def resolve_workspace(workspace: str | os.PathLike[str] | None = None) -> Path:
    """The workspace folder: the argument if given, else ``$JOINTWORK_WORKSPACE``, else ``./workspace``."""
    chosen = workspace or os.environ.get(WORKSPACE_ENV) or DEFAULT_WORKSPACE
    return Path(chosen).expanduser().resolve()
