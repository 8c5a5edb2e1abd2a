"""The `workshop` command: serve, facilitator and token management, demo, export and
import, db migrate.

Every command reads the same WORKSHOP_* settings (see workshop.settings).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import os
import secrets
import sys
from collections.abc import Sequence

from workshop.auth.actors import FacilitatorActor
from workshop.domain.errors import NotFound, WorkshopError
from workshop.services.container import Services, open_services
from workshop.settings import Settings

EXPORT_FORMATS = ("md", "html", "pdf", "xlsx", "csv", "json")


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


async def _export(services: Services, settings: Settings, args: argparse.Namespace) -> int:
    from workshop.exporters.registry import exporter_for
    from workshop.exporters.writeup import ExportOptions

    workshop = await services.store.get_workshop(args.workshop)
    if workshop is None:
        try:
            workshop = await services.workshops.by_code(args.workshop)
        except NotFound:
            raise NotFound(f"No workshop has the id or join code {args.workshop}.") from None
    exporter = exporter_for(args.format)
    activities = frozenset(args.activity) if args.activity else None
    if activities and not activities <= {a.id for a in
                                         await services.store.list_activities(workshop.id)}:
        raise NotFound("This workshop has no activity with that id.")
    file = await exporter.export(services, workshop.id, ExportOptions(
        activities, not args.no_names, not args.no_chat, args.summary))
    if args.output == "-":
        sys.stdout.buffer.write(file.content)
        sys.stdout.flush()
        return 0
    target = args.output or file.filename
    try:
        with open(target, "wb") as out:
            out.write(file.content)
    except OSError as error:
        raise WorkshopError(f"Cannot write {target}: {error.strerror}.") from None
    print(f"Wrote {target} ({len(file.content)} bytes): {exporter.label} of "
          f"“{workshop.title}”.")
    return 0


def _read_document(path: str) -> object:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as source:
            return json.load(source)
    except OSError as error:
        raise WorkshopError(f"Cannot read {path}: {error.strerror}.") from None
    except (ValueError, UnicodeDecodeError) as error:
        raise WorkshopError(f"{path} is not a JSON document: {error}.") from None


async def _import(services: Services, settings: Settings, args: argparse.Namespace) -> int:
    document = _read_document(args.file)
    if args.email:
        owner = await services.store.get_facilitator_by_email(args.email.strip().lower())
        if owner is None:
            raise WorkshopError(f"No facilitator has the email {args.email}.")
    else:
        owner = await services.store.sole_facilitator()
        if owner is None:
            raise WorkshopError("Give --email of the facilitator who will own the workshop.")
    workshop = await services.imports.import_document(
        FacilitatorActor(owner.id), document, args.plan_only)
    base = _base_url(settings)
    what = "Plan" if args.plan_only else "Workshop"
    print(f"{what} “{workshop.title}” imported for {owner.email} (code {workshop.code})")
    print(f"  id:        {workshop.id}")
    print(f"  join:      {base}/j/{workshop.code}")
    print(f"  console:   {base}/console/{workshop.id}")
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
    "export": _export,
    "import": _import,
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

    export = sub.add_parser("export", help="write a workshop to a file (write-up, "
                                           "answers or the complete JSON)")
    export.add_argument("workshop", metavar="WORKSHOP", help="the workshop id or join code")
    export.add_argument("--format", required=True, choices=EXPORT_FORMATS)
    export.add_argument("-o", "--output", metavar="FILE",
                        help="where to write (- for standard output; default: the "
                             "export's own file name in the current directory)")
    export.add_argument("--no-names", action="store_true",
                        help="no participant names, whatever the workshop's anonymity")
    export.add_argument("--no-chat", action="store_true", help="leave the chat out")
    export.add_argument("--activity", action="append", metavar="ID",
                        help="only this activity (repeatable; default: all)")
    export.add_argument("--summary", default="", help="a summary paragraph for the write-up")

    imp = sub.add_parser("import", help="import a JSON export as a new workshop")
    imp.add_argument("file", metavar="FILE", help="the JSON document (- for standard input)")
    imp.add_argument("--plan-only", action="store_true",
                     help="only the activities (prompts, options, settings), as drafts")
    imp.add_argument("--email", help="the owning facilitator (default: the only one)")

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
        "export": "export",
        "import": "import",
    }[command]
    try:
        return asyncio.run(_with_services(Settings.from_env(), action, args))
    except WorkshopError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 1
