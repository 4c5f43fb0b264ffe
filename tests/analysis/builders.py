"""Small hand-made inventories for capacity tests: every number is visible in the test that uses it.

Frames go through the real schemas (`Inventory.build`), with each column cast to the schema's
dtype here, so a test states values, not dtypes.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from hatoolkit.model.inventory import FRAME_MODELS, Inventory


def _frame(name: str, rows: list[dict[str, Any]]) -> pd.DataFrame:
    schema = FRAME_MODELS[name].to_schema()
    data = {}
    for col in {k for r in rows for k in r}:
        values = [r.get(col) for r in rows]
        dtype = str(schema.columns[col].dtype)
        data[col] = pd.Series(values, dtype=object) if dtype == "object" else pd.Series(values, dtype=dtype)
    return pd.DataFrame(data)


def system(name: str, *, model: str = "9009-42A", cores: float = 16, installed: float | None = None,
           avail: float | None = 8.0, mem_gb: int = 512, avail_mem_mb: int | None = 262144,
           installed_mem_gb: int | None = None, lmb: int | None = 256, **extra: Any) -> dict[str, Any]:
    row = {"system": name, "type_model": model, "state": "Operating",
           "configurable_sys_proc_units": float(cores), "installed_sys_proc_units": float(installed or cores),
           "curr_avail_sys_proc_units": avail, "configurable_sys_mem_mb": mem_gb * 1024,
           "installed_sys_mem_mb": (installed_mem_gb or mem_gb) * 1024, "curr_avail_sys_mem_mb": avail_mem_mb,
           "mem_region_size_mb": lmb}
    row.update(extra)
    return row


def lpar(sys_name: str, lpar_id: int, name: str, *, env: str = "aixlinux", state: str = "Running",
         mode: str = "shared", units: float = 1.0, procs: int | None = None, min_units: float | None = None,
         mem_mb: int = 8192, min_mem_mb: int | None = None, max_mem_mb: int | None = None, pool_id: int = 0,
         hpt: int | None = None, **extra: Any) -> dict[str, Any]:
    running = state == "Running"
    row: dict[str, Any] = {"system": sys_name, "lpar_id": lpar_id, "name": name, "lpar_env": env, "state": state,
                           "curr_proc_mode": mode, "curr_profile": "normal"}
    if running:
        if mode == "shared":
            row.update(curr_proc_units=float(units), curr_procs=procs or max(1, round(units * 2)),
                       curr_min_proc_units=float(min_units if min_units is not None else units / 4),
                       curr_min_procs=1, curr_shared_proc_pool_id=pool_id)
        else:
            row.update(curr_procs=int(units), curr_min_procs=int(min_units if min_units is not None else 1))
        row.update(curr_mem_mb=mem_mb, curr_min_mem_mb=min_mem_mb if min_mem_mb is not None else mem_mb // 4,
                   curr_max_mem_mb=max_mem_mb if max_mem_mb is not None else mem_mb * 2)
        if hpt is not None:
            row["curr_hpt_ratio"] = hpt
    row.update(extra)
    return row


def profile(sys_name: str, lpar_id: int, name: str, *, mode: str = "shared", units: float = 1.0,
            min_units: float = 0.1, mem_mb: int = 8192, min_mem_mb: int = 2048, max_mem_mb: int = 16384,
            pool_id: int = 0, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"system": sys_name, "lpar_id": lpar_id, "lpar_name": name, "profile": "normal",
                           "proc_mode": mode, "desired_mem_mb": mem_mb, "min_mem_mb": min_mem_mb,
                           "max_mem_mb": max_mem_mb}
    if mode == "shared":
        row.update(desired_proc_units=float(units), min_proc_units=float(min_units), desired_procs=1, min_procs=1,
                   shared_proc_pool_id=pool_id)
    else:
        row.update(desired_procs=int(units), min_procs=int(min_units))
    row.update(extra)
    return row


def pool(sys_name: str, pool_id: int, name: str, max_units: float | None, reserved: float = 0.0) -> dict[str, Any]:
    return {"system": sys_name, "shared_proc_pool_id": pool_id, "name": name, "max_pool_proc_units": max_units,
            "curr_reserved_pool_proc_units": reserved}


def build(systems: list[dict], lpars: list[dict], *, pools: list[dict] = (), profiles: list[dict] = (),
          vscsi: list[dict] = ()) -> Inventory:
    frames = {"systems": _frame("systems", systems), "partitions": _frame("partitions", lpars)}
    pool_rows = list(pools) or [pool(s["system"], 0, "DefaultPool", None) for s in systems]
    frames["proc_pools"] = _frame("proc_pools", pool_rows)
    if profiles:
        frames["profiles"] = _frame("profiles", list(profiles))
    if vscsi:
        frames["virtual_scsi"] = _frame("virtual_scsi", list(vscsi))
    return Inventory.build(frames)
