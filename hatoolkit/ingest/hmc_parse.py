"""Parse and type HMC captures in batches: every section of one kind in the bundle at once.

Per-section parsing pays pandas' fixed costs thousands of times on a large estate; here the
sections of one kind are concatenated, parsed by the vectorised record parser once, typed once,
and every row and problem is mapped back to its section (file, line, managed system) by
position. A section with an unbalanced quote is parsed alone, so a cut-off value can never
swallow the next section's lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from hatoolkit.ingest import values as conv
from hatoolkit.ingest.capture import Section
from hatoolkit.ingest.delimited import delimited_frame, delimited_rows
from hatoolkit.ingest.hmc_cli import Pending, recognise
from hatoolkit.ingest.hmc_specs import SPECS
from hatoolkit.ingest.records import Problem, RawRecords, parse_attr_records


@dataclass
class Batch:
    """Typed rows of one kind (`_item` = index of the section each row came from) and problems."""

    kind: str
    frame: pd.DataFrame
    problems: list[tuple[int, Problem]] = field(default_factory=list)
    records: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # rows per item


def _strings(values: list[str], index: np.ndarray) -> pd.Series:
    return pd.Series(pd.array(pa.array(values, type=pa.string()).take(pa.array(index)),
                              dtype=pd.StringDtype("pyarrow", na_value=np.nan)))


def _source(files: list[str], item: np.ndarray, lines: np.ndarray) -> pd.Series:
    """`file:line` for every row, vectorised."""
    names = pa.array(files, type=pa.string()).take(pa.array(item))
    numbers = pa.array(lines, type=pa.int64()).cast(pa.string())
    joined = pc.binary_join_element_wise(names, numbers, pa.scalar(":"))
    return pd.Series(pd.array(joined, dtype=pd.StringDtype("pyarrow", na_value=np.nan)))


def _raw_attr(items: list[Pending]) -> tuple[RawRecords, np.ndarray, list[tuple[int, Problem]]]:
    """Parse attr=value sections together; returns raw rows, their item index, mapped problems."""
    odd = [p.section.text.count('"') % 2 for p in items]
    together = [i for i, p in enumerate(items) if not odd[i]]
    alone = [i for i, p in enumerate(items) if odd[i]]
    frames: list[pd.DataFrame] = []
    line_parts: list[np.ndarray] = []
    item_parts: list[np.ndarray] = []
    problems: list[tuple[int, Problem]] = []
    if len(together) == 1:  # one section: parse it where it is (no copy of a large capture)
        alone, together = together + alone, []
    if together:
        texts = [items[i].section.text if items[i].section.text.endswith("\n") else items[i].section.text + "\n"
                 for i in together]
        sizes = np.array([t.count("\n") for t in texts], dtype=np.int64)
        firsts = np.concatenate(([1], 1 + np.cumsum(sizes)[:-1]))  # global first line of each section
        raw = parse_attr_records("".join(texts), first_line=1)
        pos = np.searchsorted(firsts, raw.lines, side="right") - 1
        offsets = np.array([items[i].section.first_line for i in together], dtype=np.int64) - firsts
        frames.append(raw.frame)
        line_parts.append(raw.lines + offsets[pos])
        item_parts.append(np.asarray(together, dtype=np.int64)[pos])
        for problem in raw.problems:
            k = int(np.searchsorted(firsts, problem.line, side="right") - 1)
            problems.append((together[k], Problem(int(problem.line + offsets[k]), problem.code, problem.text)))
    for i in alone:
        raw = parse_attr_records(items[i].section.text, items[i].section.first_line)
        frames.append(raw.frame)
        line_parts.append(raw.lines)
        item_parts.append(np.full(len(raw.lines), i, dtype=np.int64))
        problems.extend((i, p) for p in raw.problems)
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    return RawRecords(frame, np.concatenate(line_parts)), np.concatenate(item_parts), problems


def _raw_delimited(items: list[Pending]) -> tuple[RawRecords, np.ndarray, list[tuple[int, Problem]]]:
    """`-F` sections: value lists gathered per attribute list, one frame per distinct list."""
    groups: dict[tuple[str, ...], tuple[list[list[str]], list[int], list[int]]] = {}
    problems: list[tuple[int, Problem]] = []
    for i, p in enumerate(items):
        got = delimited_rows(p.section.text, list(p.fields or ()), p.delimiter, header=p.header,
                             first_line=p.section.first_line)
        problems.extend((i, q) for q in got.problems)
        if got.names and got.rows:
            rows, lines, owner = groups.setdefault(tuple(got.names), ([], [], []))
            rows.extend(got.rows)
            lines.extend(got.lines)
            owner.extend([i] * len(got.rows))
    if not groups:
        empty = np.zeros(0, dtype=np.int64)
        return RawRecords(pd.DataFrame(index=pd.RangeIndex(0)), empty), empty, problems
    frames = [delimited_frame(list(names), rows) for names, (rows, _, _) in groups.items()]
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    lines = np.concatenate([np.asarray(lines, dtype=np.int64) for _, lines, _ in groups.values()])
    owner = np.concatenate([np.asarray(owner, dtype=np.int64) for _, _, owner in groups.values()])
    return RawRecords(frame, lines), owner, problems


def parse_kind(kind: str, items: list[Pending]) -> Batch:
    """Every section of one kind -> typed rows with `system`, `source` and `_item` columns."""
    attr_items = [p for p in items if p.fields is None]
    delim_items = [p for p in items if p.fields is not None]
    parts: list[tuple[RawRecords, np.ndarray, list[tuple[int, Problem]]]] = []
    order = attr_items + delim_items
    if attr_items:
        parts.append(_raw_attr(attr_items))
    if delim_items:
        raw, item, problems = _raw_delimited(delim_items)
        shift = len(attr_items)
        parts.append((raw, item + shift, [(i + shift, q) for i, q in problems]))
    frame = pd.concat([r.frame for r, _, _ in parts], ignore_index=True) if len(parts) > 1 else parts[0][0].frame
    lines = np.concatenate([r.lines for r, _, _ in parts])
    item = np.concatenate([i for _, i, _ in parts])
    problems = [pb for _, _, pbs in parts for pb in pbs]
    typed, bad = typed_frame(kind, RawRecords(frame, lines))
    problems += [(int(item[row]), Problem(int(lines[row]), "bad_value", text)) for row, text in bad]
    files = [p.file for p in order]
    typed["source"] = _source(files, item, lines)
    systems = [p.system if p.system is not None else "" for p in order]
    system = _strings(systems, item)
    system = system.where(system != "")
    # `lssyscfg -r sys` rows name their own system; the section's `-m` only fills a missing name.
    typed["system"] = typed["system"].fillna(system) if "system" in typed.columns else system
    typed["_item"] = item
    # Map back to the caller's item order.
    index_of = {id(p): k for k, p in enumerate(items)}
    remap = np.array([index_of[id(p)] for p in order], dtype=np.int64)
    typed["_item"] = remap[item] if len(item) else item
    records = np.bincount(typed["_item"].to_numpy(), minlength=len(items)) if len(items) else np.zeros(0, np.int64)
    return Batch(kind, typed, [(int(remap[i]), q) for i, q in problems], records)


def typed_frame(kind: str, raw: RawRecords) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
    """Raw strings -> the kind's typed columns; (row, message) for every unparseable value."""
    spec = SPECS[kind]
    out: dict[str, pd.Series] = {}
    bad_values: list[tuple[int, str]] = []
    for attr, target in spec.items():
        if attr not in raw.frame.columns or target.column in out:
            continue
        parsed = conv.CONVERTERS[target.kind](raw.frame[attr])
        out[target.column] = parsed.values.reset_index(drop=True)
        for i in np.flatnonzero(parsed.bad):
            bad_values.append((int(i), f"{attr}={raw.frame[attr].iat[i]!r} is not a valid {target.kind}"))
    return pd.DataFrame(out, index=pd.RangeIndex(len(raw.frame))), bad_values


def read_section(section: Section, folder_system: str | None = None) -> tuple[Pending, Batch | None]:
    """Recognise and parse one section on its own (for tools and tests; the loader batches)."""
    pending = recognise(section, folder_system)
    if pending.kind not in SPECS:
        return pending, None
    return pending, parse_kind(pending.kind, [pending])  # type: ignore[arg-type]
