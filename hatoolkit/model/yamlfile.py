"""Safe YAML with line numbers, for the analyst-written files (plan.yaml, waivers.yaml).

A mistake in a hand-written file must be reported as one line naming the file, the key and the
line, so values are loaded together with the line each key path was written on.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from hatoolkit.errors import PlanError


class Located:
    """Python data from YAML plus the line of every key path (`failover.pairs[0].backup`)."""

    def __init__(self, data: Any, lines: dict[str, int], file: str) -> None:
        self.data = data
        self.lines = lines
        self.file = file

    def error(self, path: str, message: str) -> PlanError:
        """A PlanError at the line of `path` (or of its nearest parent that has one)."""
        probe = path
        while probe and probe not in self.lines:
            probe = probe.rsplit(".", 1)[0] if "." in probe else (probe.rsplit("[", 1)[0] if "[" in probe else "")
        return PlanError(f"{path}: {message}" if path else message, file=self.file, line=self.lines.get(probe))


def load_located(path: str | Path) -> Located:
    """Parse a YAML file safely; syntax errors become PlanError with the line."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"cannot read: {exc}", file=file) from None
    return parse_located(text, file)


def parse_located(text: str, file: str) -> Located:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise PlanError(f"not valid YAML: {problem}", file=file, line=mark.line + 1 if mark else None) from None
    lines: dict[str, int] = {}
    if node is None:
        return Located({}, lines, file)
    data = _convert(node, "", lines, file)
    return Located(data, lines, file)


def _convert(node: yaml.Node, path: str, lines: dict[str, int], file: str) -> Any:
    lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise PlanError(f"{path or 'top level'}: keys must be plain text", file=file,
                                line=key_node.start_mark.line + 1)
            key = str(key_node.value)
            child = f"{path}.{key}" if path else key
            if key in out:
                raise PlanError(f"{child}: key given twice", file=file, line=key_node.start_mark.line + 1)
            lines[child] = key_node.start_mark.line + 1
            out[key] = _convert(value_node, child, lines, file)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, f"{path}[{i}]", lines, file) for i, item in enumerate(node.value)]
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise PlanError(f"{path}: {exc}", file=file, line=node.start_mark.line + 1) from None
    except ValueError as exc:  # a well-formed but impossible value, e.g. the date 2027-02-30
        raise PlanError(f"{path}: {node.value!r} is not valid ({exc})", file=file,
                        line=node.start_mark.line + 1) from None
