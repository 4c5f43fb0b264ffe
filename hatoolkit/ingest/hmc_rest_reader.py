"""The bundle loader's hooks for HMC REST XML: claim files by content, assemble once per bundle.

Any file that starts like an Atom feed/entry of the HMC REST API (or a bare UOM object) is
claimed, whatever its name (`.xml`, `.atom`, no extension). Files under `rest/<hmc>/` record the
HMC's name; otherwise the host in the feed's links names it. A document cut off mid-way keeps the
objects read before the break and reports the break as a gap with its line.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from hatoolkit.errors import IngestError
from hatoolkit.ingest import hmc_rest_assemble
from hatoolkit.ingest.rest_xml import FEED, RestObject, is_rest_file, iter_objects

if TYPE_CHECKING:
    from hatoolkit.ingest.bundle import LoadContext

PIECES = "hmc_rest"


def read_file(path: Path, rel: str, ctx: LoadContext) -> tuple[str, int, list[str]] | None:
    if path.suffix.lower() in (".xls", ".xlsx") or not is_rest_file(path):
        return None
    parts = rel.split("/")
    if parts[0] == "rest" and len(parts) >= 3:
        ctx.hmc_of[rel] = parts[1]
    objects: list[RestObject] = []
    try:
        for obj in iter_objects(path, rel):
            objects.append(obj)
    except IngestError as exc:
        ctx.gaps.add("truncated" if objects else "unreadable_file", exc.message, file=rel, line=exc.line)
    ctx.pieces[PIECES].extend(objects)
    kinds = Counter(o.kind for o in objects if o.kind != FEED)
    feeds = [o.feed_kind for o in objects if o.kind == FEED and o.feed_kind]
    return "hmc_rest", sum(kinds.values()), list(dict.fromkeys([*kinds, *feeds]))


def assemble(ctx: LoadContext) -> dict[str, pd.DataFrame]:
    objects = [p for p in ctx.pieces.get(PIECES, []) if isinstance(p, RestObject)]
    if not objects:
        return {}
    return hmc_rest_assemble.assemble(objects, ctx.gaps, ctx.hmc_of)
