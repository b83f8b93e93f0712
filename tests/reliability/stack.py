"""A throwaway stack for the reliability tests: a private PostgreSQL server, a database loaded
with a small demo, and gunicorn serving it, each on a free port, all removed afterwards.

The private server can be restarted and crashed without touching the machine's own PostgreSQL.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError(f"PostgreSQL's {name} is not installed")
    return found[-1]


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@dataclass
class PostgresServer:
    root: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.root / "data"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _ctl(self, *args: str) -> None:
        log = self.root / "server.log"
        command = [pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(log), "-w", "-t", "60", *args]
        subprocess.run(_as_postgres(command), check=True, capture_output=True)

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        subprocess.run(
            _as_postgres(
                [pg_bin("initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"]
            ),
            check=True,
            capture_output=True,
        )
        options = [
            f"port = {self.port}",
            "listen_addresses = '127.0.0.1'",
            f"unix_socket_directories = '{self.root}'",
            "max_connections = 300",
            "shared_buffers = 128MB",
        ]
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(options) + "\n")

    def start(self) -> None:
        self._ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("stop", "-m", mode)

    def psql(self, database: str, sql: str) -> str:
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-tAc", sql],
            check=True,
            capture_output=True,
            text=True,
        )
        return done.stdout.strip()


def accountdesk(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "accountdesk.cli", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=900,
    )
    if done.returncode != 0:
        raise RuntimeError(f"accountdesk {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


@dataclass
class App:
    """gunicorn serving one database of the private server."""

    env: dict[str, str]
    root: Path
    workers: int = 4
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        log = (self.root / f"gunicorn-{self.port}.log").open("wb")
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "accountdesk.wsgi",
                "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "120",
            ],
            env={**os.environ, **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer /healthz within 120 s")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


def app_env(root: Path, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "ACCOUNTDESK_VAR_DIR": str(root / "var"),
        "ACCOUNTDESK_DEBUG": "0",
        "ACCOUNTDESK_MANIFEST_STATIC": "0",
        "ACCOUNTDESK_SSL_REDIRECT": "0",
        "ACCOUNTDESK_SECURE_COOKIES": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECRET_KEY": "reliability-tests-only-" + "x" * 40,
        # Every client here shares one address and one token: no per-minute cap in the way.
        "ACCOUNTDESK_API_RATE_PER_MINUTE": "0",
    }


@dataclass(frozen=True)
class Answer:
    status: int
    body: dict | None
    replayed: bool
    seconds: float


def call(base: str, token: str, method: str, path: str, body: dict | None = None,
         key: str | None = None, timeout: float = 120) -> Answer:  # fmt: skip
    """One HTTP request; a connection that fails answers status 0."""
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, method=method, headers=headers)
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw, status = response.read(), response.status
            replayed = response.headers.get("Idempotent-Replayed") == "true"
    except urllib.error.HTTPError as error:
        raw, status, replayed = error.read(), error.code, False
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return Answer(0, None, False, time.perf_counter() - started)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = None
    return Answer(status, parsed, replayed, time.perf_counter() - started)


def scratch() -> Path:
    root = Path(tempfile.mkdtemp(prefix="accountdesk-reliability-"))
    root.chmod(0o755)  # the server runs as the postgres user and must reach its folder
    return root
