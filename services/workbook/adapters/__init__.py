"""The workbook service's adapters: the other services it asks, behind its ports
(services/workbook/application/ports.py)."""
