"""What every HTTP benchmark here shares: a gunicorn on PostgreSQL, and CPU per request read from /proc.

The machine is shared and noisy, so requests/s alone says little. What a request costs is read
from the kernel's accounting of the processes that served it:

  app CPU   utime + stime of the gunicorn workers (children of the master), before and after a
            phase, divided by the requests of that phase;
  PostgreSQL CPU
            the same for the PostgreSQL backends that serve this gunicorn, found in
            `pg_stat_activity` by the `application_name` the benchmark's DATABASE_URL sets
            (connections are persistent: CONN_MAX_AGE). Background processes (WAL writer,
            checkpointer) are not counted: they are shared with whatever else the machine runs.

Every figure is printed beside the bare view's (a Django view returning a fixed string through
the same middleware, `bench/urls.py`) measured in the same run, and the paths are interleaved
over rounds so that a change of load weighs on all of them alike; min and median over rounds.
"""

from __future__ import annotations

import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/pix_bench"
APPLICATION_NAME = "pixcertif-bench"
TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")

ENV = {
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "DATABASE_URL": os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL),
    "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "SECURE_HSTS_SECONDS": "0",
    "LOG_LEVEL": os.environ.get("BENCH_LOG_LEVEL", "WARNING"),
}


def server_database_url(url: str) -> str:
    """The benchmark's DATABASE_URL with the application_name its backends are found by."""
    return f"{url}{'&' if '?' in url else '?'}application_name={APPLICATION_NAME}"


def _pg_args(url: str) -> list[str]:
    parsed = urlparse(url)
    return ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "root"]


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist (PostgreSQL only)."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        raise SystemExit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    name = parsed.path.lstrip("/")
    listed = subprocess.run(
        ["psql", *_pg_args(url), "-d", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    if listed.stdout.strip() != "1":
        subprocess.run(["createdb", *_pg_args(url), name], check=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, *, workers: int = 2, extra_env: dict[str, str] | None = None) -> subprocess.Popen:
    """`gunicorn pixcertif.wsgi` (sync workers, as the README deploys it) on loopback."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    env = {**os.environ, **ENV, **(extra_env or {})}
    env["DATABASE_URL"] = server_database_url(env["DATABASE_URL"])
    process = subprocess.Popen(
        [
            str(gunicorn),
            "pixcertif.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT),
            "--log-level",
            "warning",
            "--backlog",
            "2048",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)
    stop(process)
    raise SystemExit("gunicorn did not answer within 30 s")


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def login_session(user, **data: object) -> str:
    """A real login session for `user` (with `data` in it) in the engine the settings pick (the
    database, or Redis with REDIS_URL): its key, for the benchmark's session cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    for key, value in data.items():
        store[key] = value
    store.create()
    return store.session_key


# ---------------------------------------------------------------- CPU from /proc


def _ticks(pid: int) -> int | None:
    """utime + stime of a process, in clock ticks (None when it is gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of proc(5), after pid and comm


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii") as stat:
                ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        if ppid == pid:
            found.append(int(entry))
    return found


def postgres_backends(database_url: str) -> list[int]:
    """Pids of the PostgreSQL backends connected with the benchmark's application_name."""
    output = subprocess.run(
        [
            "psql",
            *_pg_args(database_url),
            "-d",
            "postgres",
            "-Atc",
            f"SELECT pid FROM pg_stat_activity WHERE application_name = '{APPLICATION_NAME}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [int(line) for line in output.split() if line.strip().isdigit()]


@dataclass(frozen=True)
class Cost:
    """CPU spent by the app workers and the database backends over a phase, per request."""

    requests: int
    seconds: float
    app_ms: float  # per request
    db_ms: float  # per request

    @property
    def total_ms(self) -> float:
        return self.app_ms + self.db_ms


class CpuMeter:
    """Snapshots of the CPU of gunicorn's workers and of their PostgreSQL backends."""

    def __init__(self, master: subprocess.Popen, database_url: str) -> None:
        self.master_pid = master.pid
        self.database_url = database_url

    def _snapshot(self) -> tuple[dict[int, int], dict[int, int]]:
        app = {pid: t for pid in children(self.master_pid) if (t := _ticks(pid)) is not None}
        db = {pid: t for pid in postgres_backends(self.database_url) if (t := _ticks(pid)) is not None}
        return app, db

    def measure(self, phase: Callable[[], int]) -> Cost:
        """Run `phase` (which returns the number of requests it made) between two snapshots.
        A backend or worker that appears during the phase counts from zero; one that ends during
        it is lost (connections persist and workers are not recycled, so neither happens)."""
        app_before, db_before = self._snapshot()
        began = time.monotonic()
        requests = phase()
        seconds = time.monotonic() - began
        app_after, db_after = self._snapshot()

        def spent(before: dict[int, int], after: dict[int, int]) -> float:
            ticks = sum(t - before.get(pid, 0) for pid, t in after.items())
            return ticks / TICKS_PER_SECOND * 1000

        n = max(requests, 1)
        return Cost(requests, seconds, spent(app_before, app_after) / n, spent(db_before, db_after) / n)


def min_median(values: Iterable[float]) -> tuple[float, float]:
    values = list(values)
    return min(values), statistics.median(values)


def print_costs(
    costs: dict[str, list[Cost]], *, bare: str = "bare", targets: dict[str, tuple[str, float]] | None = None
) -> bool:
    """One line per path: app and PostgreSQL CPU ms per request (min / median over the rounds),
    the path's app CPU as a multiple of the bare view's (`× bare`), its inverse (`bare/path`: what
    requests/s on the same cores would give, 0.5 = half as many) and the target when there is one:
    `("cpu<=", 2.5)` on the multiple, `("rate>=", 0.9)` on the inverse. True when every target is
    met (on the medians)."""
    targets = targets or {}
    bare_app = statistics.median(c.app_ms for c in costs[bare])
    print(
        f"{'path':<24} {'app ms min':>10} {'median':>7} {'pg ms min':>9} {'median':>7} {'× bare':>7} "
        f"{'bare/path':>9} {'target':>10}"
    )
    ok = True
    for name, runs in costs.items():
        app_min, app_med = min_median(c.app_ms for c in runs)
        db_min, db_med = min_median(c.db_ms for c in runs)
        multiple = app_med / bare_app if bare_app else float("inf")
        rate = bare_app / app_med if app_med else float("inf")
        mark = ""
        if name in targets:
            kind, value = targets[name]
            met = multiple <= value if kind == "cpu<=" else rate >= value
            ok = ok and met
            mark = f"{kind}{value:g} {'✓' if met else '✗'}"
        print(
            f"{name:<24} {app_min:>10.2f} {app_med:>7.2f} {db_min:>9.2f} {db_med:>7.2f} {multiple:>7.2f} "
            f"{rate:>9.2f} {mark:>10}"
        )
    return ok


def write_costs(name: str, costs: dict[str, list[Cost]], **extra: object) -> Path:
    """bench/out/<name>.json: {"costs": {path: [{requests, seconds, app_ms, db_ms}, …]}, …extra}
    — what `bench/capacity.py` reads."""
    import json
    from dataclasses import asdict

    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    path = out / f"{name}.json"
    path.write_text(
        json.dumps({"costs": {k: [asdict(c) for c in runs] for k, runs in costs.items()}, **extra}, indent=2)
    )
    return path
