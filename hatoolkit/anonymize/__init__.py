"""Anonymised bundles: the same estate under pseudonyms, for sharing with consultants and vendors.

`anonymize_bundle(bundle, out, map_path)` rewrites system, partition, HMC and host names, user
names, IBM i object names, IPs, MACs, WWPNs and serials consistently across every file and
format of a bundle; the map file makes pseudonyms stable across bundles and runs.
"""

from hatoolkit.anonymize.bundle import AnonymizeResult, anonymize_bundle
from hatoolkit.anonymize.mapping import MapError, PseudonymMap, inverse, load_map

__all__ = ["AnonymizeResult", "MapError", "PseudonymMap", "anonymize_bundle", "inverse", "load_map"]
