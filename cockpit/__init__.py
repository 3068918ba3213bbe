"""Cutover Cockpit: a calm, crash-proof terminal cockpit for a production cutover."""

__version__ = "0.1.0"
