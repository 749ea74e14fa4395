"""Catalogue domain: plain Python, no framework imports."""
