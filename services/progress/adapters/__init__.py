"""Adapters of the progress service: the outside things its application layer talks to."""
