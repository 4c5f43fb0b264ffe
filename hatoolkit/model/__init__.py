"""Model: the typed frames (pandera schemas), the Inventory, the Plan and the Findings contract."""

from hatoolkit.model.findings import FINDING_COLUMNS, Family, Severity
from hatoolkit.model.inventory import FRAME_MODELS, Inventory

__all__ = ["FINDING_COLUMNS", "FRAME_MODELS", "Family", "Inventory", "Severity"]
