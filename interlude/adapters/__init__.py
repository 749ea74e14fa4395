"""Adapters for the ports in ``interlude.ports``; ``interlude.wiring`` picks one per setting."""
