"""Plans on disk: validated loads, atomic saves, a history of versions and a lock per plan.

Every change goes through :meth:`PlanStore.update`, which holds the plan's lock, reads the
latest file, applies the change and writes the result atomically. Two kernels editing the same
plan therefore never interleave or lose each other's edits.

The store is handed the plan model it keeps (``jointwork.products.Plan``, built from the registry);
the model carries its products, whose ``check`` functions report entries that name content that
does not exist. The store itself knows no product.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import yaml
from filelock import FileLock, Timeout
from pydantic import ValidationError

from .errors import InputError, PlanBusy, PlanError
from .paths import resolve_workspace
from .plan import GSS_CODE, READABLE_VERSIONS, SCHEMA_VERSION, PlanBase
from .product import MovedAnswers
from .sessions import problems as session_problems
from .validation import field_path, problems_from_validation, yaml_line

KEEP_VERSIONS = 20
# libyaml's loader when PyYAML has it: the same plan, read about 7x faster (every saved change
# reads the whole plan; see benchmarks/app_benchmark.py). Plans are still written by the Python
# dumper: libyaml's writes the same data as less readable text (e.g. escapes for emoji).
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlanLoader(_FAST_LOADER):  # type: ignore[misc,valid-type]
    """The safe loader, stricter where a hand-edited plan would otherwise lose or break what was typed:
    a key given twice in one mapping and an impossible date are errors at their line, not a silently
    dropped value or a traceback."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[object, yaml.Node] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str | int) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"each field once in a mapping, but {key!r} is given again (first on line "
                    f"{seen[key].start_mark.line + 1}): keep one and delete the other",
                    key_node.start_mark,
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> object:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            raise yaml.constructor.ConstructorError(
                None, None, f"a real date as YYYY-MM-DD, got {node.value!r} ({exc})", node.start_mark
            ) from None


_PlanLoader.add_constructor("tag:yaml.org,2002:timestamp", _PlanLoader.construct_yaml_timestamp)
_PlanLoader.add_constructor("tag:yaml.org,2002:map", _PlanLoader.construct_yaml_map)
_LOADER = _PlanLoader
HEADER = (
    "# jointwork plan for {code}. Edit it in the notebooks, or by hand and then check it with\n"
    "# `jointwork validate {code}`. Earlier versions are kept in plans/.history/{code}/.\n"
)


@dataclass(frozen=True)
class Version:
    """One saved earlier version of a plan."""

    number: int
    saved_at: str
    path: Path


def check_area_code(code: str, source: str | Path = "argument") -> str:
    """``code`` if it is a GSS code; otherwise an :class:`InputError` (guards every path we build)."""
    if not isinstance(code, str) or not GSS_CODE.fullmatch(code):
        raise InputError(source, "area_code", "a nine-character GSS code such as E06000045", got=code)
    return code


def reference_problems(plan: PlanBase) -> list[tuple[str, tuple[object, ...], str]]:
    """Entries of ``plan`` that name content which does not exist, as (field, loc, expected),
    found by the ``check`` of each product the plan's model holds."""
    problems = []
    for product in type(plan).products:
        for loc, expected in product.check(plan.section(product.slug)):
            full = (product.slug, *loc)
            problems.append((field_path(full), full, expected))
    if getattr(plan, "session", None) is not None:
        for loc, expected in session_problems(plan.session, type(plan).products):
            full = ("session", *loc)
            problems.append((field_path(full), full, expected))
    return problems


def decode_plan(data: bytes, source: str | Path) -> str:
    """The text of a plan file; a file that is not UTF-8 text gets a :class:`PlanError` in words."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise PlanError(
            source,
            [
                (
                    "(file)",
                    None,
                    "a plan as UTF-8 text (YAML), but this file is UTF-16 text: save it as UTF-8 and try again",
                )
            ],
        )
    if b"\x00" in data[:4096]:
        raise PlanError(
            source,
            [
                (
                    "(file)",
                    None,
                    "a plan as UTF-8 text (YAML), but this file holds binary data "
                    "(it may be a spreadsheet, an image or a damaged file)",
                )
            ],
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise PlanError(
            source,
            [
                (
                    "(file)",
                    line,
                    f"a plan as UTF-8 text (YAML), but byte {exc.start + 1} "
                    f"(0x{data[exc.start]:02X}) is not UTF-8: save the file as UTF-8 and try again",
                )
            ],
        ) from None


def plan_to_yaml(plan: PlanBase) -> str:
    """The YAML text of a plan: a short header, then only what differs from a blank plan."""
    body = plan.model_dump(mode="json", exclude_defaults=True)
    ordered = {"schema_version": plan.schema_version, "area_code": plan.area_code, **body}
    return HEADER.format(code=plan.area_code) + yaml.safe_dump(ordered, sort_keys=False, allow_unicode=True)


#: Answers a schema 1 plan held, by product slug: (the round they move into, the answers).
Moved = dict[str, tuple[str, list[MovedAnswers]]]


def parse_plan(text: str, source: str | Path, model: type[PlanBase]) -> PlanBase:
    """Validate plan text against ``model``; any problem raises :class:`PlanError` naming the file,
    field and line. A schema 1 plan is read as the current schema (see :func:`parse_plan_moving`)."""
    return parse_plan_moving(text, source, model)[0]


def parse_plan_moving(text: str, source: str | Path, model: type[PlanBase]) -> tuple[PlanBase, Moved, int]:
    """The plan in ``text`` as the current schema, the answers that leave it (from a schema 1 plan,
    whose sections held each partner's answers; empty for a current plan) and the file's schema version."""
    try:
        raw = yaml.load(text, Loader=_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanError(source, [("(file)", mark.line + 1 if mark else None, f"valid YAML ({problem})")]) from None
    if not isinstance(raw, dict):
        raise PlanError(source, [("(file)", 1, "a mapping of fields starting with schema_version and area_code")])
    version = raw.get("schema_version")
    if isinstance(version, bool) or version not in READABLE_VERSIONS:
        readable = " or ".join(str(v) for v in READABLE_VERSIONS)
        raise PlanError(
            source,
            [
                (
                    "schema_version",
                    yaml_line(text, ("schema_version",)),
                    f"{SCHEMA_VERSION} (this version of jointwork reads plans of schema version "
                    f"{readable}), got {version!r}",
                )
            ],
        )
    read_as = model if version == SCHEMA_VERSION else (model.version_1 or model)
    try:
        plan = read_as.model_validate(raw)
    except ValidationError as exc:
        raise PlanError(source, problems_from_validation(exc, text)) from None
    problems = [(field, yaml_line(text, loc), expected) for field, loc, expected in reference_problems(plan)]
    if problems:
        raise PlanError(source, problems)
    if read_as is model:
        return plan, {}, version
    return (*upgrade_plan(plan, model), version)


def upgrade_plan(plan: PlanBase, model: type[PlanBase]) -> tuple[PlanBase, Moved]:
    """A validated schema 1 plan as the current ``model``, and the answers its sections held."""
    data = plan.model_dump(mode="json", exclude_defaults=True)
    moved: Moved = {}
    for product in model.products:
        if product.legacy is None:
            continue
        section = plan.section(product.slug)
        answers = product.legacy.answers(section)
        if answers:
            moved[product.slug] = (product.legacy.round_name, answers)
        data[product.slug] = product.legacy.keep(section)
    data["schema_version"] = SCHEMA_VERSION
    return model.model_validate(data), moved


class PlanStore:
    """The plans of one workspace, ``<workspace>/plans/<AREA_CODE>.yaml``, each a ``model``.

    ``keep`` earlier versions of each plan are kept in ``plans/.history/`` (0 keeps none).
    """

    def __init__(
        self,
        workspace: str | os.PathLike[str] | None,
        model: type[PlanBase],
        *,
        keep: int = KEEP_VERSIONS,
        lock_timeout: float = 15.0,
    ) -> None:
        if isinstance(keep, bool) or not isinstance(keep, int) or keep < 0:
            raise InputError("argument", "keep", "a whole number of earlier versions to keep, 0 or more", got=keep)
        self.root = resolve_workspace(workspace)
        self.plans_dir = self.root / "plans"
        self.model = model
        self.keep = keep
        self.lock_timeout = lock_timeout

    def path_for(self, code: str) -> Path:
        return self.plans_dir / f"{check_area_code(code)}.yaml"

    def exists(self, code: str) -> bool:
        return self.path_for(code).is_file()

    def codes(self) -> list[str]:
        """Area codes that have a plan in this workspace."""
        if not self.plans_dir.is_dir():
            return []
        return sorted(p.stem for p in self.plans_dir.glob("*.yaml") if GSS_CODE.fullmatch(p.stem))

    def read(self, path: str | os.PathLike[str]) -> PlanBase:
        """A plan file anywhere (not only in this workspace), checked like a saved plan."""
        path = Path(path)
        return parse_plan(decode_plan(path.read_bytes(), path), path, self.model)

    def load(self, code: str) -> PlanBase:
        """The saved plan for ``code``; :class:`FileNotFoundError` if there is none yet.

        The first load of a schema 1 plan upgrades it on disk: the answers it held move into the
        area's responses (:mod:`jointwork.core.responses`), the schema 1 file is kept as an earlier
        version (``jointwork history`` lists it) and the plan is saved in the current schema.
        """
        plan, _moved, version = self._load(code)
        if version == SCHEMA_VERSION:
            return plan
        try:
            with self._lock(code):
                plan, moved, version = self._load(code)  # again, holding the lock: another program may have
                if version != SCHEMA_VERSION:  # upgraded it a moment ago
                    path = self.path_for(code)
                    when = datetime.fromtimestamp(path.stat().st_mtime, UTC).date()
                    self._move_answers(code, moved, when)
                    self._write(plan)
                return plan
        except Timeout:
            raise PlanBusy(f"{self.path_for(code)} is being saved by another program; try again in a moment") from None

    def _load(self, code: str) -> tuple[PlanBase, Moved, int]:
        path = self.path_for(code)
        text = decode_plan(path.read_bytes(), path)
        plan, moved, version = parse_plan_moving(text, path, self.model)
        if plan.area_code != code:
            raise PlanError(
                path,
                [("area_code", yaml_line(text, ("area_code",)), f"{code} (the file name), got {plan.area_code!r}")],
            )
        return plan, moved, version

    def _move_answers(self, code: str, moved: Moved, opened_on: date) -> None:
        """Save the answers a schema 1 plan held as responses in the same workspace, each product's in
        its round (saving the same plan's answers again updates them instead of adding more)."""
        from .responses import ResponseStore

        store = ResponseStore(self.root, lock_timeout=self.lock_timeout)
        for product in self.model.products:
            if product.slug in moved and product.questionnaire is not None:
                round_name, answers = moved[product.slug]
                store.receive_from_plan(code, product.slug, product.questionnaire, round_name, answers, opened_on)

    def new(self, code: str) -> PlanBase:
        """A blank plan for ``code`` (not written)."""
        return self.model(area_code=check_area_code(code))

    def load_or_new(self, code: str) -> PlanBase:
        """The saved plan, or a blank one (not yet written) when the area has none."""
        return self.load(code) if self.exists(code) else self.new(code)

    def _lock(self, code: str) -> FileLock:
        lock_dir = self.plans_dir / ".locks"
        lock_dir.mkdir(parents=True, exist_ok=True)
        return FileLock(str(lock_dir / f"{check_area_code(code)}.lock"), timeout=self.lock_timeout)

    def update(self, code: str, change: Callable[[PlanBase], object], *, squash: PlanBase | None = None) -> PlanBase:
        """Apply ``change`` to the latest saved plan (or a blank one) and save it; returns the result.

        The change is validated as a whole; if it is refused, nothing is written and a
        :class:`PlanError` says which field and what was expected. With ``squash`` (the caller's
        own previous save), a saved plan still equal to it is replaced without being kept in the
        history, so that a note saved in several goes leaves one earlier version, not one per go.
        """
        try:
            with self._lock(code):
                current = self.load_or_new(code)
                draft = current.model_copy(deep=True)
                change(draft)
                try:
                    updated = self.model.model_validate(draft.model_dump(mode="json"))
                except ValidationError as exc:
                    raise PlanError(f"change to {self.path_for(code)}", problems_from_validation(exc)) from None
                problems = [(field, None, expected) for field, _loc, expected in reference_problems(updated)]
                if problems:
                    raise PlanError(f"change to {self.path_for(code)}", problems)
                if updated.area_code != code:
                    raise PlanError(f"change to {self.path_for(code)}", [("area_code", None, f"{code}, unchanged")])
                if updated != current or not self.exists(code):
                    self._write(updated, keep_version=squash is None or current != squash)
                return updated
        except Timeout:
            raise PlanBusy(f"{self.path_for(code)} is being saved by another program; try again in a moment") from None

    def save(self, plan: PlanBase) -> Path:
        """Save a whole plan (replacing what is saved). Prefer :meth:`update` for edits."""
        self.update(plan.area_code, lambda draft: _replace_contents(draft, plan))
        return self.path_for(plan.area_code)

    def _write(self, plan: PlanBase, keep_version: bool = True) -> None:
        path = self.path_for(plan.area_code)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and keep_version and self.keep:
            self._keep_version(path, plan.area_code)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(plan_to_yaml(plan))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        _fsync_dir(path.parent)

    def _history_dir(self, code: str) -> Path:
        return self.plans_dir / ".history" / check_area_code(code)

    def _keep_version(self, path: Path, code: str) -> None:
        folder = self._history_dir(code)
        folder.mkdir(parents=True, exist_ok=True)
        existing = self.history(code)
        number = existing[0].number + 1 if existing else 1
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{number:06d}-{stamp}.yaml"
        target.write_bytes(path.read_bytes())
        for old in existing[self.keep - 1 :]:
            old.path.unlink(missing_ok=True)

    def history(self, code: str) -> list[Version]:
        """Earlier versions of a plan, newest first."""
        folder = self._history_dir(code)
        if not folder.is_dir():
            return []
        versions = []
        for item in folder.glob("*.yaml"):
            number, _, stamp = item.stem.partition("-")
            if number.isdigit():
                versions.append(Version(int(number), stamp, item))
        return sorted(versions, key=lambda v: v.number, reverse=True)

    def restore(self, code: str, number: int) -> PlanBase:
        """Make an earlier version the current plan (the current one joins the history)."""
        match = [v for v in self.history(code) if v.number == number]
        if not match:
            available = ", ".join(str(v.number) for v in self.history(code)) or "none"
            raise InputError("argument", "version", f"one of the saved versions ({available})", got=number)
        path = match[0].path
        old, moved, _version = parse_plan_moving(decode_plan(path.read_bytes(), path), path, self.model)
        if moved:  # a schema 1 version: its answers come back into the responses too
            self._move_answers(code, moved, datetime.fromtimestamp(path.stat().st_mtime, UTC).date())
        return self.update(code, lambda draft: _replace_contents(draft, old))


def _replace_contents(draft: PlanBase, source: PlanBase) -> None:
    for name in type(draft).model_fields:
        setattr(
            draft,
            name,
            getattr(source, name).model_copy(deep=True)
            if hasattr(getattr(source, name), "model_copy")
            else getattr(source, name),
        )


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
