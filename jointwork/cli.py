"""The ``jointwork`` command: a thin wrapper over the Python API."""

from __future__ import annotations

import argparse
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from . import areas as areas_api
from .errors import JointworkError
from .paths import data_dir, resolve_workspace
from .store import PlanStore, parse_plan


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", help="folder holding plans/ (default: $JOINTWORK_WORKSPACE or ./workspace)")


def cmd_areas(args: argparse.Namespace) -> int:
    found = areas_api.search_areas(args.search) if args.search else areas_api.all_areas()
    if args.region:
        wanted = {a.code for a in areas_api.areas_in_region(args.region)}
        found = [a for a in found if a.code in wanted]
    for area in found:
        fit = "coterminous" if area.coterminous else ("one ICB" if area.single_icb else "several ICBs")
        print(f"{area.code}  {area.dfe_code:>3}  {area.name:<36} {area.region:<26} {area.icb_names} ({fit})")
    print(f"{len(found)} area(s)", file=sys.stderr)
    return 0 if found else 1


def cmd_init(args: argparse.Namespace) -> int:
    store = PlanStore(args.workspace)
    area = areas_api.find_area(args.area)
    if store.exists(area.code):
        print(f"{store.path_for(area.code)} already exists; nothing changed.", file=sys.stderr)
        return 1
    store.update(area.code, lambda plan: None)
    print(f"Created a blank plan for {area.name}: {store.path_for(area.code)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    target = Path(args.target)
    if target.suffix in {".yaml", ".yml"} or target.exists():
        plan = parse_plan(target.read_text(encoding="utf-8"), target)
        where = target
    else:
        store = PlanStore(args.workspace)
        code = areas_api.find_area(args.target).code
        plan, where = store.load(code), store.path_for(code)
    print(f"OK: {where} is a valid plan for {plan.area_code}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    from .execute import run_area

    products = [int(args.product)] if args.product else None
    for path in run_area(args.area, args.out, products, args.workspace):
        print(path)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    store = PlanStore(args.workspace)
    code = areas_api.find_area(args.area).code
    versions = store.history(code)
    for version in versions:
        print(f"{version.number:>4}  saved before {version.saved_at}  {version.path}")
    if not versions:
        print(f"No earlier versions of {store.path_for(code)}", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    store = PlanStore(args.workspace)
    code = areas_api.find_area(args.area).code
    store.restore(code, args.version)
    print(f"Restored version {args.version} as {store.path_for(code)} (the replaced plan is kept in the history)")
    return 0


def copy_samples(workspace: str | None) -> list[str]:
    """Copy the illustrative sample plans into a workspace, never replacing a plan already there."""
    store = PlanStore(workspace)
    store.plans_dir.mkdir(parents=True, exist_ok=True)
    codes = []
    for sample in sorted((data_dir() / "samples" / "plans").glob("*.yaml")):
        codes.append(sample.stem)
        if not store.exists(sample.stem):
            shutil.copyfile(sample, store.path_for(sample.stem))
    return codes


def cmd_batch(args: argparse.Namespace) -> int:
    from .batch import run_batch

    result = run_batch(args.areas, args.products, out=args.out, workspace=args.workspace, jobs=args.jobs,
                       force=args.force, timeout=args.timeout or None, engine=args.engine,
                       progress=False if args.quiet else None)
    print(result.report())
    return 0 if result.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    from .batch import run_batch

    codes = copy_samples(args.workspace)
    result = run_batch(",".join(codes), "1-8", out=args.out, workspace=args.workspace, jobs=args.jobs,
                       force=args.force, progress=False if args.quiet else None)
    print(result.report())
    print(f"Sample plans are in {resolve_workspace(args.workspace) / 'plans'}; outputs are in {result.out_dir} "
          f"(open {result.index})")
    return 0 if result.ok else 1


def cmd_app(args: argparse.Namespace) -> int:
    from .app import serve

    serve(args.port, open_browser=not args.no_browser, workspace=args.workspace, preheat=not args.no_preheat)
    return 0


def _batch_options(parser: argparse.ArgumentParser, out_default: str | None = "out") -> None:
    parser.add_argument("--out", default=out_default, help=f"output folder (default ./{out_default})")
    parser.add_argument("--jobs", type=int, help="worker processes (default: cores + 1, at most 3)")
    parser.add_argument("--force", action="store_true", help="re-run outputs that are up to date")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    _workspace_option(parser)


def cmd_build_areas(args: argparse.Namespace) -> int:
    from .build_areas import build_areas

    report = build_areas(Path(args.source), Path(args.out or data_dir() / "areas"),
                         Path(args.lsoa_lookup) if args.lsoa_lookup else None)
    print(report.summary())
    return 0


def cmd_build_indicators(args: argparse.Namespace) -> int:
    from .build_indicators import build_indicators

    print(build_indicators(Path(args.source), Path(args.out or data_dir() / "indicators")).summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jointwork", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("areas", help="list or search English upper-tier local authorities")
    p.add_argument("--search", help="text to look for in names, codes, regions and ICBs")
    p.add_argument("--region", help="only areas in this region")
    p.set_defaults(func=cmd_areas)

    p = sub.add_parser("init", help="create a blank plan for an area")
    p.add_argument("area", help="GSS code, DfE code or name")
    _workspace_option(p)
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("validate", help="check a plan file, or an area's plan, and say what is wrong")
    p.add_argument("target", help="a plan file (.yaml) or an area")
    _workspace_option(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("run", help="run product notebooks for an area with papermill")
    p.add_argument("area")
    p.add_argument("--out", required=True, help="folder for the executed notebooks")
    p.add_argument("--product", help="one product number (default: every product)")
    _workspace_option(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("history", help="list the saved earlier versions of an area's plan")
    p.add_argument("area")
    _workspace_option(p)
    p.set_defaults(func=cmd_history)

    p = sub.add_parser("restore", help="make an earlier version of a plan the current one")
    p.add_argument("area")
    p.add_argument("version", type=int)
    _workspace_option(p)
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("batch", help="run products for many areas in parallel: packs, an index and a summary")
    p.add_argument("--areas", default="all", help="all (default), region:NAME, or CODE,CODE")
    p.add_argument("--products", default="1-8", help="1-8 (default), 3, or 1,3,5")
    p.add_argument("--timeout", type=float, default=600, help="seconds allowed for each notebook (0: no limit)")
    p.add_argument("--engine", default="jointwork_warm", choices=["jointwork_warm", "nbclient"],
                   help="jointwork_warm: a warm kernel per worker (default); nbclient: a fresh kernel per notebook")
    _batch_options(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("demo", help="copy the sample plans into the workspace and run the batch for them")
    _batch_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("app", help="facilitator mode: the products as a code-free app in the browser (127.0.0.1 only)")
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; just print the address")
    p.add_argument("--no-preheat", action="store_true", help="start a kernel per page instead of keeping them ready")
    _workspace_option(p)
    p.set_defaults(func=cmd_app)

    data = sub.add_parser("data", help="rebuild the project's reference tables from public files")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    p = data_sub.add_parser("build-areas", help="build data/areas from ONS and DfE files")
    p.add_argument("--from", dest="source", required=True, help="folder with the public files (e.g. ../shared/data)")
    p.add_argument("--lsoa-lookup", help="the ONS LSOA21 -> SICBL -> ICB -> LAD lookup CSV, for exact ICB shares")
    p.add_argument("--out", help="output folder (default: the project's data/areas)")
    p.set_defaults(func=cmd_build_areas)
    p = data_sub.add_parser("build-indicators", help="build data/indicators from Fingertips and DfE files")
    p.add_argument("--from", dest="source", required=True)
    p.add_argument("--out")
    p.set_defaults(func=cmd_build_indicators)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except JointworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc.filename or exc}: no such file (create a plan with `jointwork init AREA`)", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
