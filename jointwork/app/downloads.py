"""The app's downloads: an area's papers (its Excel workbook, ...) and product 8's reading list, made
from the saved plan when asked for and sent by the app itself (nothing is written on the computer).

``GET /jointwork/download/<AREA>/<file name>`` (:class:`Download`) answers with the file as an
attachment named ``<AREA>_<file name>``, or with a short page that says in words what is wrong.
"""

from __future__ import annotations

import asyncio
import html
import os
import re
from dataclasses import dataclass

from ..core.areas import find_area
from ..core.errors import AreaNotFound, InputError, PlanError
from ..core.paths import DOWNLOAD_PATH
from ..core.responses import ResponseStore
from ..papers import PAPERS, Paper, get_paper
from ..products import plan_store
from .handlers import LocalPage

ROUTE = DOWNLOAD_PATH + r"/([A-Za-z0-9]{9})/([A-Za-z0-9_.-]{1,64})"


@dataclass(frozen=True)
class Reply:
    """What the app answers a download with: a status, headers and the body."""

    status: int
    headers: dict[str, str]
    body: bytes


def download_url(code: str, file_name: str, base: str = "/") -> str:
    """The address of an area's download, e.g. ``/jointwork/download/E06000045/workbook.xlsx``."""
    return f"{base.rstrip('/')}/{DOWNLOAD_PATH}/{code}/{file_name}"


def downloads(code: str, base: str = "/") -> list[tuple[str, str, str, bool]]:
    """(name, address, download file name, opens in the browser) of every download an area offers,
    in the papers' order."""
    return [(p.name, download_url(code, p.file_name, base), f"{code}_{p.file_name}", p.inline) for p in PAPERS]


def _problem(status: int, message: str) -> Reply:
    body = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Download not made</title></head>'
        f'<body><main><h1>Download not made</h1><p role="alert">{html.escape(message)}</p>'
        '<p><a href="/">Back to the start page</a></p></main></body></html>'
    )
    return Reply(status, {"Content-Type": "text/html; charset=utf-8"}, body.encode("utf-8"))


def make_download(workspace: str | os.PathLike[str], code: str, file_name: str) -> Reply:
    """The reply to a download of ``file_name`` for area ``code``, from the workspace's saved plan."""
    try:
        paper: Paper = get_paper(file_name)
    except InputError:
        return _problem(404, f"There is no download called '{file_name}'. The app offers: "
                        + ", ".join(p.file_name for p in PAPERS) + ".")  # fmt: skip
    try:
        area = find_area(code)
    except AreaNotFound:
        return _problem(404, f"No English upper-tier local authority has the code '{code}'.")
    store = plan_store(workspace)
    try:
        plan = store.load(area.code) if store.exists(area.code) else None
    except (PlanError, OSError) as exc:
        return _problem(409, f"The plan of {area.name} cannot be read, so nothing was made from it: {exc}")
    try:
        responses = ResponseStore(workspace).area(area.code)
    except (InputError, OSError) as exc:
        return _problem(409, f"The responses of {area.name} cannot be read, so nothing was made from them: {exc}")
    data = paper.build(area, plan, responses)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", f"{area.code}_{paper.file_name}")
    headers = {
        "Content-Type": paper.media_type,
        "Content-Disposition": f'{"inline" if paper.inline else "attachment"}; filename="{name}"',
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
    if paper.inline:  # a page to print (a pre-read, the short report): its own styles and inline charts only
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    return Reply(200, headers, data)


class Download(LocalPage):
    """An area's paper, made from its saved plan when asked for (off the server's event loop)."""

    def initialize(self, workspace: str) -> None:
        self.workspace = workspace

    async def get(self, code: str, file_name: str) -> None:
        reply = await asyncio.get_running_loop().run_in_executor(None, make_download, self.workspace, code, file_name)
        self.set_status(reply.status)
        for key, value in reply.headers.items():
            self.set_header(key, value)
        self.finish(reply.body)
