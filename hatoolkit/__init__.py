"""hatoolkit: high-availability planning and audit for IBM Power Systems (PowerVM) estates.

Data flows one way: bundle -> ingest -> Inventory (+ Plan) -> analysis -> checks -> Findings ->
report -> notebooks/CLI. The public entry points are re-exported here.
"""

from hatoolkit.ingest import load_inventory
from hatoolkit.model import FINDING_COLUMNS, Family, Inventory, Severity

__all__ = ["FINDING_COLUMNS", "Family", "Inventory", "Severity", "load_inventory"]
__version__ = "0.1.0"
