"""workshop: a self-hosted server for live facilitated workshops."""

__version__ = "0.1.0"
