"""Analyses: pure computations reused by checks and notebooks (capacity, mobility, topology, ...)."""
