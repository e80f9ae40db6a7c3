"""jointwork: workbooks for joint working between local authorities and the NHS.

The public API, kept light to import (pandas, ipywidgets and papermill load only when used)::

    from jointwork import open_workbook
    wb = open_workbook("E06000045", workspace="workspace", interactive=False)
"""

from .areas import Area, all_areas, find_area, search_areas
from .content import load_content
from .errors import AreaNotFound, InputError, JointworkError, PlanBusy, PlanError
from .execute import run_area, run_product
from .plan import Plan
from .products import PRODUCTS, get_product
from .store import PlanStore
from .workbook import Workbook, open_workbook

__version__ = "0.1.0"

__all__ = [
    "Area", "AreaNotFound", "InputError", "JointworkError", "PRODUCTS", "Plan", "PlanBusy", "PlanError",
    "PlanStore", "Workbook", "all_areas", "find_area", "get_product", "load_content", "open_workbook",
    "run_area", "run_product", "search_areas",
]
