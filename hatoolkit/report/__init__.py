"""Report: text, HTML, figures and exports built from Inventory, Findings and analyses."""
