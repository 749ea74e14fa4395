"""Ports: small abstract classes that domain and service code depend on (cosmicpython style)."""
