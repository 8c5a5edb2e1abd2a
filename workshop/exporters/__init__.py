"""Exports of a workshop. Every exporter renders one immutable snapshot and returns
(filename, media type, bytes); `EXPORTERS` is the registry, keyed by format name."""
