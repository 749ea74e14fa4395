"""Interlude's services: one package each, a thin nameko ``service.py`` over plain-Python domain code."""
