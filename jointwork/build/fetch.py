"""Download Fingertips "all data" CSV exports through the Fingertips API and import them.

Plain HTTP through the standard library, one request per indicator, with a timeout. A machine
that is offline (or a site that cannot be reached) gets one clear message saying what to do
instead; nothing is imported unless every download and every file succeeds.

The endpoint is ``api/all_data/csv/by_indicator_id`` under https://fingertips.phe.org.uk/api/,
asked for upper-tier LAs (``child_area_type_id=502``) under England (``parent_area_type_id=15``),
the request that gives the layout of the real export of indicator 90284 in the reference data.
"""

from __future__ import annotations

import shutil
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import InputError, JointworkError
from .catalogue import API_BASE, CHILD_AREA_TYPE, PARENT_AREA_TYPE, export_url, load_definitions
from .indicators import BuildReport, import_fingertips

TIMEOUT = 60.0  # seconds for each download
CHUNK = 1 << 16
USER_AGENT = "jointwork-indicator-snapshot"

Opener = Callable[..., Any]


class FetchError(JointworkError):
    """A download that could not be made: offline, a timeout or an HTTP error, said in words."""


def catalogue_ids(definitions: Path | None = None) -> list[str]:
    """Every Fingertips id in the catalogue, in its order."""
    return [str(i["fingertips_id"]) for i in load_definitions(definitions).indicators]


def parse_ids(values: Sequence[str] | None, definitions: Path | None = None) -> list[str]:
    """Ids from ``--ids`` (comma- or space-separated); all the catalogue's when none are given."""
    known = catalogue_ids(definitions)
    if not values:
        return known
    ids = [part.strip() for value in values for part in str(value).split(",") if part.strip()]
    for fid in ids:
        if fid not in known:
            raise InputError(
                "argument",
                "--ids",
                "Fingertips ids in the catalogue (data/indicators/definitions.yaml): " + ", ".join(known),
                got=fid,
            )
    return list(dict.fromkeys(ids))


def download(url: str, target: Path, *, timeout: float = TIMEOUT, opener: Opener | None = None) -> Path:
    """Save what ``url`` returns to ``target``; a failure raises :class:`FetchError` in words."""
    opener = opener or urllib.request.urlopen
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/csv"})
    host = urllib.parse.urlparse(url).netloc
    try:
        response = opener(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise FetchError(
            f"{url}: the server answered HTTP {exc.code} ({exc.reason}); check the indicator id, or download the "
            "export from the Fingertips site and run `jointwork data import-fingertips FILE`"
        ) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise FetchError(
            f"could not reach {host} ({reason}): this machine looks offline, or the site is down. Nothing was "
            "imported. Try again when online, or download the exports elsewhere and run "
            "`jointwork data import-fingertips FILE`"
        ) from exc
    with response, target.open("wb") as handle:
        try:
            shutil.copyfileobj(response, handle, CHUNK)
        except (OSError, ValueError) as exc:
            raise FetchError(f"{url}: the download stopped before the end ({exc}); nothing was imported") from exc
    return target


def fetch_indicators(
    ids: Sequence[str] | None = None,
    out_dir: Path | None = None,
    *,
    base_url: str = API_BASE,
    child_area_type: int = CHILD_AREA_TYPE,
    parent_area_type: int = PARENT_AREA_TYPE,
    timeout: float = TIMEOUT,
    save_to: Path | None = None,
    opener: Opener | None = None,
    today: date | None = None,
    definitions: Path | None = None,
    places: Any = None,
) -> BuildReport:
    """Download the export of each indicator (all the catalogue's by default), then import them all.

    The files go to ``save_to`` when given (kept), else to a temporary folder (removed afterwards).
    """
    wanted = parse_ids(ids, definitions)
    folder = Path(save_to) if save_to else Path(tempfile.mkdtemp(prefix="jointwork-fingertips-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        files, urls = [], {}
        for fid in wanted:
            url = export_url(fid, child_area_type, parent_area_type, base_url)
            target = folder / f"fingertips_{fid}_area_type_{child_area_type}.csv"
            download(url, target, timeout=timeout, opener=opener)
            files.append(target)
            urls[target.name] = url
        retrieved = (today or date.today()).isoformat()
        return import_fingertips(files, out_dir, definitions=definitions, places=places, urls=urls, retrieved=retrieved)
    finally:
        if not save_to:
            shutil.rmtree(folder, ignore_errors=True)
