"""Benchmark of the invigilator's live list: is a room of idle invigilators cheap?

Starts gunicorn (2 workers, `gunicorn pixcertif.wsgi`) on PostgreSQL, creates a session of 40
candidates watched by one invigilator (a real login session cookie), then drives concurrent
pollers on loopback with wrk (Python threads when wrk is missing) for a bounded time against:

  bare   a Django view returning a fixed string (same middleware, same cookie) — the baseline;
  200    the candidate-list fragment, rendered every time (no If-None-Match);
  304    the same fragment with the ETag of the browser's copy (nothing changed).

Prints requests/s, p95 latency and the ratios to the bare view. Targets: 304 ≥ 0.8×, 200 ≥ 0.4×.

    DATABASE_URL=postgres://root@127.0.0.1:5432/pix_bench  (default; created if missing)
    BENCH_SECONDS=5  BENCH_ROUNDS=3  BENCH_CONNECTIONS=16  BENCH_PORT=0 (free port)
    .venv/bin/python bench/invigilator.py
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/pix_bench"
SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
CANDIDATES = 40
# The live day's data on the list (open alerts, answers, "Inactif depuis N min", "Délai expiré",
# incidents logged, an expired authorisation); BENCH_LIVE_DAY=0 for the plain list.
LIVE_DAY = os.environ.get("BENCH_LIVE_DAY", "1") != "0"
TARGETS = {"304": 0.8, "200": 0.4}

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
    "LOG_LEVEL": "WARNING",
}


def ensure_database(url: str) -> None:
    """Create the benchmark database when it does not exist (PostgreSQL only)."""
    parsed = urlparse(url)
    if not parsed.scheme.startswith("postgres"):
        raise SystemExit("The benchmark needs PostgreSQL (DATABASE_URL=postgres://…).")
    name = parsed.path.lstrip("/")
    args = ["-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432), "-U", parsed.username or "root"]
    listed = subprocess.run(
        ["psql", *args, "-d", "postgres", "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        capture_output=True,
        text=True,
        check=True,
    )
    if listed.stdout.strip() != "1":
        subprocess.run(["createdb", *args, name], check=True)


def prepare_data() -> tuple[int, str]:
    """Migrate, then (re)create the benchmark session: 40 candidates — a third ticked, a third
    started, a third finished; with LIVE_DAY some open alerts, answers, inactive and expired tags,
    incidents logged — and an invigilator with access and a login session. Returns
    (session id, session cookie value)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command
    from django.utils import timezone

    from invigilation.models import InvigilatorAccess
    from pixcertif.accounts.models import CertificationCenter, User
    from sessions_app.models import (
        Candidate,
        Certification,
        CertificationChallenge,
        CertificationState,
        Challenge,
        IssueReport,
        IssueReportSource,
        LiveAlert,
        Session,
    )
    from sessions_app.normalize import identity_key

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    center, _ = CertificationCenter.objects.get_or_create(
        name="Centre du banc d'essai", defaults={"type": CertificationCenter.Type.PRO}
    )
    old = Session.objects.filter(center=center)
    Certification.objects.filter(candidate__session__in=old).delete()
    old.delete()
    session = Session.objects.create(
        center=center,
        address="Lycée du banc d'essai",
        room="Salle 40",
        date=timezone.localdate(),
        time=timezone.localtime().time().replace(second=0, microsecond=0),
        examiner="Mme Dupont, M. Martin",
        access_code="BCDF23",
        invigilator_password="BCDF2",
    )
    user, created = User.objects.get_or_create(
        email="surveillant@bench.example",
        defaults={"first_name": "Bench", "last_name": "Surveillant", "cgu_accepted_at": timezone.now()},
    )
    if created:
        user.set_password("pixcertif")
        user.save()
    InvigilatorAccess.objects.create(user=user, session=session)
    now = timezone.now()
    challenge, _ = Challenge.objects.get_or_create(
        code="bench-challenge",
        defaults={"competence": "1.1", "level": 1, "type": "qcu", "instruction": "?", "solution": "1"},
    )
    for i in range(CANDIDATES):
        first, last = f"Prénom{i:02d}", f"Nom{i:02d}"
        candidate = Candidate.objects.create(
            session=session,
            last_name=last,
            first_name=first,
            birth_date="2010-05-17",
            identity_key=identity_key(first, last),
            extra_time_percentage=30 if i % 5 == 0 else None,
            authorized_to_start=i % 3 == 0,
            # One ticked box in three is over 15 minutes old: shown as expired.
            authorized_at=(now - timedelta(minutes=20 if LIVE_DAY and i % 9 == 0 else 1)) if i % 3 == 0 else None,
        )
        if i % 3:
            in_progress = i % 3 == 1
            certification = Certification.objects.create(
                candidate=candidate,
                user=User.objects.get_or_create(email=f"candidat{i}@bench.example")[0],
                # One test in progress is 25 hours old: "Délai expiré".
                started_at=now - timedelta(hours=25 if LIVE_DAY and i == 1 else 0, minutes=30),
                state=CertificationState.STARTED if in_progress else CertificationState.COMPLETED,
            )
            if LIVE_DAY and in_progress:
                # Answered 2 or 12 minutes ago ("Inactif depuis 12 min"); one alert in three open.
                CertificationChallenge.objects.create(
                    certification=certification,
                    index=0,
                    challenge=challenge,
                    competence="1.1",
                    answer="1",
                    result="ok",
                    answered_at=now - timedelta(minutes=12 if i % 2 else 2),
                )
                if i % 9 == 1:
                    LiveAlert.objects.create(
                        certification=certification, question_index=1, challenge=challenge, code="E1", created_at=now
                    )
                if i % 6 == 1:
                    IssueReport.objects.create(
                        certification=certification, code="C8", category="C8", source=IssueReportSource.INVIGILATOR
                    )
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return session.pk, f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int) -> subprocess.Popen:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn),
            "pixcertif.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--pythonpath",
            str(ROOT),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
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


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # loopback only
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


WRK_SCRIPT = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(95), summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
end
"""


def run_wrk(url: str, headers: dict[str, str], seconds: int) -> tuple[float, float, int]:
    """(requests/s, p95 in ms, errors) with wrk."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT)
    try:
        header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
        threads = str(min(2, CONNECTIONS))
        command = ["wrk", "-t", threads, "-c", str(CONNECTIONS), "-d", f"{seconds}s", "-s", script.name]
        output = subprocess.run(
            [*command, *header_args, url], capture_output=True, text=True, check=True, timeout=seconds + 30
        ).stdout
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT "))
    requests, duration_us, p95_us, errors = (int(x) for x in line.split()[1:])
    return requests / (duration_us / 1_000_000), p95_us / 1000, errors


def run_threads(url: str, headers: dict[str, str], seconds: int, expected: int) -> tuple[float, float, int]:
    """The same measure without wrk: CONNECTIONS threads, keep-alive connections, bounded time."""
    import http.client

    parsed = urlparse(url)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
        mine: list[float] = []
        failed = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                connection.request("GET", parsed.path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != expected:
                    failed += 1
            except OSError:
                failed += 1
                connection.close()
                connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    began = time.monotonic()
    workers = [threading.Thread(target=worker) for _ in range(CONNECTIONS)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=seconds + 30)
    elapsed = time.monotonic() - began
    p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) >= 20 else float("nan")
    return len(latencies) / elapsed, p95, errors[0]


def main() -> int:
    os.environ.update(ENV)
    ensure_database(ENV["DATABASE_URL"])
    session_id, cookie = prepare_data()
    port = int(os.environ.get("BENCH_PORT", "0")) or free_port()
    base = f"http://127.0.0.1:{port}"
    fragment = f"{base}/sessions/{session_id}/surveiller/candidats"
    server = start_gunicorn(port)
    try:
        auth = {"Cookie": cookie}
        status, headers = fetch(fragment, auth)
        if status != 200 or "ETag" not in headers:
            raise SystemExit(f"the fragment answered {status} (expected 200 with an ETag)")
        etag = headers["ETag"]
        scenarios = [
            ("bare", f"{base}/bench/bare", auth, 200),
            ("200", fragment, auth, 200),
            ("304", fragment, {**auth, "If-None-Match": etag}, 304),
        ]
        for name, url, hdrs, expected in scenarios:
            if name == "304":  # a copy of this minute (the list's labels turn each minute)
                hdrs = {**auth, "If-None-Match": fetch(fragment, auth)[1]["ETag"]}
            status, _ = fetch(url, hdrs)
            if status != expected:
                raise SystemExit(f"{name}: answered {status}, expected {expected}")
        use_wrk = shutil.which("wrk") is not None
        tool = "wrk" if use_wrk else "Python threads"
        print(
            f"gunicorn 2 workers, PostgreSQL, {CANDIDATES} candidates, {CONNECTIONS} connections, "
            f"{ROUNDS} rounds of {SECONDS} s per path (medians)"
        )
        print(f"load generator: {tool}, loopback {base}")
        # Rounds interleave the three paths, so that a change of load on the machine during the
        # run weighs on all of them alike; each figure is the median of its rounds.
        runs: dict[str, list[tuple[float, float, int]]] = {name: [] for name, *_ in scenarios}
        for round_number in range(ROUNDS):
            for name, url, hdrs, expected in scenarios:
                if name == "304":
                    # The list's ETag holds until the next minute while tests are in progress (the
                    # "il y a N min" labels turn then): measure the 304 path within one minute.
                    if 60 - time.time() % 60 < SECONDS + 5:
                        time.sleep(60 - time.time() % 60 + 0.5)
                    hdrs = {**auth, "If-None-Match": fetch(fragment, auth)[1]["ETag"]}
                for seconds in [1, SECONDS] if round_number == 0 else [SECONDS]:  # first: a 1 s warm-up
                    measure = run_wrk(url, hdrs, seconds) if use_wrk else run_threads(url, hdrs, seconds, expected)
                runs[name].append(measure)
        results = {
            name: (
                statistics.median(r[0] for r in measures),
                statistics.median(r[1] for r in measures),
                sum(r[2] for r in measures),
            )
            for name, measures in runs.items()
        }
        print(f"{'path':<6} {'req/s':>9} {'p95 ms':>8} {'errors':>7} {'× bare':>7} {'target':>7}")
        bare_rps = results["bare"][0]
        ok = True
        for name, (rps, p95, errors) in results.items():
            ratio = rps / bare_rps if bare_rps else 0.0
            target = TARGETS.get(name)
            mark = "" if target is None else (f"≥{target:.1f} ✓" if ratio >= target else f"≥{target:.1f} ✗")
            ok = ok and (target is None or ratio >= target) and errors == 0
            print(f"{name:<6} {rps:>9.0f} {p95:>8.1f} {errors:>7} {ratio:>7.2f} {mark:>7}")
        return 0 if ok else 1
    finally:
        stop(server)


if __name__ == "__main__":
    raise SystemExit(main())
