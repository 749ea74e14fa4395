"""Adapters of the catalogue service to programs outside Python (espeak-ng, sox)."""
