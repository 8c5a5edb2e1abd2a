"""`pip install .` gives a working `workshop` that serves templates and static files from
the installed package, not from this checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx

from tests.support import free_port

ROOT = Path(__file__).resolve().parent.parent


def build_wheel(out: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--quiet", "-w", str(out), str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    return next(out.glob("workshop-*.whl"))


def test_wheel_carries_templates_static_and_migrations(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for expected in (
        "workshop/_resources/templates/base.html",
        "workshop/_resources/templates/participant/page.html",
        "workshop/_resources/static/css/app.css",
        "workshop/_resources/static/vendor/htmx-2.0.11.min.js",
        "workshop/_resources/static/vendor/htmx-ext-ws-2.0.4.min.js",
        "workshop/storage/migrations/sqlite/0001_core.sql",
        "workshop/storage/migrations/postgres/0001_core.sql",
    ):
        assert expected in names, expected
    assert any(n.endswith("entry_points.txt") for n in names)


def test_installed_wheel_serves_pages(tmp_path: Path) -> None:
    wheel = build_wheel(tmp_path / "dist")
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(wheel)], check=True)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(target), "WORKSHOP_PORT": str(port),
           "WORKSHOP_DATABASE_URL": f"sqlite:///{tmp_path / 'w.db'}"}
    where = subprocess.run(
        [sys.executable, "-c", "import workshop; print(workshop.__file__)"],
        env=env, cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert where.startswith(str(target)), where
    server = subprocess.Popen([sys.executable, "-m", "workshop", "serve"], env=env,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        with httpx.Client(base_url=base, timeout=5) as client:
            while True:
                try:
                    landing = client.get("/")
                    break
                except httpx.TransportError:
                    assert server.poll() is None, server.stdout.read() if server.stdout else ""
                    assert time.monotonic() < deadline, "installed server did not start"
                    time.sleep(0.1)
            assert landing.status_code == 200
            assert "Workshop code" in landing.text
            assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200
            assert client.get("/static/css/app.css").status_code == 200
    finally:
        server.terminate()
        output = server.communicate(timeout=15)[0]
    assert "/setup/" in output  # first run prints the one-time sign-in link
