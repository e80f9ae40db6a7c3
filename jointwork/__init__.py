"""jointwork: workbooks for joint working between local authorities and the NHS.

The public API, loaded on first use so that ``import jointwork.core`` stays light::

    from jointwork import open_workbook
    wb = open_workbook("E06000045", workspace="workspace", interactive=False)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from .core.version import __version__

#: Public name -> the module that defines it.
_API = {
    "Area": "core.areas",
    "all_areas": "core.areas",
    "find_area": "core.areas",
    "search_areas": "core.areas",
    "load_content": "core.content",
    "AreaNotFound": "core.errors",
    "InputError": "core.errors",
    "JointworkError": "core.errors",
    "PlanBusy": "core.errors",
    "PlanError": "core.errors",
    "PlanStore": "core.store",
    "ResponseStore": "core.responses",
    "PRODUCTS": "products",
    "Plan": "products",
    "get_product": "products",
    "plan_store": "products",
    "Workbook": "workshop.workbook",
    "open_workbook": "session",
    "import_responses": "intake",
    "write_respondent_forms": "intake",
    "write_survey_questions": "intake",
    "execute_notebook": "run.execute",
    "run_area": "run.execute",
    "run_product": "run.execute",
}

__all__ = ["__version__", *sorted(_API)]


def __getattr__(name: str) -> Any:
    if name in _API:
        value = getattr(import_module(f".{_API[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
