"""Checks: one module per concern, each check a decorated pure function (see registry.py).

Modules are imported here by name (explicit, no discovery magic): importing this package is what
fills REGISTRY.
"""

from hatoolkit.checks import (  # noqa: F401
    backups,
    capacity,
    capacity_usage,
    inputs,
    inputs_waivers,
    mobility,
    mobility_io,
    network,
    network_sea,
    spof,
    storage,
)
from hatoolkit.checks.registry import REGISTRY, CheckSpec, Outcome, check, run_checks

__all__ = ["REGISTRY", "CheckSpec", "Outcome", "check", "run_checks"]
