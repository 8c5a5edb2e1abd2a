"""Live-room load benchmark: one workshop, one open poll, N participants, M votes.

Starts the real server (`python -m workshop serve`) on a temporary SQLite file and a free
port on 127.0.0.1, creates a facilitator and an API token through the CLI, creates a
workshop with a single-choice poll through the API, opens it and puts it on screen. Then
N participants join (POST /api/v1/join) and each keeps its page's WebSocket
(/ws/j/{code}) open; one presenter WebSocket (/ws/present/{id}) is opened too. M of the
participants vote, at a controlled rate or all at once (--burst), and the script prints:

  * join rate (join + WebSocket open + first state received, per second),
  * vote acknowledgement latency (time to the 201),
  * vote -> every screen latency on a sample of listening sockets,
  * how long after the last vote the final total is visible on the sampled sockets,
  * total counted by GET .../results versus votes sent (OK / MISMATCH),
  * server RSS before/after the connections and per connection.

Not a test: run it by hand (see bench/README.md):

    .venv/bin/python bench/live_room.py --participants 500

Exit status: 0 all good, 1 MISMATCH between votes sent and votes counted, 2 other
problems (vote errors, sockets dropped, screens that never showed the final total, the
server failing to start), 130 interrupted.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import random
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # all traffic stays on the loopback interface
EMAIL = "bench@example.com"
PASSWORD = "bench-password-not-secret"
OPTIONS = ["Red", "Green", "Blue", "Yellow"]

# The counted-ballots attribute of the fragment each audience receives.
RESULTS_TOTAL = re.compile(r'<section id="results"[^>]*?data-total="(\d+)"')
PRESENTER_TOTAL = re.compile(r'<section id="stage"[^>]*?data-total="(\d+)"')


# -- small helpers --------------------------------------------------------------------

def now() -> float:
    return time.perf_counter()


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def ms(value: float | None) -> str:
    return "n/a" if value is None else f"{value * 1000:.1f} ms"


def summary(values: list[float], qs: tuple[int, ...] = (50, 95, 99)) -> str:
    if not values:
        return "n/a"
    parts = [f"p{q} {ms(percentile(values, q))}" for q in qs]
    parts.append(f"max {ms(max(values))}")
    return ", ".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def raise_open_files_limit(wanted: int) -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft == resource.RLIM_INFINITY or soft >= target:
        return soft
    resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return target


def rss_kib(pid: int) -> int:
    """Resident set size of a process, from /proc/PID/status (kB)."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS line")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/PID/stat."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


# -- the server -------------------------------------------------------------------------

class Server:
    """`python -m workshop serve` in a subprocess, on a temp database and a free port."""

    def __init__(self, tick_ms: int, log_level: str) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="workshop-bench-"))
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.ws_url = f"ws://{HOST}:{self.port}"
        python = ROOT / ".venv" / "bin" / "python"
        self.python = str(python) if python.exists() else sys.executable
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("WORKSHOP_")}
        self.env.update({
            "WORKSHOP_DATABASE_URL": f"sqlite:///{self.tmp / 'bench.db'}",
            "WORKSHOP_HOST": HOST,
            "WORKSHOP_PORT": str(self.port),
            "WORKSHOP_TICK_MS": str(tick_ms),
            "WORKSHOP_LOG_LEVEL": log_level,
            "WORKSHOP_WORKERS": "1",
            "WORKSHOP_HUB_URL": "memory://",
        })
        self.log_path = self.tmp / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def cli(self, *args: str, stdin: str | None = None) -> str:
        result = subprocess.run(
            [self.python, "-m", "workshop", *args], input=stdin, capture_output=True,
            text=True, env=self.env, cwd=self.tmp, timeout=60, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"workshop {' '.join(args)} failed: {result.stderr.strip()}")
        return result.stdout

    def create_token(self) -> str:
        self.cli("facilitator", "add", EMAIL, "--password-stdin", stdin=PASSWORD + "\n")
        return self.cli("token", "create", EMAIL, "--name", "bench").strip().splitlines()[-1]

    def start(self, timeout: float = 30.0) -> None:
        log = open(self.log_path, "wb")  # noqa: SIM115 - closed by the child's exit
        self.process = subprocess.Popen(
            [self.python, "-m", "workshop", "serve"], env=self.env, cwd=self.tmp,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited with {self.process.returncode}:\n"
                                   + self.log_tail())
            try:
                if httpx.get(f"{self.base_url}/openapi.json", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError("server did not answer within 30 s:\n" + self.log_tail())

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def log_problems(self) -> tuple[int, int, list[str]]:
        """(error/traceback lines, HTTP 5xx access-log lines, first few such lines)."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return 0, 0, []
        errors = [line for line in text.splitlines()
                  if "Traceback" in line or line.startswith("ERROR")]
        server_errors = [line for line in text.splitlines()
                         if re.search(r'" 5\d\d\b', line)]
        return len(errors), len(server_errors), (errors + server_errors)[:5]

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def cleanup(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


# -- a minimal HTTP/1.1 client for participants ----------------------------------------

@dataclass
class HttpAnswer:
    status: int
    headers: dict[str, list[str]]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


async def http_post(port: int, path: str, payload: dict[str, Any], *, origin: str,
                    cookie: str | None = None, timeout: float = 60.0) -> HttpAnswer:
    """One POST on a fresh connection (`Connection: close`), like a phone whose idle
    keep-alive connection has been closed by the server since the page was loaded."""
    body = json.dumps(payload).encode()
    head = [f"POST {path} HTTP/1.1", f"Host: {HOST}:{port}", f"Origin: {origin}",
            "Content-Type: application/json", "Accept: application/json",
            f"Content-Length: {len(body)}", "Connection: close"]
    if cookie:
        head.append(f"Cookie: {cookie}")
    request = ("\r\n".join(head) + "\r\n\r\n").encode() + body

    async def exchange() -> bytes:
        reader, writer = await asyncio.open_connection(HOST, port)
        try:
            writer.write(request)
            await writer.drain()
            return await reader.read()
        finally:
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()

    raw = await asyncio.wait_for(exchange(), timeout)
    header_blob, _, content = raw.partition(b"\r\n\r\n")
    lines = header_blob.decode("latin-1").split("\r\n")
    if not lines or not lines[0].startswith("HTTP/1.1 "):
        raise ConnectionError(f"no HTTP answer (got {len(raw)} bytes)")
    headers: dict[str, list[str]] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers.setdefault(name.strip().lower(), []).append(value.strip())
    if "chunked" in ",".join(headers.get("transfer-encoding", [])):
        content = dechunk(content)
    return HttpAnswer(int(lines[0].split()[1]), headers, content)


def dechunk(data: bytes) -> bytes:
    out = bytearray()
    while data:
        size_line, _, rest = data.partition(b"\r\n")
        size = int(size_line.split(b";")[0], 16)
        if size == 0:
            break
        out += rest[:size]
        data = rest[size + 2:]
    return bytes(out)


# -- listeners (open pages) ---------------------------------------------------------------

@dataclass(eq=False)
class Listener:
    name: str
    pattern: re.Pattern[str]
    sampled: bool = False
    ws: ClientConnection | None = None
    task: asyncio.Task[None] | None = None
    max_total: int = -1
    timeline_t: list[float] = field(default_factory=list)  # times the total went up
    timeline_n: list[int] = field(default_factory=list)    # … and the new totals
    messages: int = 0
    received_bytes: int = 0
    first_state: asyncio.Event = field(default_factory=asyncio.Event)
    closed_at: float | None = None
    close_code: int | None = None
    close_reason: str = ""

    def first_time_at_least(self, total: int) -> float | None:
        i = bisect.bisect_left(self.timeline_n, total)
        return self.timeline_t[i] if i < len(self.timeline_t) else None


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.server = Server(args.tick_ms, args.server_log_level)
        self.listeners: list[Listener] = []
        self.cookies: list[str] = []
        self.closing = False
        self.figures: dict[str, Any] = {"participants": args.participants}
        self.problems: list[str] = []
        self.mismatch = False

    # -- reading a socket ----------------------------------------------------------------
    async def read_loop(self, listener: Listener) -> None:
        ws = listener.ws
        assert ws is not None
        try:
            async for message in ws:
                at = now()
                text = message if isinstance(message, str) else message.decode()
                listener.messages += 1
                listener.received_bytes += len(text)
                match = listener.pattern.search(text)
                if match:
                    total = int(match.group(1))
                    if total > listener.max_total:
                        listener.max_total = total
                        listener.timeline_t.append(at)
                        listener.timeline_n.append(total)
                    listener.first_state.set()
        except ConnectionClosed:
            pass
        finally:
            listener.closed_at = now()
            listener.close_code = ws.close_code
            listener.close_reason = ws.close_reason or ""
            listener.first_state.set()  # never leave a waiter hanging

    async def open_socket(self, listener: Listener, url: str, headers: dict[str, str]
                          ) -> None:
        listener.ws = await connect(
            url, origin=self.server.base_url, additional_headers=headers,  # type: ignore[arg-type]
            open_timeout=30, close_timeout=5, ping_interval=None, max_size=2 ** 22,
            compression=None if self.args.no_deflate else "deflate")
        listener.task = asyncio.create_task(self.read_loop(listener))
        await asyncio.wait_for(listener.first_state.wait(), 30)
        if listener.closed_at is not None:
            raise ConnectionError(f"{listener.name}: closed at once "
                                  f"({listener.close_code} {listener.close_reason})")

    # -- phases ------------------------------------------------------------------------------
    async def setup_workshop(self, api: httpx.AsyncClient) -> None:
        created = await api.post("/api/v1/workshops", json={"title": "Benchmark room"})
        created.raise_for_status()
        self.workshop_id, self.code = created.json()["id"], created.json()["code"]
        poll = await api.post(f"/api/v1/workshops/{self.workshop_id}/activities",
                              json={"kind": "single_choice", "prompt": "Pick a colour",
                                    "options": OPTIONS})
        poll.raise_for_status()
        activity = poll.json()
        self.activity_id = activity["id"]
        self.option_ids = [o["id"] for o in activity["options"]]
        base = f"/api/v1/workshops/{self.workshop_id}/activities/{self.activity_id}"
        (await api.post(f"{base}/open")).raise_for_status()
        if not activity["results_visible"]:
            (await api.post(f"{base}/reveal")).raise_for_status()
        (await api.put(f"/api/v1/workshops/{self.workshop_id}/current",
                       json={"activity_id": self.activity_id})).raise_for_status()

    async def join_all(self) -> None:
        args = self.args
        n = args.participants
        sampled = set(random.Random(7).sample(range(n), min(args.sample, n)))
        gate = asyncio.Semaphore(args.join_concurrency)
        join_latency: list[float] = []
        ws_latency: list[float] = []
        failures: list[str] = []
        refused: list[int] = []
        self.cookies = [""] * n
        participants = [Listener(f"participant-{i}", RESULTS_TOTAL, i in sampled)
                        for i in range(n)]

        async def join(i: int) -> None:
            async with gate:
                try:
                    started = now()
                    answer = await http_post(
                        self.server.port, "/api/v1/join",
                        {"code": self.code, "name": f"P{i}"}, origin=self.server.base_url)
                    if answer.status != 201:
                        failures.append(f"join {answer.status}: {answer.body[:200]!r}")
                        return
                    joined = now()
                    join_latency.append(joined - started)
                    cookie = next(c.split(";", 1)[0] for c in answer.headers["set-cookie"]
                                  if c.startswith("workshop_device="))
                    self.cookies[i] = cookie
                    url = f"{self.server.ws_url}/ws/j/{self.code}"
                    for attempt in range(args.ws_retries + 1):
                        try:
                            await self.open_socket(participants[i], url, {"Cookie": cookie})
                            break
                        except InvalidStatus as error:
                            # like the page's script: try again shortly, a bounded number
                            # of times; every refusal is counted and reported
                            refused.append(error.response.status_code)
                            if attempt == args.ws_retries:
                                raise
                            await asyncio.sleep(0.2)
                    ws_latency.append(now() - joined)
                except Exception as error:  # counted and reported, never hidden
                    failures.append(f"{type(error).__name__}: {error}")

        started = now()
        await asyncio.wait_for(asyncio.gather(*(join(i) for i in range(n))),
                               args.phase_timeout)
        elapsed = now() - started
        connected = [p for p in participants if p.ws is not None and p.closed_at is None
                     and p.first_state.is_set()]
        self.listeners.extend(connected)
        self.voter_indexes = [i for i in range(n) if self.cookies[i]
                              and participants[i] in connected]
        self.figures.update({
            "joined": len(connected), "join_seconds": elapsed,
            "join_rate": len(connected) / elapsed if elapsed else 0.0,
            "join_http": join_latency, "join_ws": ws_latency,
        })
        print(f"joined {len(connected)}/{n} participants in {elapsed:.2f} s "
              f"({len(connected) / elapsed:.0f} joins/s, concurrency {args.join_concurrency})")
        print(f"  POST /join latency:               {summary(join_latency)}")
        print(f"  WebSocket open + first state:     {summary(ws_latency)}")
        self.figures["ws_refused"] = len(refused)
        if refused:
            self.problems.append(
                f"{len(refused)} WebSocket opens refused right after a successful join "
                f"(HTTP {sorted(set(refused))}); retried up to {args.ws_retries} times")
            print(f"  REFUSED WebSocket opens right after join: {len(refused)} "
                  f"(HTTP {sorted(set(refused))}), retried after 0.2 s")
        if failures:
            self.problems.append(f"{len(failures)} joins failed, e.g. {failures[0]}")
            print(f"  FAILED joins: {len(failures)} (e.g. {failures[0]})")

    async def vote_all(self) -> tuple[list[tuple[float, float | None, int | str]], float]:
        """Returns [(sent, acked or None, status)] in send order and the last ack time."""
        args = self.args
        voters = self.voter_indexes
        if args.voters is not None:
            voters = voters[:args.voters]
        rng = random.Random(11)
        records: list[tuple[float, float | None, int | str]] = [(0.0, None, "")] * len(voters)

        async def vote(k: int, i: int) -> None:
            sent = now()
            try:
                answer = await http_post(
                    self.server.port,
                    f"/api/v1/workshops/{self.workshop_id}/activities/{self.activity_id}"
                    "/responses",
                    {"value": rng.choice(self.option_ids), "client_id": uuid.uuid4().hex},
                    origin=self.server.base_url, cookie=self.cookies[i],
                    timeout=args.request_timeout)
                records[k] = (sent, now(), answer.status)
            except Exception as error:
                records[k] = (sent, None, type(error).__name__)

        mode = "burst (all at once)" if args.burst else f"{args.rate:g} votes/s"
        print(f"voting: {len(voters)} votes, {mode}")
        tasks: list[asyncio.Task[None]] = []
        started = now()
        for k, i in enumerate(voters):
            if not args.burst:
                delay = started + k / args.rate - now()
                if delay > 0:
                    await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(vote(k, i)))
        await asyncio.wait_for(asyncio.gather(*tasks), args.phase_timeout)
        acked = [a for _, a, _ in records if a is not None]
        last_ack = max(acked) if acked else now()
        self.figures["vote_seconds"] = last_ack - started
        return records, last_ack

    async def wait_for_total(self, listeners: list[Listener], total: int,
                             timeout: float) -> bool:
        deadline = now() + timeout
        while now() < deadline:
            if all(lst.max_total >= total or lst.closed_at is not None for lst in listeners):
                return all(lst.max_total >= total for lst in listeners)
            await asyncio.sleep(0.01)
        return False

    async def run(self) -> int:
        args = self.args
        limit = raise_open_files_limit(4 * args.participants + 256)
        load = os.getloadavg()[0]
        self.figures["loadavg_at_start"] = load
        print(f"open-files limit {limit}; load average {load:.2f}; tick {args.tick_ms} ms; "
              f"{os.cpu_count()} CPUs; deflate {'off' if args.no_deflate else 'on'}")
        token = self.server.create_token()
        self.server.start()
        pid = self.server.pid
        print(f"server pid {pid} at {self.server.base_url} "
              f"(database in {self.server.tmp})")
        headers = {"Authorization": f"Bearer {token}", "Origin": self.server.base_url}
        async with httpx.AsyncClient(base_url=self.server.base_url, headers=headers,
                                     timeout=args.request_timeout) as api:
            await self.setup_workshop(api)
            presenter = Listener("presenter", PRESENTER_TOTAL, sampled=True)
            await self.open_socket(
                presenter, f"{self.server.ws_url}/ws/present/{self.workshop_id}",
                {"Authorization": f"Bearer {token}"})
            self.listeners.append(presenter)
            await asyncio.sleep(0.5)
            rss_before, cpu_before = rss_kib(pid), cpu_seconds(pid)

            await self.join_all()
            await asyncio.sleep(1.0)  # let the joined-participant ticks settle
            rss_connected, cpu_joined = rss_kib(pid), cpu_seconds(pid)
            joined = self.figures["joined"]
            per_conn = (rss_connected - rss_before) / joined if joined else 0.0
            print(f"server RSS: {rss_before / 1024:.1f} MiB before, "
                  f"{rss_connected / 1024:.1f} MiB with {joined} open sockets "
                  f"-> {per_conn:.1f} KiB per connection; "
                  f"server CPU during joins {cpu_joined - cpu_before:.2f} s")
            self.figures.update({"rss_before_kib": rss_before,
                                 "rss_connected_kib": rss_connected,
                                 "rss_per_connection_kib": per_conn})
            if not self.voter_indexes:
                self.problems.append("nobody joined: no votes sent")
                return self.finish(api)

            client_cpu = time.process_time()
            records, last_ack = await self.vote_all()
            sent = len(records)
            statuses: dict[str, int] = {}
            for _, _, status in records:
                statuses[str(status)] = statuses.get(str(status), 0) + 1
            ack = [a - s for s, a, st in records if a is not None and st == 201]
            print(f"  votes sent {sent}, answers {dict(sorted(statuses.items()))}, "
                  f"last answer {self.figures['vote_seconds']:.2f} s after the first vote")
            print(f"  vote acknowledgement (201):        {summary(ack)}")
            self.figures.update({"votes_sent": sent, "vote_statuses": statuses,
                                 "vote_ack": ack})
            if statuses.get("201", 0) != sent:
                self.problems.append(f"not every vote got 201: {statuses}")

            # the total the server says it counted
            results = await api.get(f"/api/v1/workshops/{self.workshop_id}/activities/"
                                    f"{self.activity_id}/results")
            results.raise_for_status()
            counted = int(results.json()["total"])
            self.figures["counted"] = counted
            self.mismatch = counted != sent
            print(f"  counted by GET results: {counted} / sent {sent}: "
                  f"{'MISMATCH' if self.mismatch else 'OK'}")

            # every sampled screen must show the final total
            sample = [lst for lst in self.listeners if lst.sampled]
            converged = await self.wait_for_total(sample, counted, args.settle_timeout)
            await self.wait_for_total(self.listeners, counted, 5.0)
            self.report_screens(records, last_ack, counted, sample, converged)
            rss_after, cpu_after = rss_kib(pid), cpu_seconds(pid)
            self.figures.update({"rss_after_votes_kib": rss_after,
                                 "server_cpu_votes": cpu_after - cpu_joined,
                                 "client_cpu_votes": time.process_time() - client_cpu})
            print(f"server RSS after votes {rss_after / 1024:.1f} MiB; CPU during votes and "
                  f"fan-out: server {cpu_after - cpu_joined:.2f} s, "
                  f"bench client {self.figures['client_cpu_votes']:.2f} s")
            return self.finish(api)

    def report_screens(self, records: list[tuple[float, float | None, int | str]],
                       last_ack: float, counted: int, sample: list[Listener],
                       converged: bool) -> None:
        # vote k (in send order) is on a screen once that screen shows ≥ k+1 ballots:
        # k+1 ballots cannot all be committed before vote k was sent.
        per_vote: list[float] = []
        missing = 0
        for k, (sent, _, _) in enumerate(records):
            target = min(k + 1, counted)
            seen = [lst.first_time_at_least(target) for lst in sample]
            if any(t is None for t in seen):
                missing += 1
                continue
            per_vote.append(max(t for t in seen if t is not None) - sent)
        print(f"  vote -> every sampled screen ({len(sample)} sockets, incl. presenter): "
              f"{summary(per_vote)}" + (f"; {missing} votes never shown" if missing else ""))
        finals = [t - last_ack for t in (lst.first_time_at_least(counted) for lst in sample)
                  if t is not None]
        print(f"  final total on sampled screens after the last 201: "
              f"{summary(finals, (50, 95))}"
              + ("" if converged else f"  (NOT on all: {len(sample) - len(finals)} missing "
                                      f"after {self.args.settle_timeout:g} s)"))
        everyone = [lst.first_time_at_least(counted) for lst in self.listeners]
        shown = [t - last_ack for t in everyone if t is not None]
        print(f"  final total on all {len(self.listeners)} sockets: "
              f"{len(shown)} show it, last {ms(max(shown) if shown else None)} after the "
              f"last 201")
        self.figures.update({"vote_to_screens": per_vote, "final_visible": finals,
                             "all_sockets_final": len(shown),
                             "all_sockets_final_max": max(shown) if shown else None})
        if not converged or missing:
            stuck = [f"{lst.name}={lst.max_total}" for lst in sample if lst.max_total < counted]
            self.problems.append(f"sampled screens never showed the final total {counted}: "
                                 + ", ".join(stuck[:5]))
        if len(shown) < len(self.listeners):
            self.problems.append(f"{len(self.listeners) - len(shown)} of "
                                 f"{len(self.listeners)} sockets never showed the final total")

    def finish(self, api: httpx.AsyncClient) -> int:
        dropped = [lst for lst in self.listeners if lst.closed_at is not None]
        if dropped:
            codes: dict[str, int] = {}
            for lst in dropped:
                key = f"{lst.close_code} {lst.close_reason}".strip()
                codes[key] = codes.get(key, 0) + 1
            self.problems.append(f"{len(dropped)} sockets closed by the server: {codes}")
        messages = sum(lst.messages for lst in self.listeners)
        print(f"sockets dropped: {len(dropped)}; messages received {messages}, "
              f"{sum(lst.received_bytes for lst in self.listeners) / 1e6:.1f} MB (inflated)")
        self.figures["dropped"] = len(dropped)
        return 0

    async def close_sockets(self) -> None:
        self.closing = True
        gate = asyncio.Semaphore(100)

        async def close(lst: Listener) -> None:
            async with gate:
                if lst.ws is not None:
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(lst.ws.close(), 10)
                if lst.task is not None:
                    lst.task.cancel()
                    with contextlib.suppress(BaseException):
                        await lst.task

        await asyncio.wait_for(asyncio.gather(*(close(lst) for lst in self.listeners)), 120)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500,
                        help="participants joining and holding a WebSocket (default 500)")
    parser.add_argument("--voters", type=int, default=None,
                        help="how many of them vote (default: all)")
    parser.add_argument("--burst", action="store_true",
                        help="send every vote at once instead of at --rate")
    parser.add_argument("--rate", type=float, default=200.0,
                        help="votes per second when not --burst (default 200)")
    parser.add_argument("--sample", type=int, default=20,
                        help="participant sockets timed for vote -> screen (default 20; "
                             "the presenter socket is always timed too)")
    parser.add_argument("--join-concurrency", type=int, default=50,
                        help="joins in flight at once (default 50)")
    parser.add_argument("--ws-retries", type=int, default=3,
                        help="re-open a refused WebSocket up to this many times (3)")
    parser.add_argument("--tick-ms", type=int, default=150, help="WORKSHOP_TICK_MS (150)")
    parser.add_argument("--server-log-level", default="info",
                        help="WORKSHOP_LOG_LEVEL of the server (default info, as shipped)")
    parser.add_argument("--no-deflate", action="store_true",
                        help="do not offer permessage-deflate (browsers do)")
    parser.add_argument("--request-timeout", type=float, default=60.0)
    parser.add_argument("--settle-timeout", type=float, default=30.0,
                        help="how long screens may take to show the final total (30 s)")
    parser.add_argument("--phase-timeout", type=float, default=600.0,
                        help="upper bound on the join phase and on the vote phase (600 s)")
    parser.add_argument("--json", metavar="PATH",
                        help="also write the summary figures as JSON to PATH")
    parser.add_argument("--keep", action="store_true",
                        help="keep the temp directory (database, server.log)")
    args = parser.parse_args(argv)
    if args.participants < 1 or args.rate <= 0 or args.sample < 0:
        parser.error("--participants ≥ 1, --rate > 0 and --sample ≥ 0")
    return args


def write_json(path: str, figures: dict[str, Any]) -> None:
    out: dict[str, Any] = {}
    for key, value in figures.items():
        if key != "problems" and isinstance(value, list):
            out[key] = {"n": len(value), **{f"p{q}": percentile(value, q)
                                            for q in (50, 95, 99)},
                        "max": max(value) if value else None}
        else:
            out[key] = value
    Path(path).write_text(json.dumps(out, indent=2) + "\n")


async def amain(args: argparse.Namespace) -> int:
    bench = Bench(args)
    status = 2
    try:
        status = await bench.run()
    except Exception as error:
        bench.problems.append(f"benchmark aborted: {type(error).__name__}: {error}")
    finally:
        with contextlib.suppress(Exception):
            await bench.close_sockets()
        alive = bench.server.process is not None and bench.server.process.poll() is None
        if bench.server.process is not None and not alive:
            bench.problems.append(f"server exited early ({bench.server.process.returncode})")
        errors, server_errors, examples = bench.server.log_problems()
        if errors or server_errors:
            bench.problems.append(f"server log: {errors} error/traceback lines, "
                                  f"{server_errors} HTTP 5xx answers, e.g. {examples[:2]}")
        bench.server.stop()
        if args.keep:
            print(f"kept {bench.server.tmp}")
        else:
            bench.server.cleanup()
    if args.json:
        write_json(args.json, bench.figures | {"problems": bench.problems,
                                               "mismatch": bench.mismatch})
    for problem in bench.problems:
        print(f"PROBLEM: {problem}")
    if bench.mismatch:
        return 1
    if bench.problems:
        return 2
    return status


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        import uvloop
    except ImportError:
        return asyncio.run(amain(args))
    return uvloop.run(amain(args))


if __name__ == "__main__":
    try:
        raise SystemExit(main())
    except KeyboardInterrupt:
        raise SystemExit(130) from None
