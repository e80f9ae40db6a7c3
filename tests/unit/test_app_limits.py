"""The app's kernel limits (jointwork/app/limits.py): Jupyter Server's culling settings as the app
sets them, the kernel manager that shuts down kernels whose page has gone, the count of open pages
and the page shown, in words, when as many as allowed are open. No kernel starts."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import Future
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from voila.voila_kernel_manager import voila_kernel_manager_factory

from jointwork.app import limits, server
from jointwork.cli import build_parser, main
from jointwork.core.errors import JointworkError


class TestLimits:
    def test_defaults(self) -> None:
        assert limits.KernelLimits() == limits.KernelLimits(12, 60, 120, 30)
        args = build_parser().parse_args(["app"])
        assert (args.max_pages, args.idle_minutes) == (limits.DEFAULT_MAX_PAGES, limits.DEFAULT_IDLE_MINUTES)

    @pytest.mark.parametrize(
        "kwargs, message",
        [
            ({"max_pages": 0}, "--max-pages: expected a whole number of pages of 1 or more, got 0"),
            ({"idle_minutes": -5}, "--idle-minutes: expected a whole number of minutes, 0 (never) or more, got -5"),
            ({"idle_minutes": 1, "gone_seconds": 300}, "expected at least 300 seconds"),
            ({"check_seconds": 0}, "expected seconds of 1 or more"),
        ],
    )
    def test_bad_limits_are_refused_in_words(self, kwargs: dict[str, int], message: str) -> None:
        with pytest.raises(JointworkError, match=message.replace("(", r"\(").replace(")", r"\)")):
            limits.KernelLimits(**kwargs)

    def test_described_for_the_window(self) -> None:
        assert limits.KernelLimits(5, 30).describe() == (
            "At most 5 product pages open at once; a page left unused for 30 minutes is closed to free memory."
        )
        assert "pages left unused stay open" in limits.KernelLimits(idle_minutes=0).describe()


def managed(config: Any, preheat: bool) -> Any:
    """The kernel manager Voila builds from the app's settings (as Voila.init_settings does)."""
    base = server.voila_config(preheat=preheat).VoilaConfiguration.multi_kernel_manager_class
    assert base == limits.MANAGER_CLASS
    cls = voila_kernel_manager_factory(limits.RoomKernelManager, False, 0)
    return cls(config=config)


class TestCullingSettings:
    def test_jupyter_server_culls_unused_and_abandoned_kernels(self) -> None:
        c = server.voila_config(limits=limits.KernelLimits(max_pages=4, idle_minutes=45))
        manager = managed(c, preheat=True)
        assert manager.cull_idle_timeout == 45 * 60 and manager.cull_connected is True
        assert manager.cull_interval == 30 and manager.cull_busy is False
        assert manager.cull_gone_timeout == 120
        assert c.VoilaConfiguration.resources["jointwork"]["idle_minutes"] == 45

    def test_never_closing_open_pages_still_ends_abandoned_kernels(self) -> None:
        manager = managed(server.voila_config(limits=limits.KernelLimits(idle_minutes=0)), preheat=False)
        assert manager.cull_idle_timeout == 120 and manager.cull_connected is False

    def test_default_settings(self) -> None:
        manager = managed(server.voila_config(), preheat=True)
        assert manager.cull_idle_timeout == 3600 and manager.cull_connected is True


class FakeKernel:
    def __init__(self, idle_s: float, state: str = "idle") -> None:
        self.last_activity = datetime.now(UTC) - timedelta(seconds=idle_s)
        self.execution_state = state


@pytest.fixture
def manager(monkeypatch: pytest.MonkeyPatch) -> limits.RoomKernelManager:
    mgr = limits.RoomKernelManager(cull_gone_timeout=120, cull_idle_timeout=3600, cull_connected=True)
    mgr.log = logging.getLogger("test")
    stopped: list[str] = []

    async def shutdown(kernel_id: str, **_: Any) -> None:
        stopped.append(kernel_id)

    monkeypatch.setattr(mgr, "shutdown_kernel", shutdown)
    mgr.stopped = stopped  # type: ignore[attr-defined]
    return mgr


class TestAbandonedKernels:
    def cull(self, mgr: limits.RoomKernelManager, kernels: dict[str, FakeKernel], connections: dict[str, int]) -> list:
        mgr._kernels = kernels  # type: ignore[assignment]
        mgr._kernel_connections = connections
        for kernel in kernels.values():
            kernel.kernel_spec = type("Spec", (), {"metadata": {}})()  # type: ignore[attr-defined]
            kernel.kernel_name = "python3"  # type: ignore[attr-defined]
        for kernel_id in list(kernels):
            asyncio.run(mgr.cull_kernel_if_idle(kernel_id))
        return mgr.stopped  # type: ignore[attr-defined]

    def test_a_kernel_whose_page_has_gone_is_shut_down(self, manager: limits.RoomKernelManager) -> None:
        kernels = {
            "gone": FakeKernel(180),
            "just-left": FakeKernel(30),
            "open": FakeKernel(180),
            "saving": FakeKernel(180, "busy"),
        }
        assert self.cull(manager, kernels, {"gone": 0, "just-left": 0, "open": 1, "saving": 0}) == ["gone"]

    def test_an_open_page_unused_past_the_limit_is_shut_down(self, manager: limits.RoomKernelManager) -> None:
        kernels = {"unused": FakeKernel(3700), "in-use": FakeKernel(600)}
        assert self.cull(manager, kernels, {"unused": 1, "in-use": 1}) == ["unused"]

    def test_a_kernel_without_activity_yet_is_kept(self, manager: limits.RoomKernelManager) -> None:
        kernel = FakeKernel(0)
        del kernel.last_activity
        manager._kernels = {"new": kernel}  # type: ignore[assignment]
        assert manager.page_gone("new") is False and manager.page_gone("unknown") is False


def ready(kernel_id: str | None) -> Future:
    """A pool entry of Voila's: a future that holds the started kernel (or has not finished)."""
    item: Future = Future()
    if kernel_id is not None:
        item.set_result({"kernel_id": kernel_id})
    return item


class Pooled:
    def __init__(self, kernels: list[str], pools: dict[str, list[Future]]) -> None:
        self.kernels, self._pools = kernels, pools

    def list_kernel_ids(self) -> list[str]:
        return list(self.kernels)


class TestOpenPages:
    def test_kernels_kept_ready_are_not_pages(self) -> None:
        manager = Pooled(["r1", "r2", "p1", "p2"], {"03.ipynb": [ready("r1")], "04.ipynb": [ready("r2")]})
        assert limits.pages_open(manager) == 2

    def test_pages_just_left_do_not_count(self) -> None:
        manager = Pooled(["r1", "p1", "p2"], {"03.ipynb": [ready("r1")]})
        assert limits.pages_open(manager, {"p2": (0.0, False)}) == 1

    def test_a_kernel_starting_for_the_pool_is_not_a_page(self) -> None:
        manager = Pooled(["r1", "starting", "p1"], {"03.ipynb": [ready("r1"), ready(None)]})
        assert limits.pages_open(manager) == 1

    def test_without_preheating_every_kernel_is_a_page(self) -> None:
        class Plain:
            def list_kernel_ids(self) -> list[str]:
                return ["a", "b", "c"]

        assert limits.pages_open(Plain()) == 3


class TestFullPage:
    def test_says_what_is_wrong_and_what_to_do(self) -> None:
        page = limits.full_page(limits.KernelLimits(max_pages=3, idle_minutes=20), 3, "/?area=E06000045")
        assert "<h1>Too many pages are open</h1>" in page
        assert "at most 3 product pages at once" in page and "3 are open now" in page
        assert "close the tab of a product page you are not using" in page
        assert "left unused for 20 minutes is also closed" in page
        assert 'href="/?area=E06000045"' in page and "Nothing is lost" in page
        assert 'href="/voila/templates/jointwork/static/start.css"' in page

    def test_one_page(self) -> None:
        page = limits.full_page(limits.KernelLimits(max_pages=1, idle_minutes=0), 1, "/")
        assert "at most 1 product page at once" in page and "1 is open now" in page and "unused for" not in page

    def test_the_link_back_is_escaped(self) -> None:
        page = limits.full_page(limits.KernelLimits(), 12, '/?area="><script>x</script>')
        assert "<script>" not in page


class TestCommandLine:
    def test_limits_reach_the_server(self, monkeypatch: pytest.MonkeyPatch, workspace: Any) -> None:
        calls: list[dict[str, Any]] = []
        monkeypatch.setattr(server, "serve", lambda *a, **k: calls.append(k))
        argv = ["app", "--no-browser", "--workspace", str(workspace), "--max-pages", "4", "--idle-minutes", "0"]
        assert main(argv) == 0
        assert calls[0]["limits"] == limits.KernelLimits(max_pages=4, idle_minutes=0)

    def test_bad_limit_is_an_error_message(self, capsys: pytest.CaptureFixture[str], workspace: Any) -> None:
        assert main(["app", "--no-browser", "--workspace", str(workspace), "--max-pages", "0"]) == 1
        assert "--max-pages: expected a whole number of pages of 1 or more, got 0" in capsys.readouterr().err
