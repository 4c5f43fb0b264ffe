"""Set-up files agree with each other: conda users get the same dependencies as pip users."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[ ;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_every_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(r) for r in project["dependencies"]}
    wanted |= {_name(r) for reqs in project.get("optional-dependencies", {}).values() for r in reqs}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda_names = {"python-kaleido": "kaleido"}  # conda-forge spells some packages differently
    listed = {conda_names.get(_name(d), _name(d)) for d in env["dependencies"] if isinstance(d, str)}
    assert wanted <= listed, f"missing from environment.yml: {sorted(wanted - listed)}"


def test_ci_runs_make_test():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make report" in readme and "make test" in readme
