"""The kernel clients of the audit's warm pool: who may talk to a kernel that outlives one notebook.

Split from `execution` (which runs the pool) because both classes work around jupyter_client
behaviour, not the audit's: clients left open by papermill, and the iopub flush and shared
routing identity that made a reset between notebooks cost ~0.3 s.
"""

from __future__ import annotations

import time
from typing import Any

from jupyter_client import KernelManager

KERNEL_START_TIMEOUT_S = 120
RESET_CODE = "get_ipython().reset(new_session=True)"


class PoolKernelManager(KernelManager):
    """A kernel manager that remembers its clients: papermill (nbclient) leaves the channels of a
    client it made for a kernel it does not own open; the pool closes them after each notebook."""

    def client(self, **kwargs: Any) -> Any:
        kc = super().client(**kwargs)
        self.__dict__.setdefault("_pool_clients", []).append(kc)
        return kc

    def close_clients(self) -> None:
        for kc in self.__dict__.pop("_pool_clients", []):
            if kc.channels_running:
                kc.stop_channels()


class ShellReset:
    """Clears a warm kernel's namespace between notebooks, over one shell-only client of its own.

    The kernel is known to be up, so no `wait_for_ready` (its iopub flush alone waits 0.2 s) and
    no iopub subscription (the reset prints nothing, and papermill's output is not ours to read):
    the execute reply says it is done. `send` right after a notebook ran, `wait` before the next,
    so the reset overlaps rendering the page. The first reset clears the warm-up's names.
    """

    def __init__(self, km: KernelManager) -> None:
        from jupyter_client.session import Session

        # Its own session: clients of one manager share the session id, which is their shell socket's
        # routing identity, so papermill's client would receive this one's replies. Not one of the
        # pool's per-notebook clients either (those are closed after each notebook).
        session = Session(key=km.session.key, signature_scheme=km.session.signature_scheme)
        self.kc = KernelManager.client(km, session=session)
        self.kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self.msg_id: str | None = None
        self.send()

    def send(self) -> None:
        self.msg_id = self.kc.execute(RESET_CODE, silent=True, store_history=False)

    def wait(self) -> None:
        deadline = time.monotonic() + KERNEL_START_TIMEOUT_S
        while True:  # raises queue.Empty at the deadline: a failed audit, naming the kernel
            reply = self.kc.get_shell_msg(timeout=max(deadline - time.monotonic(), 0.01))
            if reply["parent_header"].get("msg_id") == self.msg_id:
                break
        if reply["content"]["status"] != "ok":
            content = reply["content"]
            raise RuntimeError(f"resetting the kernel: {content.get('ename')}: {content.get('evalue')}")
