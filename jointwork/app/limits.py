"""How many kernels the app runs, and for how long (server side, imported by :mod:`jointwork.app.server`).

Each open product page has a kernel of its own (about 120 MB), on top of the one kernel per
product kept ready (:func:`jointwork.app.server.voila_config`). Three rules keep their number down:

- **a page that is closed** asks for its kernel to be stopped (``LateShutdown`` in the server);
  a page that vanished without asking (a crashed browser, a laptop put to sleep) has no connection
  left to its kernel, which is shut down once it has had none for ``gone_seconds``
  (:class:`RoomKernelManager`, on top of Jupyter Server's culling);
- **a page left open but unused** for ``idle_minutes`` has its kernel shut down by Jupyter
  Server's own culler (``MappingKernelManager.cull_idle_timeout`` with ``cull_connected``); the
  page then says so and asks for a reload (``jointwork.js``); everything saved stays saved;
- **at most** ``max_pages`` product pages are open at once: the next one gets a page in words
  saying so and what to do (:func:`pages_open`, :func:`full_page`), not a kernel.

The kernels kept ready for the next page are never culled (Voila's ``VoilaKernelManager`` skips
them) and are not counted as open pages.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jupyter_core.utils import ensure_async
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Integer
from traitlets.config import Config

from ..core.errors import JointworkError
from .pages import page_template

DEFAULT_MAX_PAGES = 12  # product pages open at once (each kernel about 120 MB)
DEFAULT_IDLE_MINUTES = 60  # an open page unused this long has its kernel shut down (0: never)
GONE_SECONDS = 120  # a kernel with no page connected this long is shut down
CHECK_SECONDS = 30  # how often the kernels are looked at
MANAGER_CLASS = "jointwork.app.limits.RoomKernelManager"


@dataclass(frozen=True)
class KernelLimits:
    """The app's limits on kernels: open pages at once, minutes before an unused page is closed
    (0: never), seconds before a kernel without a page is shut down, and how often to look."""

    max_pages: int = DEFAULT_MAX_PAGES
    idle_minutes: int = DEFAULT_IDLE_MINUTES
    gone_seconds: int = GONE_SECONDS
    check_seconds: int = CHECK_SECONDS

    def __post_init__(self) -> None:
        if self.max_pages < 1:
            raise JointworkError(f"--max-pages: expected a whole number of pages of 1 or more, got {self.max_pages}")
        if self.idle_minutes < 0:
            raise JointworkError(
                f"--idle-minutes: expected a whole number of minutes, 0 (never) or more, got {self.idle_minutes}"
            )
        if self.gone_seconds < 1 or self.check_seconds < 1:
            raise JointworkError(
                f"kernel limits: expected seconds of 1 or more, got {self.gone_seconds} and {self.check_seconds}"
            )
        if self.idle_minutes and self.idle_minutes * 60 < self.gone_seconds:
            raise JointworkError(
                f"--idle-minutes: expected at least {self.gone_seconds} seconds (the time a kernel without "
                f"a page is kept), got {self.idle_minutes} minutes"
            )

    def describe(self) -> str:
        """The limits in words, for the window where the app was started."""
        idle = (
            f"a page left unused for {self.idle_minutes} minutes is closed to free memory"
            if self.idle_minutes
            else "pages left unused stay open"
        )
        return f"At most {self.max_pages} product pages open at once; {idle}."


def apply_limits(c: Config, limits: KernelLimits) -> None:
    """Put ``limits`` into the app's Voila settings: Jupyter Server's culling traitlets
    (``MappingKernelManager.cull_idle_timeout``, ``cull_interval``, ``cull_connected``,
    ``cull_busy``) and this module's kernel manager for kernels whose page has gone."""
    c.VoilaConfiguration.multi_kernel_manager_class = MANAGER_CLASS
    c.MappingKernelManager.cull_interval = limits.check_seconds
    c.MappingKernelManager.cull_busy = False  # a kernel that is saving or drawing is never stopped
    if limits.idle_minutes:
        c.MappingKernelManager.cull_idle_timeout = limits.idle_minutes * 60
        c.MappingKernelManager.cull_connected = True  # an open page unused that long is closed too
    else:
        c.MappingKernelManager.cull_idle_timeout = limits.gone_seconds
        c.MappingKernelManager.cull_connected = False
    c.RoomKernelManager.cull_gone_timeout = limits.gone_seconds


class RoomKernelManager(AsyncMappingKernelManager):
    """Jupyter Server's kernel manager, which also shuts down, sooner than an unused page, a kernel
    that has had no page connected to it for ``cull_gone_timeout`` seconds."""

    cull_gone_timeout = Integer(
        GONE_SECONDS,
        config=True,
        help="Seconds after which a kernel with no page connected to it (and not busy) is shut down.",
    )

    def page_gone(self, kernel_id: str) -> bool:
        """Whether the kernel has had no connection, and no activity, for ``cull_gone_timeout``."""
        kernel = self._kernels.get(kernel_id)
        if kernel is None or self._kernel_connections.get(kernel_id, 0):
            return False
        last = getattr(kernel, "last_activity", None)
        if last is None or getattr(kernel, "execution_state", None) == "busy":
            return False
        return datetime.now(UTC) - last > timedelta(seconds=self.cull_gone_timeout)

    async def cull_kernel_if_idle(self, kernel_id: str) -> None:
        if self.page_gone(kernel_id):
            self.log.warning(
                "jointwork: shutting down kernel %s: no page has been connected to it for %d s",
                kernel_id,
                self.cull_gone_timeout,
            )
            await ensure_async(self.shutdown_kernel(kernel_id))
            return
        await super().cull_kernel_if_idle(kernel_id)


def _ready_kernels(manager: Any) -> tuple[set[str], int]:
    """The kernels Voila keeps ready for the next page (its pools), and how many are still starting."""
    ready: set[str] = set()
    starting = 0
    pools: dict[str, Iterable[Any]] = getattr(manager, "_pools", {}) or {}
    for pool in pools.values():
        for item in pool:
            if not item.done():
                starting += 1
            elif not item.cancelled() and item.exception() is None:
                ready.add(str(item.result().get("kernel_id")))
    return ready, starting


def pages_open(manager: Any, leaving: Collection[str] = ()) -> int:
    """How many product pages have a kernel now: every kernel but those kept ready (and those still
    starting to be kept ready) and those of pages just left (``leaving``), which stop in seconds."""
    ready, starting = _ready_kernels(manager)
    pages = [k for k in manager.list_kernel_ids() if k not in ready and k not in leaving]
    return max(0, len(pages) - starting)


def full_page(limits: KernelLimits, open_now: int, back: str, base: str = "/") -> str:
    """The page shown instead of a product page when ``limits.max_pages`` are already open."""
    return page_template("full.html.j2").render(
        title="Too many pages open - jointwork",
        base=base,
        back=back,
        max_pages=limits.max_pages,
        open_now=open_now,
        idle_minutes=limits.idle_minutes,
    )
