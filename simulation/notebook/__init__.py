"""Notebook widgets: controls built from the scenario's field metadata and the ready-made
explorations. The only modules that import ipywidgets.
"""
