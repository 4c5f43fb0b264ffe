"""Figures: pure functions returning plotly figures in the one theme (report/theme.py).

One module per concern (summary, capacity, mobility, backups, redundancy); none of them calls
`.show()` or writes files — notebooks display, the exporter writes PNG/SVG.
"""
