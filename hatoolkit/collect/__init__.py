"""Collectors: what gathers an estate's exports into a bundle (SSH to the HMC; the SQL/CL an IBM i
administrator runs, shipped as package data)."""
