"""The batch's first stage: plan the work.

For every chosen area, :func:`plan_work` reads and validates the area's plan once, reads the
area's manifest and decides which notebooks must run and whether the pack must be rebuilt. The
result, a :class:`WorkPlan`, is all the later stages use: the workers get each area's
:class:`AreaTask`; the summary reads the plans parsed here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.areas import Area
from ..core.errors import InputError, PlanError
from ..core.plan import PlanBase
from ..core.responses import AreaResponses
from .manifest import digest, file_digest, library_key, output_is_current, pack_key, read_manifest

PACK = "index.html"
NO_PLAN = "no plan"


@dataclass(frozen=True)
class BatchSettings:
    """What every area of one batch shares: folders, products, engine and limits (sent to each worker)."""

    workspace: str
    out_dir: str
    notebooks: str
    products: tuple[int, ...]
    library: dict[str, str]
    engine: str
    kernel_name: str
    timeout: float | None
    packs: bool


@dataclass
class AreaTask:
    """One area's work for a worker process: the notebooks to run, and their keys for the manifest."""

    code: str
    name: str
    description: str
    run: list[int]
    keys: dict[int, dict[str, Any]]
    settings: BatchSettings


@dataclass
class AreaWork:
    """What the plan stage found for one area (kept in the main process)."""

    area: Area
    plan: PlanBase | None  # the validated plan (blank when the area has none), None when it does not validate
    plan_state: str  # "saved", "none" or "error"
    plan_error: str = ""
    task: AreaTask | None = None  # None: nothing to run or rebuild, or the plan does not validate
    up_to_date: list[int] = field(default_factory=list)  # products whose notebooks stand as they are
    responses: AreaResponses | None = None  # the area's rounds and responses, as the summary reads them

    @property
    def code(self) -> str:
        """The area's GSS code."""
        return self.area.code


@dataclass
class WorkPlan:
    """The whole batch's work: its settings and one :class:`AreaWork` per chosen area, in order."""

    settings: BatchSettings
    areas: list[AreaWork]

    @property
    def tasks(self) -> list[AreaTask]:
        """The areas that have work for a worker."""
        return [w.task for w in self.areas if w.task is not None]


def read_plan(store: Any, code: str) -> tuple[str, PlanBase | None, str, str]:
    """An area's plan read once: ``(hash of the file or "no plan", plan, state, error)``.

    A plan that does not validate gives ``None`` with state ``"error"`` and the reason; an area
    without a plan gets a blank one with state ``"none"``.
    """
    from ..core.plan import SCHEMA_VERSION
    from ..core.store import decode_plan, parse_plan_moving
    from ..core.validation import yaml_line

    path = store.path_for(code)
    if not path.is_file():
        return NO_PLAN, store.new(code), "none", ""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return NO_PLAN, None, "error", f"{path}: {exc.strerror or exc}"
    key = digest(data)
    try:
        text = decode_plan(data, path)
        plan, _moved, version = parse_plan_moving(text, path, store.model)
        if plan.area_code != code:  # as PlanStore.load checks
            raise PlanError(
                path,
                [("area_code", yaml_line(text, ("area_code",)), f"{code} (the file name), got {plan.area_code!r}")],
            )
        if version != SCHEMA_VERSION:  # upgrade it once, here, before any worker reads it
            plan = store.load(code)
            key = digest(path.read_bytes())
    except (PlanError, InputError) as exc:
        return key, None, "error", str(exc)
    except OSError as exc:
        return key, None, "error", f"{path}: {exc.strerror or exc}"
    return key, plan, "saved", ""


def plan_work(
    areas: Sequence[Area],
    products: Sequence[int],
    *,
    out_dir: Path,
    workspace: Path,
    notebooks: Path,
    force: bool = False,
    engine: str,
    kernel_name: str = "python3",
    timeout: float | None = None,
    packs: bool = True,
) -> WorkPlan:
    """Decide what each area needs: read its plan and manifest, compare keys, list what to run."""
    from ..products import get_product, plan_store

    chosen = [get_product(n) for n in products]
    missing = [p.notebook for p in chosen if not (notebooks / p.notebook).is_file()]
    if missing:
        raise InputError(
            "argument",
            "notebooks",
            f"a folder holding every chosen product's notebook; {notebooks} lacks {', '.join(missing)}",
            got=str(notebooks),
        )
    settings = BatchSettings(
        str(workspace),
        str(out_dir),
        str(notebooks),
        tuple(products),
        library_key(),
        engine,
        kernel_name,
        timeout,
        packs,
    )
    notebook_hashes = {p.number: file_digest(notebooks / p.notebook) for p in chosen}
    from ..core.responses import ResponseStore

    store = plan_store(workspace)
    responses = ResponseStore(workspace)
    works = []
    for area in areas:
        plan_hash, plan, state, error = read_plan(store, area.code)
        work = AreaWork(area, plan, state, error)
        works.append(work)
        if plan is None:
            continue
        try:
            work.responses = responses.area(area.code)
            answers = responses.digest(area.code)
        except (InputError, OSError) as exc:
            work.plan, work.plan_state, work.plan_error = None, "error", str(exc)
            continue
        area_dir = out_dir / area.code
        manifest = read_manifest(area_dir)
        entries = manifest.get("notebooks", {})
        keys = {
            p.number: {
                "plan": plan_hash,
                "responses": answers,
                "notebook": notebook_hashes[p.number],
                "workspace": str(workspace),
                "interactive": False,
                **settings.library,
            }
            for p in chosen
        }
        to_run = [
            p.number
            for p in chosen
            if force or not output_is_current(entries.get(p.notebook), keys[p.number], area_dir / p.notebook)
        ]
        work.up_to_date = [n for n in products if n not in to_run]
        if not to_run:
            if not packs:
                continue
            outputs = {p.number: entries.get(p.notebook, {}).get("output") for p in chosen}
            pack = manifest.get("pack") or {}
            if pack.get("key") == pack_key(products, outputs, settings.library) and (area_dir / PACK).is_file():
                continue
        work.task = AreaTask(area.code, area.name, area.describe(), to_run, keys, settings)
    return WorkPlan(settings, works)


def default_jobs() -> int:
    """Worker processes when none are asked for: cores + 1, at most 3 (each holds a kernel)."""
    return min(3, (os.cpu_count() or 1) + 1)
