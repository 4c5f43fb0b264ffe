"""Ingest throughput: 100,000 `attr=value` records into the validated frame, against read_csv.

The records are the virtual Ethernet adapters of a large synthetic estate (rows with and without
`trunk_priority`, some quoted VLAN lists), so the parser meets the heterogeneous layouts of real
captures. The baseline is pandas' C tokenizer on the same bytes (`header=None, dtype=str`, with
`names=` wide enough for the longest row, or it refuses ragged rows): the floor any parser
built on it can reach.
"""

from __future__ import annotations

import io
import statistics
import time

import pandas as pd

from hatoolkit.ingest.capture import Section
from hatoolkit.ingest.hmc_cli import Pending
from hatoolkit.ingest.hmc_parse import parse_kind
from hatoolkit.ingest.records import format_record
from hatoolkit.model import frames as fr
from hatoolkit.model.hmc import VirtualEth
from hatoolkit.synth import fleet
from hatoolkit.synth.hmc_records import veth_records

RECORDS = 100_000


def veth_text(n: int = RECORDS) -> str:
    estate = fleet(300, seed=5, lpars_per_system=60)
    records = [r for s in estate.systems for lp in s.lpars for r in veth_records(lp)]
    while len(records) < n:
        records += records
    return "\n".join(format_record(r) for r in records[:n]) + "\n"


def ingest(text: str) -> pd.DataFrame:
    """What the loader does for one big `lshwres -r virtualio --rsubtype eth` capture."""
    section = Section("bench/veth.txt", "lshwres -r virtualio --rsubtype eth --level lpar -m S", text, 2)
    batch = parse_kind("veth", [Pending(section, "veth", "S", section.command)])
    frame = batch.frame.drop(columns=["_item"])
    return fr.validate(VirtualEth, fr.conform(VirtualEth, frame))


def baseline(data: bytes, width: int) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), header=None, dtype=str, names=range(width))


def measure(repeats: int = 7) -> dict[str, float]:
    text = veth_text()
    data = text.encode()
    width = max(line.count(",") for line in text.splitlines()) + 1
    assert len(ingest(text)) == RECORDS  # warm-up, and the work is real
    ours, floor = [], []
    for _ in range(repeats):  # interleaved, so both see the same machine load
        t = time.perf_counter()
        baseline(data, width)
        floor.append(time.perf_counter() - t)
        t = time.perf_counter()
        ingest(text)
        ours.append(time.perf_counter() - t)
    ratio = statistics.median(o / f for o, f in zip(ours, floor, strict=True))
    return {
        "ingest_vs_read_csv": ratio,
        "ingest_records_per_s": RECORDS / statistics.median(ours),
        "read_csv_100k_s": statistics.median(floor),
    }
