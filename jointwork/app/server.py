"""Facilitator mode: the product notebooks served as a code-free app (Voila, on 127.0.0.1 only).

``jointwork app`` (:func:`serve`) starts Voila on the notebooks folder with:

- the start page (:mod:`jointwork.app.start`, no kernel) at ``/``, and Voila's notebook list sent
  there too;
- each area's papers (its Excel workbook, ...) as downloads made from the saved plan
  (:mod:`jointwork.app.downloads`, no kernel);
- product pages at ``/voila/render/03_successful_joint_working.ipynb?area=E06000045``, drawn with
  the ``jointwork`` Voila template (``share/jupyter/voila/templates/jointwork``: Voila's lab
  template with the app's page helpers and styles, and nothing fetched from outside 127.0.0.1),
  code hidden, tracebacks never sent to the browser;
- one pre-started ("preheated") kernel per product that has already imported the library and read
  the content before anyone asks (:func:`jointwork.app.kernel.wait_for_request`);
- a page that is left stops its kernel a few seconds later (:class:`LateShutdown`), and the next
  page waits for what was typed as that page was left to be saved (:class:`LeavingPages`);
- kernels of pages that vanished or were left unused are shut down, and at most so many product
  pages are open at once, the next one being told so in words (:mod:`jointwork.app.limits`);
- ``JOINTWORK_APP=1`` and ``JOINTWORK_SESSION=app`` for its kernels, so that
  :func:`jointwork.open_workbook` hands over to :func:`jointwork.app.kernel.open_app_workbook`.

The same notebooks still run unchanged in JupyterLab and in batch runs.
"""

from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from datetime import UTC, datetime
from typing import Any

from jupyter_core.utils import ensure_async
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from ..core.areas import find_area
from ..core.errors import AreaNotFound, JointworkError
from ..core.paths import WORKSPACE_ENV, notebooks_dir, resolve_workspace
from ..core.responses import ResponseStore
from ..session import SESSION_ENV
from .downloads import ROUTE as DOWNLOAD_ROUTE
from .downloads import Download
from .handlers import LocalPage
from .kernel import APP_ENV, DEFAULT_PORT, HOST, NOTEBOOK_ENV, ROOM_PATH, app_products, area_key, query_area, start_url
from .limits import KernelLimits, apply_limits, full_page, pages_open
from .pages import TEMPLATE_DIR
from .presenter import PRESENT_PATH, presenter_page
from .respond.codes import WorkshopCodes
from .respond.network import share_address
from .respond.room import COUNTS_PATH, Sharing, apply_room_form, counts_json, room_page
from .respond.service import Service, start_service
from .session_page import SESSION_PATH, apply_form, session_page
from .start import start_page

TEMPLATE = "jointwork"  # the Voila template of the app's pages (TEMPLATE_DIR)
SHARE_DIR = TEMPLATE_DIR.parents[2]  # .../jointwork/app/share/jupyter: put first on JUPYTER_PATH
SHUTDOWN_GRACE_S = 5.0  # a left page's kernel stops this long after the page asks (see LateShutdown)
SETTLE_LIMIT_S = 3.0  # a page waits at most this long for the kernels of pages just left to finish saving
TYPED_ARRIVAL_S = 0.3  # time allowed for text sent as a page was left to reach its kernel

UNEXPECTED = (
    "Something went wrong while showing this part of the page, so the page stops here. "
    "Reload the page to try again. If it happens again, tell whoever runs jointwork for you: "
    "the details are in the window where the app was started. Everything saved so far is kept."
)


def voila_config(
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    preheat: bool = True,
    pool_size: int = 1,
    limits: KernelLimits | None = None,
) -> Config:
    """The Voila settings of the app: 127.0.0.1 only, the jointwork template, code and tracebacks
    hidden, preheated kernels (``pool_size`` per product, each told which notebook it is for, none
    for other notebooks), and kernels culled by ``limits`` (:mod:`jointwork.app.limits`)."""
    limits = limits or KernelLimits()
    c = Config()
    c.Voila.ip = HOST
    c.Voila.port = int(port)
    c.Voila.port_retries = 0
    c.Voila.open_browser = bool(open_browser)
    c.Voila.config_file_paths = []  # no voila.json from the current folder or ~/.jupyter changes these
    c.VoilaConfiguration.template = TEMPLATE
    c.VoilaConfiguration.resources = {  # read by index.html.j2
        "jointwork": {"unexpected": UNEXPECTED, "idle_minutes": limits.idle_minutes}
    }
    c.VoilaConfiguration.show_tracebacks = False
    c.VoilaConfiguration.strip_sources = True
    c.VoilaConfiguration.show_margins = True
    c.VoilaConfiguration.allow_template_override = "NO"
    c.VoilaConfiguration.allow_theme_override = "NO"
    c.VoilaConfiguration.preheat_kernel = bool(preheat)
    c.VoilaConfiguration.default_pool_size = int(pool_size) if preheat else 0
    c.VoilaConfiguration.prelaunch_hook = None  # incompatible with preheated kernels
    c.VoilaExecutor.show_tracebacks = False
    c.VoilaExecutor.cell_error_instruction = UNEXPECTED
    c.VoilaKernelManager.preheat_denylist = ["templates/", ".ipynb_checkpoints"]
    c.VoilaKernelManager.kernel_pools_config = {
        "default": {"pool_size": 0},
        **{
            p.notebook: {
                "pool_size": int(pool_size) if preheat else 0,
                "kernel_env_variables": {NOTEBOOK_ENV: p.notebook},
            }
            for p in app_products()
        },
    }
    c.VoilaKernelManager.fill_delay = 2.0  # refill a kernel pool once the page that used it has drawn
    apply_limits(c, limits)
    return c


class LeavingPages:
    """The kernels of pages just left, until they are shut down: when each was left and whether it
    was sending text typed as it was left."""

    def __init__(self) -> None:
        self.kernels: dict[str, tuple[float, bool]] = {}

    def left(self, kernel_id: str, typed: bool) -> None:
        """The page of ``kernel_id`` was left (and sent what was typed, if ``typed``)."""
        self.kernels[kernel_id] = (time.monotonic(), typed)

    def gone(self, kernel_id: str) -> None:
        """The kernel is being shut down."""
        self.kernels.pop(kernel_id, None)

    def busy(self, manager: Any) -> bool:
        """Whether the kernel of a page just left may still be saving: it is busy, was active in
        the last tenth of a second, or was left with text on its way moments ago."""
        now = datetime.now(UTC)
        for kernel_id, (when, typed) in list(self.kernels.items()):
            if kernel_id not in manager:
                continue
            kernel = manager.get_kernel(kernel_id)
            last = getattr(kernel, "last_activity", None)
            if (
                (typed and time.monotonic() - when < TYPED_ARRIVAL_S)
                or getattr(kernel, "execution_state", "") == "busy"
                or (last is not None and (now - last).total_seconds() < 0.1)
            ):
                return True
        return False

    async def settle(self, manager: Any) -> None:
        """Wait (at most SETTLE_LIMIT_S) while the kernel of a page just left is still saving, e.g.
        text typed as the page was reloaded, so that the new page reads the plan with it."""
        deadline = time.monotonic() + SETTLE_LIMIT_S
        while time.monotonic() < deadline and self.busy(manager):
            await asyncio.sleep(0.02)


class StartPage(LocalPage):
    """The start page at the app's base URL."""

    def initialize(self, workspace: str, base: str) -> None:
        self.workspace = workspace
        self.base = base

    def get(self) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(start_page(self.get_argument("area", None), self.workspace, self.base))


class SessionPage(LocalPage):
    """The session plan page of an area (:mod:`jointwork.app.session_page`): a form that posts each
    change, with a token against forged requests, then shows the plan again."""

    def initialize(self, workspace: str, base: str) -> None:
        self.workspace = workspace
        self.base = base

    def _page(self, outcome: Any = None, typed: dict[str, str] | None = None) -> None:
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            session_page(
                self.get_argument("area", None),
                self.workspace,
                self.base,
                xsrf=self.xsrf_form_html(),
                outcome=outcome,
                typed=typed,
            )
        )

    def get(self) -> None:
        self._page()

    def post(self) -> None:
        self.check_xsrf_cookie()  # whatever the application's settings: a form from elsewhere is refused
        self.refuse_other_origins()
        try:
            area = find_area(area_key(self.get_argument("area", "")[:100]))
        except AreaNotFound:
            self._page()
            return
        form = {name: self.get_body_argument(name, "")[:200] for name in self.request.body_arguments}
        self._page(apply_form(area, form, self.workspace), typed=form)


class PresentPage(LocalPage):
    """The presenter view of a product for an area (:mod:`jointwork.app.presenter`), for the projector."""

    def initialize(self, workspace: str, base: str) -> None:
        self.workspace = workspace
        self.base = base

    def get(self) -> None:
        status, page = presenter_page(
            self.get_argument("area", None), self.get_argument("product", None), self.workspace, self.base
        )
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page)


class RoomPage(LocalPage):
    """The room page of a product for an area (:mod:`jointwork.app.respond.room`): open a round to
    the phones in the room, see its join address and QR code, and who has answered, by sector."""

    def initialize(self, workspace: str, base: str, sharing: Sharing) -> None:
        self.workspace, self.base, self.sharing = workspace, base, sharing

    def _page(self, outcome: Any = None, typed_name: str = "") -> None:
        status, page = room_page(
            self.get_argument("area", None),
            self.get_argument("product", None),
            self.workspace,
            self.sharing,
            base=self.base,
            xsrf=self.xsrf_form_html(),
            outcome=outcome,
            typed_name=typed_name,
        )
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page)

    def get(self) -> None:
        self._page()

    def post(self) -> None:
        self.check_xsrf_cookie()
        self.refuse_other_origins()
        form = {name: self.get_body_argument(name, "")[:200] for name in self.request.body_arguments}
        area, product = self.get_argument("area", None), self.get_argument("product", None)
        outcome = apply_room_form(area, product, form, self.workspace, self.sharing)
        self._page(outcome, typed_name="" if outcome.saved else form.get("name", ""))


class RoomCounts(LocalPage):
    """How many have answered each round of a product, by sector (polled by ``static/room.js``)."""

    def initialize(self, workspace: str, sharing: Sharing) -> None:
        self.workspace, self.sharing = workspace, sharing

    def get(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.finish(
            counts_json(
                self.get_argument("area", None), self.get_argument("product", None), self.workspace, self.sharing
            )
        )


class ToStart(LocalPage):
    """Voila's notebook list: the start page instead."""

    def initialize(self, base: str) -> None:
        self.base = base

    def get(self, *_args: Any) -> None:
        self.redirect(self.base)


class LateShutdown(LocalPage):
    """A page that is left asks for its kernel to be shut down (Voila's own handler refuses the
    request for want of an XSRF cookie, voila-dashboards/voila#1458, so kernels would pile up).
    Wait a moment first, so that what the page sent as it was left is saved before the kernel stops."""

    def initialize(self, leaving: LeavingPages) -> None:
        self.leaving = leaving

    async def post(self, kernel_id: str) -> None:
        self.refuse_other_origins()
        self.leaving.left(kernel_id, typed=self.get_body_argument("jw_typed", "") == "1")
        self.set_status(204)
        await self.finish()
        await asyncio.sleep(SHUTDOWN_GRACE_S)
        self.leaving.gone(kernel_id)
        manager = self.settings["kernel_manager"]
        if kernel_id in manager:
            await ensure_async(manager.shutdown_kernel(kernel_id))


class SettledPage(TornadoVoilaHandler):
    """Voila's product page, drawn once the kernels of pages just left have saved what they were
    sent; or, when as many product pages as the limits allow are open, a page saying so."""

    def initialize(self, **kwargs: Any) -> None:
        self.leaving: LeavingPages = kwargs.pop("leaving")
        self.limits: KernelLimits = kwargs.pop("limits")
        super().initialize(**kwargs)

    async def get(self, path: str | None = None) -> None:
        await self.leaving.settle(self.kernel_manager)
        open_now = pages_open(self.kernel_manager, self.leaving.kernels)
        if open_now >= self.limits.max_pages:
            self.log.warning("jointwork: %d product pages are open, the most allowed; page refused", open_now)
            area = query_area(self.request.query)
            self.set_status(503)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.set_header("Retry-After", "10")
            back = start_url(area or None, self.base_url)
            await self.finish(full_page(self.limits, open_now, back, self.base_url))
            return
        await super().get(path)


class JointworkVoila(Voila):
    """Voila with the start page at ``/``, the notebook list sent there, the kernels of left
    pages stopped late (see :class:`LateShutdown`) and product pages within ``limits``."""

    limits = KernelLimits()
    sharing = Sharing(WorkshopCodes())
    share_listen: tuple[str, int] | None = None  # (host, port) of the respondent service, if shared

    def init_handlers(self) -> list:
        base = self.server_url or self.base_url
        leaving = LeavingPages()
        workspace = os.environ[WORKSPACE_ENV]
        ours = [
            (base + ROOM_PATH, RoomPage, {"workspace": workspace, "base": self.base_url, "sharing": self.sharing}),
            (base + COUNTS_PATH, RoomCounts, {"workspace": workspace, "sharing": self.sharing}),
            (base, StartPage, {"workspace": os.environ[WORKSPACE_ENV], "base": self.base_url}),
            (base + SESSION_PATH, SessionPage, {"workspace": os.environ[WORKSPACE_ENV], "base": self.base_url}),
            (base + PRESENT_PATH, PresentPage, {"workspace": os.environ[WORKSPACE_ENV], "base": self.base_url}),
            (base.rstrip("/") + r"/voila/tree(.*)", ToStart, {"base": self.base_url}),
            (base.rstrip("/") + r"/voila/api/shutdown/(.*)", LateShutdown, {"leaving": leaving}),
            (base.rstrip("/") + "/" + DOWNLOAD_ROUTE, Download, {"workspace": os.environ[WORKSPACE_ENV]}),
        ]
        theirs = [
            (h[0], SettledPage, {**(h[2] if len(h) > 2 else {}), "leaving": leaving, "limits": self.limits})
            if h[1] is TornadoVoilaHandler
            else h
            for h in super().init_handlers()
        ]
        return ours + theirs

    def start(self) -> None:
        """Start the respondent service first (when shared), on the same event loop as the app."""
        if self.share_listen is not None:
            host, port = self.share_listen
            start_service(Service(self.sharing.codes, ResponseStore(os.environ[WORKSPACE_ENV])), host, port)
        super().start()


def check_port(port: int, host: str = HOST, option: str = "--port") -> None:
    """A clear error if something else already listens on ``host:port``."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        if os.name == "posix":  # as the server will: connections closing from a previous run do not count
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, int(port)))
        except OSError as exc:
            if exc.errno == 99:  # EADDRNOTAVAIL
                raise JointworkError(
                    f"{host} is not an address of this laptop: give one of its own addresses with --share-host"
                ) from None
            raise JointworkError(
                f"port {port} on {host} is already in use: the app may already be running "
                f"(open http://{HOST}:{port}/), or choose another port with {option}"
            ) from None


def use_template_folder() -> None:
    """Put the app's ``share/jupyter`` first on ``JUPYTER_PATH``, so that Voila finds the
    ``jointwork`` template there (Voila looks for templates along ``jupyter_path()``)."""
    paths = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != str(SHARE_DIR)]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([str(SHARE_DIR), *paths])


def serve(
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    workspace: str | os.PathLike[str] | None = None,
    *,
    preheat: bool = True,
    pool_size: int = 1,
    limits: KernelLimits | None = None,
    share: tuple[str, int] | None = None,
) -> None:
    """Serve the product notebooks as an app on http://127.0.0.1:PORT/ until stopped (Ctrl+C).

    ``workspace`` holds ``plans/`` (default ``$JOINTWORK_WORKSPACE`` or ``./workspace``). With
    ``preheat`` each product keeps ``pool_size`` kernels started and ready. ``limits`` caps the open
    product pages and closes unused ones (:class:`jointwork.app.limits.KernelLimits`). ``share``
    (host, port) also starts the respondent service there (:mod:`jointwork.app.respond`); the app
    itself stays on 127.0.0.1.
    """
    limits = limits or KernelLimits()
    folder = resolve_workspace(workspace)
    (folder / "plans").mkdir(parents=True, exist_ok=True)
    check_port(port)
    if share is not None:
        if share[1] == int(port) and share[0] == HOST:
            raise JointworkError("the respondent service needs a port of its own: choose another with --share-port")
        check_port(share[1], share[0], "--share-port")
    os.environ[APP_ENV] = "1"  # the kernels inherit these
    os.environ[SESSION_ENV] = "app"
    os.environ[WORKSPACE_ENV] = str(folder)
    os.environ.pop(NOTEBOOK_ENV, None)  # set per kernel pool (see voila_config)
    use_template_folder()  # before Voila initialises: it collects the template paths then
    app = JointworkVoila(config=voila_config(port, open_browser, preheat, pool_size, limits))
    app.limits = limits
    if share is not None:
        app.sharing = Sharing(WorkshopCodes(), share_address(*share))
        app.share_listen = share
    app.initialize([str(notebooks_dir())])
    shared = (
        f"Phones on the room's network can answer at {app.sharing.address}/ once you let them, from a "
        "product's 'Answer from phones' page (only those pages are served there).\n"
        if share is not None
        else ""
    )
    print(
        f"jointwork app: open http://{HOST}:{port}/ in a web browser. Plans are saved in {folder / 'plans'}.\n"
        f"{shared}{limits.describe()}\n"
        "Press Ctrl+C here to stop the app.",
        file=sys.stderr,
        flush=True,
    )
    app.start()
