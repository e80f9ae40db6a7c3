"""Opening an area's workbook from a product notebook, wherever the notebook runs.

A notebook calls :func:`open_workbook` the same way in JupyterLab, in a batch run and in the
facilitator app. The app does not need this module to know about it: it starts its kernels with
``JOINTWORK_SESSION=app``, and :func:`open_workbook` then hands over to the opener registered under
that name in the ``jointwork.sessions`` entry-point group (``jointwork.app.kernel:open_app_workbook``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from importlib.metadata import entry_points

from .core.areas import find_area
from .core.errors import JointworkError
from .products import plan_store
from .workshop.workbook import Workbook

SESSION_ENV = "JOINTWORK_SESSION"
SESSION_GROUP = "jointwork.sessions"

Opener = Callable[[str, "str | os.PathLike[str] | None", bool], Workbook]


def session_opener() -> Opener | None:
    """The opener of the session this kernel belongs to (``$JOINTWORK_SESSION``), or ``None``."""
    name = os.environ.get(SESSION_ENV, "")
    if not name:
        return None
    found = [e for e in entry_points(group=SESSION_GROUP) if e.name == name]
    if not found:
        raise JointworkError(
            f"{SESSION_ENV}={name!r} names no session: the installed ones are "
            + (", ".join(sorted(e.name for e in entry_points(group=SESSION_GROUP))) or "none")
        )
    return found[0].load()


def open_workbook(
    area_code: str, workspace: str | os.PathLike[str] | None = None, interactive: bool = False
) -> Workbook:
    """Open an area's plan (a blank one if none is saved) for a product notebook.

    ``area_code`` may be a GSS code, an old code, a DfE code or a name. ``workspace`` defaults to
    ``$JOINTWORK_WORKSPACE`` or ``./workspace``. Under the facilitator app the area comes from the
    page's address instead, and the workbook is always interactive.
    """
    opener = session_opener()
    if opener is not None:
        return opener(area_code, workspace, interactive)
    if not isinstance(area_code, str):
        raise JointworkError(
            f"area_code must be text such as 'E06000045', got {area_code!r} "
            f"({type(area_code).__name__}); quote it in the parameters cell"
        )
    return Workbook(find_area(area_code), plan_store(workspace), interactive=interactive)
