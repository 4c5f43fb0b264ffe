"""Ingest: exports in their native formats -> validated Inventory frames (see bundle.load_inventory)."""

from hatoolkit.ingest.bundle import load_inventory

__all__ = ["load_inventory"]
