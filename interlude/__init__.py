"""Interlude: therapeutic homework for mental-health practitioners.

This package holds what every service shares: settings, logging, messaging, ports and adapters,
the composition root (``wiring``), nameko dependency providers and the ``interlude`` CLI.
"""
__version__ = "0.1.0"
