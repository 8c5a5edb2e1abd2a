"""The `workshop` command: serve, facilitator and token management, demo, db migrate.

Every command reads the same WORKSHOP_* settings (see workshop.settings).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import secrets
import sys
from collections.abc import Sequence

from workshop.domain.errors import WorkshopError
from workshop.services.container import Services, open_services
from workshop.settings import Settings


def _base_url(settings: Settings) -> str:
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::") else settings.host
    return f"http://{host}:{settings.port}"


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise WorkshopError("The passwords do not match.")
    return first


async def _startup_message(settings: Settings) -> str:
    async with open_services(settings) as services:
        base = _base_url(settings)
        lines = [f"workshop is running at {base}/  (database: {settings.database_url})"]
        token = await services.accounts.issue_setup_token()
        if token:
            lines.append(f"First run: create the facilitator account here (one-time link):\n"
                         f"    {base}/setup/{token}")
        else:
            lines.append(f"Facilitators sign in at {base}/login")
        return "\n".join(lines)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    overrides = {"host": args.host, "port": args.port, "database_url": args.database,
                 "workers": args.workers}
    for name, value in overrides.items():
        if value is not None:
            os.environ[f"WORKSHOP_{name.upper()}"] = str(value)
    settings = Settings.from_env()
    if settings.workers > 1 and settings.hub_url.startswith("memory://"):
        print("More than one worker needs a shared hub: set WORKSHOP_HUB_URL=redis://…",
              file=sys.stderr)
        return 2
    print(asyncio.run(_startup_message(settings)), flush=True)
    uvicorn.run(
        "workshop.app:create_app", factory=True, host=settings.host, port=settings.port,
        workers=settings.workers, ws="websockets-sansio", ws_max_size=64 * 1024,
        ws_per_message_deflate=False,
        log_level=settings.log_level, proxy_headers=True, lifespan="on",
    )
    return 0


async def _with_services(settings: Settings, action: str, args: argparse.Namespace) -> int:
    async with open_services(settings) as services:
        return await _COMMANDS[action](services, settings, args)


async def _facilitator_add(services: Services, settings: Settings,
                           args: argparse.Namespace) -> int:
    facilitator = await services.accounts.add_facilitator(args.email, _read_password(args))
    print(f"Facilitator {facilitator.email} created. Sign in at {_base_url(settings)}/login")
    return 0


async def _facilitator_password(services: Services, settings: Settings,
                                args: argparse.Namespace) -> int:
    await services.accounts.set_password(args.email, _read_password(args))
    print(f"Password of {args.email} changed.")
    return 0


async def _token_create(services: Services, settings: Settings,
                        args: argparse.Namespace) -> int:
    token = await services.accounts.create_token(args.email, args.name)
    print(token)
    return 0


async def _demo(services: Services, settings: Settings, args: argparse.Namespace) -> int:
    from workshop.demo import seed_demo

    email = args.email
    facilitator = await services.store.get_facilitator_by_email(email) if email else None
    if facilitator is None and email:
        password = secrets.token_urlsafe(12)
        facilitator = await services.accounts.add_facilitator(email, password)
        print(f"Created facilitator {email} with password {password}")
    if facilitator is None:
        raise WorkshopError("Give --email of a facilitator (created if missing).")
    workshop = await seed_demo(services, facilitator.id)
    base = _base_url(settings)
    print(f"Demo workshop “{workshop.title}” (code {workshop.code})")
    print(f"  join:      {base}/j/{workshop.code}")
    print(f"  console:   {base}/console/{workshop.id}")
    print(f"  presenter: {base}/present/{workshop.id}")
    return 0


async def _migrate(services: Services, settings: Settings, args: argparse.Namespace) -> int:
    print(f"Database {settings.database_url} is up to date.")
    return 0


_COMMANDS = {
    "facilitator-add": _facilitator_add,
    "facilitator-password": _facilitator_password,
    "token-create": _token_create,
    "demo": _demo,
    "migrate": _migrate,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="workshop", description=__doc__)
    sub = parser.add_subparsers(dest="command")

    serve = sub.add_parser("serve", help="run the server (default)")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--database", help="database URL (WORKSHOP_DATABASE_URL)")
    serve.add_argument("--workers", type=int)

    facilitator = sub.add_parser("facilitator", help="manage facilitator accounts")
    fsub = facilitator.add_subparsers(dest="facilitator_command", required=True)
    for name, text in (("add", "create an account"), ("password", "change a password")):
        p = fsub.add_parser(name, help=text)
        p.add_argument("email")
        p.add_argument("--password-stdin", action="store_true",
                       help="read the password from standard input")

    token = sub.add_parser("token", help="personal API tokens")
    tsub = token.add_subparsers(dest="token_command", required=True)
    create = tsub.add_parser("create", help="create a token and print it")
    create.add_argument("email")
    create.add_argument("--name", default="cli")

    demo = sub.add_parser("demo", help="seed a workshop with one poll of each kind")
    demo.add_argument("--email", help="owner (created with a random password if missing)")

    db = sub.add_parser("db", help="database maintenance")
    dsub = db.add_subparsers(dest="db_command", required=True)
    dsub.add_parser("migrate", help="apply pending migrations")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or "serve"
    if command == "serve":
        if args.command is None:
            args = build_parser().parse_args(["serve"])
        return cmd_serve(args)
    action = {
        "facilitator": f"facilitator-{getattr(args, 'facilitator_command', '')}",
        "token": "token-create",
        "demo": "demo",
        "db": "migrate",
    }[command]
    try:
        return asyncio.run(_with_services(Settings.from_env(), action, args))
    except WorkshopError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
