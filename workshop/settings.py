"""Settings from WORKSHOP_* environment variables. Every one is documented in the README."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///./workshop.db"
    hub_url: str = "memory://"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    public_url: str = ""
    secret_key: str = ""
    cookie_secure: bool = False
    tick_ms: int = 150
    max_body_bytes: int = 64 * 1024
    log_level: str = "info"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"WORKSHOP_{f.name.upper()}")
            if raw is None:
                continue
            if f.type == "int":
                values[f.name] = int(raw)
            elif f.type == "bool":
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]


SETTING_DOCS: dict[str, str] = {
    "database_url": "Where data lives: `sqlite:///PATH` (embedded default) or "
                    "`postgresql://user@host/db`.",
    "hub_url": "Live-update relay: `memory://` (one process) or `redis://host:6379/0` "
               "(several processes or machines).",
    "host": "Interface `workshop serve` listens on.",
    "port": "Port `workshop serve` listens on.",
    "workers": "Server processes for `workshop serve`; more than 1 needs a `redis://` hub.",
    "public_url": "Base URL people use to reach the server (join links, QR codes); "
                  "default: taken from each request.",
    "secret_key": "Key that signs cookies; default: generated once and kept in the database.",
    "cookie_secure": "Send cookies over HTTPS only (set `true` behind TLS).",
    "tick_ms": "How often live results are pushed to screens, in milliseconds.",
    "max_body_bytes": "Largest request body accepted, in bytes.",
    "log_level": "Server log level (debug, info, warning, error).",
}
