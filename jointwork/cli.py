"""The ``jointwork`` command: a thin wrapper over the Python API."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .app.respond.network import DEFAULT_SHARE_PORT
from .core import areas as areas_api
from .core.errors import InputError, JointworkError
from .core.paths import WORKSPACE_ENV, data_dir, notebooks_dir, resolve_workspace
from .products import plan_store


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", help="folder holding plans/ (default: $JOINTWORK_WORKSPACE or ./workspace)")


def _date_argument(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date written YYYY-MM-DD, got {text!r}") from None


def area_line(area: areas_api.Area, year: int = 2026, on: date | None = None) -> str:
    """One line of ``jointwork areas``: codes, name, region, the ICB(s) on that map and how the area fits them."""
    links = area.icbs if year == 2026 else area.icbs_2022
    main = area.main_icbs if year == 2026 else area.main_icbs_2022
    single, coterminous = (
        (area.single_icb, area.coterminous) if year == 2026 else (area.single_icb_2022, area.coterminous_2022)
    )
    fit = "co-terminous" if coterminous else ("one ICB" if single else f"{len(main)} ICBs")
    names = "; ".join(link.name + (" (likely)" if link.confidence == "likely" else "") for link in main)
    extra = [f"small sliver in {link.name}" for link in links if link.sliver]
    extra += [f"part may be in {link.name} (uncertain)" for link in links if not link.sliver and not link.counted]
    change = area.change_note(on)
    text = f"{area.code}  {area.dfe_code:>3}  {area.name:<36} {area.region:<26} {names} ({fit})"
    return text + "".join(f"; {item}" for item in extra) + (f"  [{change}]" if change else "")


def cmd_areas(args: argparse.Namespace) -> int:
    """``jointwork areas``: list or search the areas, with their ICBs from 1 April 2026 (or July 2022)."""
    year = args.year
    when = "from 1 April 2026" if year == 2026 else "in July 2022"
    icbs = areas_api.all_icbs(year)
    if args.icbs:
        members: dict[str, list[str]] = {icb.code: [] for icb in icbs}
        for area in areas_api.all_areas(args.on):
            for link in area.main_icbs if year == 2026 else area.main_icbs_2022:
                members[link.code].append(area.name)
        for icb in icbs:
            print(
                f"{icb.code}  {icb.ods_code:<5}  {icb.name:<70} {icb.nhs_region:<26} {len(members[icb.code])} area(s)"
            )
        print(f"{len(icbs)} ICBs in England {when}")
        return 0
    found = areas_api.search_areas(args.search) if args.search else areas_api.all_areas()
    if args.on:
        found = [a for a in found if a.is_current(args.on)]
    if args.region:
        wanted = {a.code for a in areas_api.areas_in_region(args.region)}
        found = [a for a in found if a.code in wanted]
    for area in found:
        print(area_line(area, year, args.on))
    if found:
        used = {link.code for a in found for link in (a.icbs if year == 2026 else a.icbs_2022)}
        print(f"{len(found)} area(s) in {len(used)} of the {len(icbs)} ICBs in England {when}")
    print(f"{len(found)} area(s)", file=sys.stderr)
    return 0 if found else 1


def cmd_init(args: argparse.Namespace) -> int:
    """``jointwork init``: create a blank plan for an area."""
    store = plan_store(args.workspace)
    area = areas_api.find_area(args.area)
    if store.exists(area.code):
        print(f"{store.path_for(area.code)} already exists; nothing changed.", file=sys.stderr)
        return 1
    store.update(area.code, lambda plan: None)
    print(f"Created a blank plan for {area.name}: {store.path_for(area.code)}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """``jointwork validate``: check a plan file or an area's plan."""
    target = Path(args.target)
    if target.is_dir():
        raise InputError(target, "(file)", "a plan file (AREA_CODE.yaml) or an area, but this is a folder")
    if target.suffix in {".yaml", ".yml"} or target.exists():
        plan = plan_store(args.workspace).read(target)
        where = target
    else:
        store = plan_store(args.workspace)
        code = areas_api.find_area(args.target).code
        plan, where = store.load(code), store.path_for(code)
    print(f"OK: {where} is a valid plan for {plan.area_code}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """``jointwork run``: execute an area's product notebooks."""
    from .run.execute import run_area

    products = [int(args.product)] if args.product else None
    for path in run_area(args.area, args.out, products, args.workspace):
        print(path)
    return 0


def cmd_rounds(args: argparse.Namespace) -> int:
    """``jointwork rounds``: list a product's rounds for an area, or open or close one."""
    from .core.errors import InputError
    from .core.responses import ResponseStore
    from .products import PRODUCTS, get_product

    product = get_product(args.product)
    if product.questionnaire is None:
        asking = ", ".join(str(p.number) for p in PRODUCTS if p.questionnaire)
        raise InputError("argument", "--product", f"a product that asks each partner ({asking})", got=args.product)
    store = ResponseStore(args.workspace)
    code = areas_api.find_area(args.area).code
    if args.open:
        made = store.open_round(code, product.slug, args.open, args.date)
        print(f"Opened round '{made.name}' ({made.id}) of product {product.number} for {code}")
    elif args.close:
        found = store.find_round(code, product.slug, args.close)
        if found is None:
            store.round(code, product.slug, args.close)  # says which rounds there are
        closed = store.close_round(code, product.slug, found.id)
        print(f"Closed round '{closed.name}': its responses can no longer be changed")
    rounds = store.rounds(code, product.slug)
    for item in rounds:
        state = "open" if item.is_open else f"closed {item.closed_at[:10]}"
        count = len(store.responses(code, product.slug, item.id))
        print(f"{item.opened_on}  {state:<17} {count:>5} response(s)  {item.name}  ({item.id})")
    if not rounds:
        print(f"No rounds yet for product {product.number} in {code}: open one with --open NAME", file=sys.stderr)
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """``jointwork history``: list the earlier versions of an area's plan."""
    store = plan_store(args.workspace)
    code = areas_api.find_area(args.area).code
    versions = store.history(code)
    for version in versions:
        print(f"{version.number:>4}  saved before {version.saved_at}  {version.path}")
    if not versions:
        print(f"No earlier versions of {store.path_for(code)}", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``jointwork restore``: make an earlier version the current plan."""
    store = plan_store(args.workspace)
    code = areas_api.find_area(args.area).code
    store.restore(code, args.version)
    print(f"Restored version {args.version} as {store.path_for(code)} (the replaced plan is kept in the history)")
    return 0


def copy_samples(workspace: str | None) -> list[str]:
    """Copy the illustrative sample plans and their responses into a workspace, never replacing any there."""
    from .core.samples import copy_samples as copy

    return copy(workspace)


def cmd_batch(args: argparse.Namespace) -> int:
    """``jointwork batch``: run products for many areas; packs, index and summary."""
    from .run.batch import run_batch

    result = run_batch(
        args.areas,
        args.products,
        out=args.out,
        workspace=args.workspace,
        jobs=args.jobs,
        force=args.force,
        timeout=args.timeout or None,
        engine=args.engine,
        progress=False if args.quiet else None,
    )
    print(result.report())
    return 0 if result.ok else 1


def cmd_demo(args: argparse.Namespace) -> int:
    """``jointwork demo``: copy the sample plans into the workspace and run the batch for them."""
    from .run.batch import run_batch

    codes = copy_samples(args.workspace)
    result = run_batch(
        ",".join(codes),
        "all",
        out=args.out,
        workspace=args.workspace,
        jobs=args.jobs,
        force=args.force,
        progress=False if args.quiet else None,
    )
    print(result.report())
    print(
        f"Sample plans are in {resolve_workspace(args.workspace) / 'plans'}; outputs are in {result.out_dir} "
        f"(open {result.index})"
    )
    return 0 if result.ok else 1


def cmd_preread(args: argparse.Namespace) -> int:
    """``jointwork preread``: a printable pre-read (A4 HTML) of a product's questions for an area."""
    from .core.responses import ResponseStore
    from .papers.preread import file_name, preread_bytes
    from .products import PRODUCTS, get_product
    from .render.preread import RoundInfo

    product = get_product(args.product)
    if product.questionnaire is None:
        asking = ", ".join(str(p.number) for p in PRODUCTS if p.questionnaire)
        print(
            f"product {product.number} asks no individual answers; pre-reads exist for products {asking}",
            file=sys.stderr,
        )
        return 1
    area = areas_api.find_area(args.area)
    store = plan_store(args.workspace)
    plan = store.load(area.code) if store.exists(area.code) else None
    round_info = None
    if args.round:
        rounds = ResponseStore(args.workspace)
        found = rounds.find_round(area.code, product.slug, args.round)
        found = found or rounds.round(area.code, product.slug, args.round)  # an unknown one: names the rounds
        round_info = RoundInfo(found.name, found.opened_on.isoformat())
    out = Path(args.out) if args.out else Path(f"{area.code}_{file_name(product)}")
    out.write_bytes(preread_bytes(product, area, plan, None, round_info))
    print(f"Wrote the pre-read of product {product.number} for {area.name} to {out} (print it on A4)")
    return 0


def cmd_app(args: argparse.Namespace) -> int:
    """``jointwork app``: the products as a code-free app in the browser."""
    from .app.limits import KernelLimits
    from .app.server import serve

    limits = KernelLimits(max_pages=args.max_pages, idle_minutes=args.idle_minutes)
    share = None
    if args.share:
        from .app.respond.network import share_host

        share = (share_host(args.share_host), args.share_port)
    elif args.share_host or args.share_port != DEFAULT_SHARE_PORT:
        raise InputError("argument", "--share-host/--share-port", "--share as well (phones answer only with --share)")
    serve(
        args.port,
        open_browser=not args.no_browser,
        workspace=args.workspace,
        preheat=not args.no_preheat,
        limits=limits,
        share=share,
    )
    return 0


def lab_command(
    workspace: str | os.PathLike[str] | None = None, *, port: int | None = None, open_browser: bool = True
) -> tuple[list[str], dict[str, str]]:
    """The command that starts JupyterLab on the product notebooks, and its environment.

    ``JOINTWORK_WORKSPACE`` is set to the workspace resolved as ``demo`` and ``app`` resolve it
    (``--workspace``, then ``$JOINTWORK_WORKSPACE``, then ``./workspace`` where the command runs),
    so the notebooks in JupyterLab read and write the same plans as the app and the batch.
    """
    command = [sys.executable, "-m", "jupyter", "lab", str(notebooks_dir())]
    if port is not None:
        command.append(f"--port={port}")
    if not open_browser:
        command.append("--no-browser")
    return command, {**os.environ, WORKSPACE_ENV: str(resolve_workspace(workspace))}


def cmd_lab(args: argparse.Namespace) -> int:
    """``jointwork lab``: JupyterLab on the notebooks, with the resolved workspace."""
    command, env = lab_command(args.workspace, port=args.port, open_browser=not args.no_browser)
    print(f"JupyterLab on {notebooks_dir()}, with the plans in {env[WORKSPACE_ENV]}", file=sys.stderr)
    try:
        return subprocess.run(command, env=env, check=False).returncode
    except KeyboardInterrupt:
        return 0


def cmd_forms(args: argparse.Namespace) -> int:
    """``jointwork forms``: write respondent forms (.xlsx) for a round, or a survey's question list."""
    from .intake import write_respondent_forms, write_survey_questions

    if args.survey_questions:
        for path in write_survey_questions(args.product, args.out):
            print(path)
        return 0
    written = write_respondent_forms(args.area, args.product, args.round, args.out, args.count, args.workspace)
    if written.opened:
        print(f"Opened round '{written.round.name}' of product {args.product} for {args.area}", file=sys.stderr)
    for path in written.paths:
        print(path)
    return 0


def cmd_responses_import(args: argparse.Namespace) -> int:
    """``jointwork responses import``: read filled forms and survey exports into an area's responses."""
    from .intake import import_responses

    report = import_responses(args.area, args.files, args.product, args.round, args.named, args.workspace)
    print(report.summary())
    return 0


def _batch_options(parser: argparse.ArgumentParser, out_default: str | None = "out") -> None:
    parser.add_argument("--out", default=out_default, help=f"output folder (default ./{out_default})")
    parser.add_argument("--jobs", type=int, help="worker processes (default: cores + 1, at most 3)")
    parser.add_argument("--force", action="store_true", help="re-run outputs that are up to date")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    _workspace_option(parser)


def cmd_build_areas(args: argparse.Namespace) -> int:
    """``jointwork data build-areas``: rebuild data/areas from the public files."""
    from .build.areas import build_areas

    report = build_areas(
        Path(args.source),
        Path(args.out or data_dir() / "areas"),
        Path(args.lsoa_lookup) if args.lsoa_lookup else None,
        Path(args.changes) if args.changes else None,
    )
    print(report.summary())
    return 0


def cmd_build_indicators(args: argparse.Namespace) -> int:
    """``jointwork data build-indicators``: rebuild data/indicators from the public files."""
    from .build.indicators import build_indicators

    print(build_indicators(Path(args.source), Path(args.out or data_dir() / "indicators")).summary())
    return 0


def cmd_import_fingertips(args: argparse.Namespace) -> int:
    """``jointwork data import-fingertips``: add the indicators of Fingertips exports to data/indicators."""
    from .build.indicators import import_fingertips

    report = import_fingertips([Path(f) for f in args.files], Path(args.out or data_dir() / "indicators"))
    print(f"Imported {', '.join(report.added)}")
    print("\n".join(report.merges))
    print(report.summary())
    return 0


def cmd_fetch_indicators(args: argparse.Namespace) -> int:
    """``jointwork data fetch-indicators``: download Fingertips exports (needs a network) and import them."""
    from .build.fetch import fetch_indicators

    report = fetch_indicators(
        args.ids,
        Path(args.out or data_dir() / "indicators"),
        base_url=args.base_url,
        child_area_type=args.area_type,
        timeout=args.timeout,
        save_to=Path(args.save) if args.save else None,
    )
    print(f"Downloaded and imported {', '.join(report.added)}")
    print(report.summary())
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser: one sub-command per task."""
    parser = argparse.ArgumentParser(prog="jointwork", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("areas", help="list or search English upper-tier local authorities and their ICBs")
    p.add_argument("--search", help="text to look for in names, codes, regions and ICBs")
    p.add_argument("--region", help="only areas in this region")
    p.add_argument(
        "--year", type=int, choices=[2026, 2022], default=2026, help="the NHS map: 2026 (today's, default) or 2022"
    )
    p.add_argument("--on", type=_date_argument, help="only areas that exist on this date (YYYY-MM-DD)")
    p.add_argument("--icbs", action="store_true", help="list the ICBs of the map instead, with their areas")
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

    p = sub.add_parser("rounds", help="list, open or close the rounds in which each partner answers a product")
    p.add_argument("area")
    p.add_argument("--product", required=True, help="the product number, e.g. 3 (ratings) or 2 (rankings)")
    which = p.add_mutually_exclusive_group()
    which.add_argument("--open", metavar="NAME", help="open a new round, e.g. 'Baseline, February 2026'")
    which.add_argument("--close", metavar="NAME", help="close a round (by name or id): no more changes")
    p.add_argument("--date", type=_date_argument, help="the date a new round opens (default: today)")
    _workspace_option(p)
    p.set_defaults(func=cmd_rounds)

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
    p.add_argument("--products", default="all", help="all (default), 3, 1,3,5 or 1-3")
    p.add_argument("--timeout", type=float, default=600, help="seconds allowed for each notebook (0: no limit)")
    p.add_argument(
        "--engine",
        default="jointwork_warm",
        choices=["jointwork_warm", "nbclient"],
        help="jointwork_warm: a warm kernel per worker (default); nbclient: a fresh kernel per notebook",
    )
    _batch_options(p)
    p.set_defaults(func=cmd_batch)

    p = sub.add_parser("demo", help="copy the sample plans into the workspace and run the batch for them")
    _batch_options(p)
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("preread", help="a printable pre-read (A4) of a product's questions for an area and round")
    p.add_argument("area", help="area code or name")
    p.add_argument("--product", required=True, help="a product that asks each partner's answers (2 or 3)")
    p.add_argument("--round", help="the round's name or id, printed on the paper (default: a blank to fill in)")
    p.add_argument("--out", help="file to write (default AREA_preread-N.html in this folder)")
    _workspace_option(p)
    p.set_defaults(func=cmd_preread)

    p = sub.add_parser("app", help="facilitator mode: the products as a code-free app in the browser (127.0.0.1 only)")
    p.add_argument("--port", type=int, default=8866, help="port on 127.0.0.1 (default 8866)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; just print the address")
    p.add_argument("--no-preheat", action="store_true", help="start a kernel per page instead of keeping them ready")
    p.add_argument(
        "--max-pages", type=int, default=12, help="product pages open at once, at most (default 12; ~120 MB each)"
    )
    p.add_argument(
        "--idle-minutes",
        type=int,
        default=60,
        help="close a product page left unused this many minutes, to free memory (default 60; 0: never)",
    )
    p.add_argument(
        "--share",
        action="store_true",
        help="also let partners answer from their phones: start the respondent service on the room's network",
    )
    p.add_argument(
        "--share-host",
        help="the laptop's address for phones (default: the address of its default route); with --share",
    )
    p.add_argument(
        "--share-port",
        type=int,
        default=DEFAULT_SHARE_PORT,
        help=f"the respondent service's port (default {DEFAULT_SHARE_PORT}); with --share",
    )
    _workspace_option(p)
    p.set_defaults(func=cmd_app)

    p = sub.add_parser("lab", help="JupyterLab on the product notebooks, with the same workspace as demo and app")
    p.add_argument("--port", type=int, help="port (default: JupyterLab's, 8888 or the next free one)")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser; just print the address")
    _workspace_option(p)
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser(
        "forms", help="write respondent forms (.xlsx) for a round, or the questions for an online survey"
    )
    p.add_argument("area", help="GSS code, DfE code or name")
    p.add_argument("--product", required=True, help="a product that asks each partner's view (2 or 3)")
    p.add_argument("--round", help="the round's name; a round not opened yet is opened")
    p.add_argument("--out", required=True, help="folder for the forms")
    p.add_argument("--count", type=int, default=1, help="how many copies, one per respondent (default 1)")
    p.add_argument(
        "--survey-questions", action="store_true", help="write the question list for an online survey instead"
    )
    _workspace_option(p)
    p.set_defaults(func=cmd_forms)

    responses = sub.add_parser("responses", help="each partner's own answers: import forms and survey exports")
    responses_sub = responses.add_subparsers(dest="responses_command", required=True)
    p = responses_sub.add_parser("import", help="import filled forms (.xlsx) and survey exports (.xlsx, .csv)")
    p.add_argument("area", help="GSS code, DfE code or name")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--product", help="only forms of this product; needed for a survey export")
    p.add_argument("--round", help="only forms of this round; needed for a survey export (opened if new)")
    p.add_argument(
        "--named", action="store_true", help="the survey told respondents their names are kept: keep the names given"
    )
    _workspace_option(p)
    p.set_defaults(func=cmd_responses_import)

    data = sub.add_parser("data", help="rebuild the project's reference tables from public files")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    p = data_sub.add_parser("build-areas", help="build data/areas from ONS and DfE files")
    p.add_argument("--from", dest="source", required=True, help="folder with the public files (e.g. ../shared/data)")
    p.add_argument(
        "--lsoa-lookup",
        help="the ONS LSOA (2021) -> SICBL -> ICB -> LAD lookup, April 2026 or April 2023 edition, for exact shares",
    )
    p.add_argument(
        "--changes", help="areas that end and their successors (default: the project's data/areas/changes.csv)"
    )
    p.add_argument("--out", help="output folder (default: the project's data/areas)")
    p.set_defaults(func=cmd_build_areas)
    p = data_sub.add_parser("build-indicators", help="build data/indicators from Fingertips and DfE files")
    p.add_argument("--from", dest="source", required=True)
    p.add_argument("--out")
    p.set_defaults(func=cmd_build_indicators)
    p = data_sub.add_parser(
        "import-fingertips", help="add the indicators of Fingertips 'all data' CSV exports to data/indicators"
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="exports for upper-tier LAs (area type 402 or 502)")
    p.add_argument("--out", help="the snapshot folder (default: the project's data/indicators)")
    p.set_defaults(func=cmd_import_fingertips)
    p = data_sub.add_parser(
        "fetch-indicators", help="download the catalogue's Fingertips exports (needs a network) and import them"
    )
    p.add_argument("--ids", nargs="+", help="Fingertips ids, e.g. 92517,93085 (default: every catalogue indicator)")
    p.add_argument("--out", help="the snapshot folder (default: the project's data/indicators)")
    p.add_argument("--save", help="keep the downloaded exports in this folder")
    p.add_argument("--timeout", type=float, default=60, help="seconds allowed for each download (default 60)")
    p.add_argument("--area-type", type=int, default=502, choices=[402, 502], help="Fingertips area type (default 502)")
    p.add_argument("--base-url", default="https://fingertips.phe.org.uk/api/", help=argparse.SUPPRESS)
    p.set_defaults(func=cmd_fetch_indicators)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; errors a user can fix print one line and exit 1."""
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()  # here, so that a closed pipe is met below rather than at exit
        return code
    except JointworkError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc.filename or exc}: no such file (create a plan with `jointwork init AREA`)", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader stopped early (`jointwork areas | head`): stop quietly; output still buffered goes nowhere
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
