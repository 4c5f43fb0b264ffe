"""IBM i SQL and CL that produce the IBM i CSV exports (see docs/formats.md, "IBM i exports").

`files()` lists them so `hatoolkit` can copy them out for an administrator.
"""

from __future__ import annotations

from importlib import resources


def files() -> list[str]:
    """Names of the shipped SQL/CL sources, in the order an administrator uses them."""
    order = ["setup.sql", "HATKSAV.clp", "HATKRST.clp", "HATKEXP.clp", "partition.sql", "nwsds.sql",
             "storage_spaces.sql", "save_history.sql", "interfaces.sql", "lines.sql", "asps.sql", "disk_units.sql"]
    present = {p.name for p in resources.files(__name__).iterdir()}
    return [name for name in order if name in present]


def text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")
