"""Collectors: gather an estate's exports into a bundle (SSH to the HMC; IBM i SQL/CL scripts later)."""
