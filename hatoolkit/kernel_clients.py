"""The one client each warm kernel of the audit's pool is driven by, from warm-up to the last notebook.

papermill (nbclient) makes a new client for every notebook and waits for it to be ready, and
jupyter_client's readiness check ends by waiting 0.2 s for iopub to fall quiet; a reset between
notebooks through yet another client cost as much again. With one kernel running six notebooks
one after the other that was ~1 s of every audit spent waiting. Here a kernel gets one client,
made ready once; a papermill engine hands it to nbclient (which then makes none of its own), and
resets go over it too.
"""

from __future__ import annotations

import time
from typing import Any

from jupyter_client import KernelManager

KERNEL_START_TIMEOUT_S = 120
RESET_CODE = "get_ipython().reset(new_session=True)"
ENGINE = "hatoolkit-warm-client"


class WarmClient:
    """A kernel's client, ready once: `run` code (warm-up), `send`/`wait` a reset, `kc` for papermill."""

    def __init__(self, km: KernelManager) -> None:
        self.kc = km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=KERNEL_START_TIMEOUT_S)
        self.kc.allow_stdin = False  # as nbclient sets on the clients it makes
        self.pending: str | None = None

    def run(self, code: str) -> None:
        reply = self.kc.execute_interactive(code, silent=True, store_history=False, timeout=KERNEL_START_TIMEOUT_S,
                                            output_hook=lambda msg: None)
        _check(reply)

    def send_reset(self) -> None:
        """Clear the namespace without waiting: the kernel works while the caller renders a page."""
        self.pending = self.kc.execute(RESET_CODE, silent=True, store_history=False)

    def wait_reset(self) -> None:
        """Wait for the reset sent last (nbclient would discard its reply while waiting for its own)."""
        if self.pending is None:
            return
        deadline = time.monotonic() + KERNEL_START_TIMEOUT_S
        while True:  # raises queue.Empty at the deadline: a failed audit, naming the kernel
            reply = self.kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
            if reply["parent_header"].get("msg_id") == self.pending:
                break
        self.pending = None
        _check(reply)

    def close(self) -> None:
        if self.kc.channels_running:
            self.kc.stop_channels()


def _check(reply: dict[str, Any]) -> None:
    if reply["content"]["status"] != "ok":
        content = reply["content"]
        raise RuntimeError(f"{content.get('ename')}: {content.get('evalue')}")


def register_engine() -> None:
    """papermill's nbclient engine, given the kernel's warm client (`kc=`) instead of making one."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class WarmClientEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, log_output: bool = False,
                                     stdout_file: Any = None, stderr_file: Any = None, start_timeout: int = 60,
                                     execution_timeout: int | None = None, kc: Any = None, **kwargs: Any) -> Any:
            # As NBClientEngine.execute_managed_notebook (papermill 2.7), plus the client.
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs, timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout, kernel_name=kernel_name, log=logger, log_output=log_output,
                stdout_file=stdout_file, stderr_file=stderr_file)
            client = PapermillNotebookClient(nb_man, **final_kwargs)
            client.kc = kc  # connected and ready: nbclient's setup_kernel makes a client only when this is None
            return client.execute()

    papermill_engines.register(ENGINE, WarmClientEngine)
