"""Following the partners' answers as they arrive, on the facilitator's interactive pages.

A workbook in JupyterLab or in the app (never in a batch run) checks its area's responses every
couple of seconds (:meth:`ResponseStore.digest <jointwork.core.responses.ResponseStore.digest>`,
which changes whenever any program saves, removes or closes anything there) and, when they have
changed, reads them again and re-draws its result views and counts.

The check runs on the kernel's own event loop (``loop.call_later``), not in a thread: ipykernel runs
cells and widget callbacks on that loop's thread too, so a check never runs in the middle of one.
Widget changes made by the check reach the page like any other (comm messages on the kernel's
iopub channel, which JupyterLab and Voila route by widget, whatever message started them). The
check stops with :meth:`ResponseWatcher.stop`, when its workbook is gone, when a newer workbook in
the same kernel starts following (a notebook run again), and with the kernel, whose loop ends.
"""

from __future__ import annotations

import asyncio
import sys
import traceback
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

CHECK_SECONDS = 2.0  # how often a page looks for new answers

Owner = TypeVar("Owner")


class ResponseWatcher(Generic[Owner]):
    """Calls ``on_change(owner)`` when ``check(owner)`` (a digest) differs from the last one seen.

    ``poll()`` checks once; ``start()`` checks every ``interval`` seconds on the running event loop
    until ``stop()``. The owner is held weakly: once it is gone the watcher stops by itself.
    """

    def __init__(
        self,
        owner: Owner,
        check: Callable[[Owner], str],
        on_change: Callable[[Owner], None],
        seen: str | None = None,
        interval: float = CHECK_SECONDS,
    ) -> None:
        self._owner = weakref.ref(owner)
        self.check, self.on_change, self.interval = check, on_change, interval
        self.seen = check(owner) if seen is None else seen
        self._loop: asyncio.AbstractEventLoop | None = None
        self._next: asyncio.TimerHandle | None = None
        self.changes = 0  # how many changes were followed

    @property
    def running(self) -> bool:
        return self._next is not None

    def poll(self) -> bool:
        """Check once; call ``on_change`` and return ``True`` if the digest has changed since the last check."""
        owner = self._owner()
        if owner is None:
            self.stop()
            return False
        try:
            now = self.check(owner)
        except OSError:  # a file replaced or removed while it was read: the next check sees it
            return False
        if now == self.seen:
            return False
        self.seen = now
        self.changes += 1
        self.on_change(owner)
        return True

    def start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Check every ``interval`` seconds on ``loop`` (the kernel's), from now until :meth:`stop`."""
        self.stop()
        self._loop = loop
        self._next = loop.call_later(self.interval, self._tick)

    def stop(self) -> None:
        """No more checks (the one scheduled is cancelled)."""
        if self._next is not None:
            self._next.cancel()
        self._next = None

    def _tick(self) -> None:
        if self._next is None or self._loop is None:
            return
        try:
            self.poll()
        except Exception:  # a bug in a redraw: keep following, and leave the traceback in the log
            traceback.print_exc(file=sys.stderr)
        if self._next is not None and not self._loop.is_closed():
            self._next = self._loop.call_later(self.interval, self._tick)


_following: ResponseWatcher[Any] | None = None  # the one watcher of this kernel (the newest workbook's)


def running_loop() -> asyncio.AbstractEventLoop | None:
    """The event loop running in this thread (the kernel's, inside a cell), or ``None`` outside one."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def follow(watcher: ResponseWatcher[Any], loop: asyncio.AbstractEventLoop | None = None) -> bool:
    """Start ``watcher`` on ``loop`` (the running loop by default) in place of this kernel's previous
    one; ``False`` (and nothing started) where no loop is running, as in a plain Python script."""
    global _following
    loop = loop or running_loop()
    if loop is None:
        return False
    if _following is not None and _following is not watcher:
        _following.stop()
    _following = watcher
    watcher.start(loop)
    return True
