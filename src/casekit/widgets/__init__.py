"""Simulators for the live session: ipywidgets controls wired to casekit calculators and charts, no formula."""
