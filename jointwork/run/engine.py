"""A papermill engine that reuses one warm kernel per process and resets it between notebooks.

Starting a kernel and importing pandas, ipywidgets and the library costs seconds; running a
product notebook takes milliseconds. :class:`WarmKernelEngine` (registered with papermill as
``jointwork_warm``) keeps one kernel per worker process and, before each notebook, resets it:

* ``get_ipython().reset(new_session=True)``: every user variable goes, the execution count
  starts again at 1 (so executed notebooks match a fresh kernel's);
* the working directory, ``sys.path``, ``os.environ``, the warnings filters (and their
  "shown once" registries) and pandas options go back to what they were when the kernel started;
* widgets are closed and matplotlib figures (if pyplot was imported) are closed.

Imported modules stay imported: that is the point. Two costs of ipykernel's per cell are cut, with the
outputs unchanged (the tests compare them with a fresh kernel's): its output streams return from
``flush()`` at once when nothing is buffered (ipykernel waits for a round trip through its I/O thread,
several times per cell, even with nothing to send), and replies are sent without ipykernel's pause.

Guards:

* a kernel that is dead, or whose reset fails or leaves any variable behind, is replaced by a
  fresh kernel before the notebook runs;
* a kernel that dies while running a notebook is replaced, and the notebook is run again once on
  the fresh kernel if the kernel had run earlier notebooks (a fresh kernel's death is the
  notebook's own failure, reported as such);
* ``notebook_timeout`` bounds the whole notebook (``execution_timeout`` still bounds each cell);
  a timed-out kernel is replaced.

Failures of either kind are recorded as an error output on the cell concerned, so papermill
raises its usual :class:`papermill.exceptions.PapermillExecutionError` naming the cell.

Use it through papermill::

    papermill.execute_notebook(src, dst, parameters=..., engine_name="jointwork_warm")

Per-cell saves of the output notebook are skipped (papermill writes the result once at the end);
pass ``save_each_cell=True`` to keep them.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Sequence
from typing import Any


def __getattr__(name: str) -> Any:
    # Importing papermill loads its engines' entry points, this module's among them. When this
    # module is imported first, papermill asks for the engine while this module is still being
    # imported: define the classes on demand then (papermill.engines already has Engine by then).
    if name in {"WarmKernelEngine", "WarmNotebookClient"}:
        _define_engine()
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Modules imported in a new kernel before its first notebook (absent ones are ignored).
DEFAULT_PRELOAD: tuple[str, ...] = (
    "jointwork",
    "jointwork.session",
    "jointwork.products",
    "jointwork.render.charts",
    "pandas",
    "ipywidgets",
    "IPython.display",
)

#: Command-line options of a warm kernel: the same history setting as nbclient gives a fresh kernel (no
#: history file on disk), and no pause of half a millisecond before each reply (ipykernel's
#: ``_execute_sleep``, a guard for clients that read the reply before the outputs: nbclient reads the
#: outputs until the kernel says it is idle, so it never needs it).
KERNEL_ARGUMENTS: tuple[str, ...] = ("--HistoryManager.hist_file=:memory:", "--IPythonKernel._execute_sleep=0")

# Runs once in a new kernel, as a private module (``_jointwork_warm``) that user code never sees.
_KERNEL_MODULE = r"""
import gc, os, sys, warnings

_state = {}


def _ip():
    from IPython import get_ipython
    return get_ipython()


def _flush_only_when_needed():
    # ipykernel's output streams wait for a round trip through the I/O thread on every flush,
    # several times per cell, even with nothing written: return at once when nothing is buffered.
    try:
        from ipykernel.iostream import OutStream
    except Exception:
        return
    original = OutStream.flush
    if getattr(original, "jointwork_warm", False):
        return

    def flush(self):
        if getattr(self, "echo", None) is None and not getattr(self, "_buffers", True):
            return
        original(self)

    flush.jointwork_warm = True
    OutStream.flush = flush


def snapshot(preload):
    import importlib
    _flush_only_when_needed()
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:
            pass
    ip = _ip()
    ip.reset(new_session=True)
    _state["path"] = list(sys.path)
    _state["environ"] = dict(os.environ)
    _state["filters"] = list(warnings.filters)
    _state["names"] = set(ip.user_ns)
    _state["pid"] = os.getpid()
    gc.collect()
    gc.freeze()  # the preloaded modules are never garbage: keep them out of every later collection
    return os.getpid()


def _reset_pandas_options(pd):
    # Only options that differ from their registered default (resetting every option would
    # touch ones, such as plotting.backend, whose validation imports optional packages).
    try:
        registered = pd._config.config._registered_options
    except AttributeError:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for key, option in registered.items():
            try:
                if pd.get_option(key) != option.defval:
                    pd.set_option(key, option.defval)
            except Exception:
                pass


def reset(cwd):
    if "ipywidgets" in sys.modules:
        try:
            sys.modules["ipywidgets"].Widget.close_all()
        except Exception:
            pass
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    ip = _ip()
    ip.reset(new_session=True)
    sys.path[:] = _state["path"]
    if dict(os.environ) != _state["environ"]:
        os.environ.clear()
        os.environ.update(_state["environ"])
    warnings.filters[:] = _state["filters"]
    warnings._filters_mutated()
    if "pandas" in sys.modules:
        _reset_pandas_options(sys.modules["pandas"])
    os.chdir(cwd)
    gc.freeze()  # what survived the reset's collection is not scanned again by the next one
    left = sorted(set(ip.user_ns) - _state["names"])
    if left:
        raise RuntimeError("names left after reset: " + ", ".join(left))
    if ip.execution_count != 1:
        raise RuntimeError("execution count not reset")
    return "reset"
"""

_INSTALL = (
    "(lambda s, m: (s.modules.__setitem__('_jointwork_warm', m), "
    "exec(compile({src!r}, '<jointwork-warm>', 'exec'), m.__dict__)))"
    "(__import__('sys'), __import__('types').ModuleType('_jointwork_warm'))"
)
_SNAPSHOT = "__import__('sys').modules['_jointwork_warm'].snapshot({preload!r})"
_RESET = "__import__('sys').modules['_jointwork_warm'].reset({cwd!r})"


class KernelProblem(RuntimeError):
    """A kernel that could not be started, set up or reset."""


class WarmKernel:
    """One long-lived kernel: start, reset between notebooks, replace when it misbehaves."""

    def __init__(
        self,
        kernel_name: str = "python3",
        preload: Sequence[str] = DEFAULT_PRELOAD,
        startup_timeout: float = 60,
        reset_timeout: float = 60,
    ) -> None:
        self.kernel_name = kernel_name
        self.preload = tuple(preload)
        self.startup_timeout = startup_timeout
        self.reset_timeout = reset_timeout
        self.km: Any = None
        self.kc: Any = None
        self.pid: int | None = None
        self.notebooks_run = 0
        self.kernels_started = 0
        self.language_info: dict[str, Any] | None = None

    # ---- life cycle ------------------------------------------------------------------------
    def start(self, cwd: str | None = None) -> None:
        """Start a new kernel (replacing any running one), install the reset helper and preload the modules."""
        from jupyter_client.manager import AsyncKernelManager

        self.shutdown()
        self.km = AsyncKernelManager(kernel_name=self.kernel_name)
        _wait(self.km.start_kernel(extra_arguments=list(KERNEL_ARGUMENTS), cwd=cwd or os.getcwd()))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            _wait(self.kc.wait_for_ready(timeout=self.startup_timeout))
            self.language_info = None
            self._run(_INSTALL.format(src=_KERNEL_MODULE), self.startup_timeout)
            pid = self._run(_SNAPSHOT.format(preload=list(self.preload)), self.startup_timeout, want_result=True)
            self.pid = int(pid) if pid and pid.isdigit() else None
        except BaseException:
            self.shutdown()
            raise
        self.notebooks_run = 0
        self.kernels_started += 1

    def alive(self) -> bool:
        """Whether the kernel is running."""
        if self.km is None or self.kc is None:
            return False
        try:
            return bool(_wait(self.km.is_alive()))
        except Exception:
            return False

    def shutdown(self) -> None:
        """Stop the kernel and its channels (quietly: it may already be gone)."""
        kc, km = self.kc, self.km
        self.kc = self.km = None
        self.pid = None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:
                pass
        if km is not None:
            try:
                _wait(km.shutdown_kernel(now=True))
            except Exception:
                pass
            try:
                _wait(km.cleanup_resources())
            except Exception:
                pass

    def prepare(self, cwd: str) -> None:
        """Make the kernel ready for a notebook: reset it, or replace it with a fresh one."""
        if self.alive():
            try:
                self._run(_RESET.format(cwd=cwd), self.reset_timeout)
                return
            except KernelProblem:
                pass
        self.start(cwd)
        self._run(_RESET.format(cwd=cwd), self.reset_timeout)

    # ---- talking to the kernel -------------------------------------------------------------
    def _run(self, code: str, timeout: float, want_result: bool = False) -> str | None:
        """Run code silently (no history, no execution count); raise KernelProblem unless it succeeds."""
        from nbclient.util import run_sync

        return run_sync(self._arun)(code, timeout, want_result)

    async def _arun(self, code: str, timeout: float, want_result: bool) -> str | None:
        from queue import Empty

        from nbclient.util import ensure_async

        kc = self.kc
        if kc is None:
            raise KernelProblem("no kernel")
        if want_result:
            msg_id = kc.execute("", silent=True, store_history=False, allow_stdin=False, user_expressions={"r": code})
        else:
            msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise KernelProblem(f"no reply within {timeout:.0f} s")
            try:
                msg = await kc.get_shell_msg(timeout=min(remaining, 1.0))
            except Empty:
                if not await ensure_async(kc.is_alive()):
                    raise KernelProblem("the kernel died") from None
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            content = msg["content"]
            if content.get("status") != "ok":
                raise KernelProblem(f"{content.get('ename')}: {content.get('evalue')}")
            if not want_result:
                return None
            result = content.get("user_expressions", {}).get("r", {})
            if result.get("status") != "ok":
                raise KernelProblem(f"{result.get('ename')}: {result.get('evalue')}")
            return str(result.get("data", {}).get("text/plain", "")).strip("'\"")


def _wait(value: Any) -> Any:
    """The result of a call to a kernel manager or client method, awaited if it is a coroutine."""
    import inspect

    if not inspect.isawaitable(value):
        return value
    from nbclient.util import run_sync

    async def wait() -> Any:
        return await value

    return run_sync(wait)()


# ---- one pool of warm kernels per process ---------------------------------------------------
_KERNELS: dict[tuple[str, tuple[str, ...]], WarmKernel] = {}
_KERNELS_PID = os.getpid()
_LOCK = threading.Lock()


def _forget_after_fork() -> None:
    # A forked child must never talk to its parent's kernels.
    global _KERNELS, _KERNELS_PID
    _KERNELS = {}
    _KERNELS_PID = os.getpid()


os.register_at_fork(after_in_child=_forget_after_fork)


def warm_kernel(kernel_name: str = "python3", preload: Sequence[str] = DEFAULT_PRELOAD) -> WarmKernel:
    """This process's warm kernel for ``kernel_name`` (created on first use, not yet started)."""
    key = (kernel_name, tuple(preload))
    with _LOCK:
        if key not in _KERNELS:
            _KERNELS[key] = WarmKernel(kernel_name, preload)
        return _KERNELS[key]


def start_warm_kernel(kernel_name: str = "python3", preload: Sequence[str] = DEFAULT_PRELOAD) -> WarmKernel:
    """Start this process's warm kernel now (e.g. in a worker's initializer) so it is ready when needed."""
    kernel = warm_kernel(kernel_name, preload)
    if not kernel.alive():
        kernel.start()
    return kernel


def shutdown_warm_kernels() -> None:
    """Shut down every warm kernel this process started."""
    if os.getpid() != _KERNELS_PID:
        return
    for kernel in list(_KERNELS.values()):
        kernel.shutdown()
    _KERNELS.clear()


atexit.register(shutdown_warm_kernels)


# ---- the papermill engine -------------------------------------------------------------------
def _error_output(ename: str, evalue: str) -> Any:
    import nbformat

    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


def _define_engine() -> None:
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import Engine
    from papermill.utils import merge_kwargs, remove_args

    if "WarmKernelEngine" in globals():  # defined meanwhile, while papermill loaded its entry points
        return

    class WarmNotebookClient(PapermillNotebookClient):
        """papermill's client on a kernel it does not own, with a deadline for the whole notebook."""

        def __init__(self, nb_man: Any, warm: WarmKernel, notebook_timeout: float | None = None, **kw: Any) -> None:
            super().__init__(nb_man, km=warm.km, **kw)
            self.kc = warm.kc
            self.warm = warm
            self.deadline = time.monotonic() + notebook_timeout if notebook_timeout else None
            self.notebook_timeout = notebook_timeout
            self.kernel_failure: BaseException | None = None

        def _get_timeout(self, cell: Any) -> int | None:
            timeout = super()._get_timeout(cell)
            if self.deadline is None:
                return timeout
            remaining = max(1, int(self.deadline - time.monotonic() + 0.999))
            return remaining if timeout is None else min(timeout, remaining)

        def papermill_execute_cells(self) -> None:
            """papermill's cell loop, with the notebook's deadline and kernel deaths recorded on the cell."""
            from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

            for index, cell in enumerate(self.nb.cells):
                try:
                    self.nb_man.cell_start(cell, index)
                    if self.deadline is not None and time.monotonic() > self.deadline and cell.cell_type == "code":
                        raise CellTimeoutError(f"notebook timed out after {self.notebook_timeout} s")
                    self.execute_cell(cell, index)
                except CellExecutionError as ex:
                    self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                    break
                except (CellTimeoutError, TimeoutError) as ex:
                    limit = (
                        f"{self.notebook_timeout:g} s for the notebook" if self.notebook_timeout else "the time limit"
                    )
                    self.nb.cells[index].outputs.append(
                        _error_output("TimeoutError", f"cell did not finish within {limit}")
                    )
                    self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                    self.kernel_failure = ex
                    break
                except DeadKernelError as ex:
                    self.kernel_failure = ex
                    self.nb_man.cell_exception(self.nb.cells[index], cell_index=index, exception=ex)
                    break
                finally:
                    self.nb_man.cell_complete(self.nb.cells[index], cell_index=index)

        def execute(self, **kwargs: Any) -> Any:
            """Run every cell on the warm kernel (which this client neither starts nor stops)."""
            self.reset_execution_trackers()
            self.papermill_execute_cells()
            if self.kernel_failure is None:
                if self.warm.language_info is None:
                    info = self.wait_for_reply(self.kc.kernel_info())
                    self.warm.language_info = info["content"]["language_info"]
                self.nb.metadata["language_info"] = self.warm.language_info
                self.set_widgets_metadata()
            return self.nb

    class WarmKernelEngine(Engine):
        """papermill engine ``jointwork_warm``: one warm kernel per process, reset between notebooks."""

        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: str | None = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            save_each_cell: bool = False,
            **kwargs: Any,
        ) -> Any:
            """papermill's entry point, without a save of the output notebook after every cell."""
            return super().execute_notebook(
                nb,
                kernel_name,
                output_path=output_path if save_each_cell else None,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
                **kwargs,
            )

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: float = 60,
            execution_timeout: float | None = None,
            notebook_timeout: float | None = None,
            preload: Sequence[str] = DEFAULT_PRELOAD,
            **kwargs: Any,
        ) -> Any:
            """Run the notebook on this process's warm kernel: reset it first, replace it when it misbehaves."""
            kwargs = remove_args(["input_path", "timeout", "startup_timeout", "cwd"], **kwargs)
            final_kwargs = merge_kwargs(
                kwargs,
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=_logger(),
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            warm = warm_kernel(kernel_name, preload)
            warm.startup_timeout = start_timeout
            cwd = os.getcwd()
            for attempt in (1, 2):
                reused = warm.alive() and warm.notebooks_run > 0
                try:
                    warm.prepare(cwd)
                except KernelProblem as exc:
                    warm.shutdown()
                    cell = next((c for c in nb_man.nb.cells if c.cell_type == "code"), None)
                    if cell is None:
                        raise
                    cell.outputs.append(_error_output("KernelProblem", f"could not start a kernel: {exc}"))
                    nb_man.cell_exception(cell)
                    return nb_man.nb
                client = WarmNotebookClient(nb_man, warm, notebook_timeout=notebook_timeout, **final_kwargs)
                warm.notebooks_run += 1
                client.execute()
                failure = client.kernel_failure
                if failure is None:
                    return nb_man.nb
                warm.shutdown()  # dead or still busy: the next notebook gets a fresh kernel
                from nbclient.exceptions import DeadKernelError

                if isinstance(failure, DeadKernelError):
                    if attempt == 1 and reused:
                        nb_man.notebook_start()  # clear outputs and metadata, then run it again on a fresh kernel
                        continue
                    failed = next(
                        c for c in nb_man.nb.cells if c.metadata.get("papermill", {}).get("status") == nb_man.FAILED
                    )
                    failed.outputs.append(_error_output("DeadKernelError", "the kernel died while running this cell"))
                return nb_man.nb
            return nb_man.nb

    for cls in (WarmNotebookClient, WarmKernelEngine):
        cls.__qualname__ = cls.__name__
        globals()[cls.__name__] = cls


def _logger() -> Any:
    from papermill.log import logger

    return logger


_define_engine()
