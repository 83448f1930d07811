"""Benchmark of the invigilator's live list: CPU per request of each answer it gives.

Starts gunicorn (2 workers, `gunicorn pixcertif.wsgi`) on PostgreSQL (`bench/cpu.py`), creates a
session of 40 candidates of a live day (a third ticked, a third in progress, a third finished;
open alerts, answers 2 and 12 minutes ago — "Inactif depuis 12 min" —, "Délai expiré", incidents
logged, an expired authorisation) watched by one invigilator (a real login session cookie), then
drives concurrent pollers on loopback (wrk; Python threads when wrk is missing), as the page's
script polls (HX-Request, Accept-Encoding: gzip, its copy in If-None-Match and X-Pix-List-Copy):

  bare        a Django view returning a fixed string (same middleware, same cookie) — the baseline;
  304         the fragment, the page's copy current (nothing changed);
  200-delta   the fragment, 3 rows stamped since the page's copy: only those rows and the counters;
  200-full    the fragment with no copy: the whole list.

Prints, for each, app CPU ms and PostgreSQL CPU ms per request (min and median over the rounds,
read from /proc), the multiple of the bare view's app CPU and its inverse (`bare/path`: the
requests/s the same cores give, relative to the bare view). Targets: 304 ≥ 0.9, 200-delta ≥ 0.5.
Writes bench/out/invigilator.json for `bench/capacity.py`.

    DATABASE_URL=postgres://root@127.0.0.1:5432/pix_bench  (default; created if missing)
    BENCH_SECONDS=5  BENCH_ROUNDS=3  BENCH_CONNECTIONS=16  BENCH_PORT=0 (free port)  BENCH_LIVE_DAY=1
    .venv/bin/python bench/invigilator.py
"""

from __future__ import annotations

import os
import shutil
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

from bench import cpu as harness  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
CANDIDATES = 40
CHANGED_ROWS = 3
# The live day's data on the list; BENCH_LIVE_DAY=0 for the plain list.
LIVE_DAY = os.environ.get("BENCH_LIVE_DAY", "1") != "0"
TARGETS = {"304": ("rate>=", 0.9), "200-delta": ("rate>=", 0.5)}
CSRF = "benchcsrfsecret0123456789abcdefg"  # 32 characters: the CSRF cookie's secret


def prepare_data() -> tuple[int, str]:
    """Migrate, then (re)create the benchmark session: 40 candidates — a third ticked, a third
    started, a third finished; with LIVE_DAY some open alerts, answers, inactive and expired tags,
    incidents logged — and an invigilator with access and a login session. Returns
    (session id, session cookie value)."""
    import django

    django.setup()
    from django.conf import settings
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
    session_key = harness.login_session(user)
    # Every row last changed well before the benchmark's copies: only the rows it stamps are new.
    long_ago = now - timedelta(minutes=40)
    Candidate.objects.filter(session=session).update(changed_at=long_ago)
    for certification in Certification.objects.filter(candidate__session=session):
        last = certification.challenges.filter(answered_at__isnull=False).order_by("-answered_at").first()
        certification.last_answered_at = last.answered_at if last else None
        certification.save(update_fields=["last_answered_at"])
    # The CSRF cookie too, as the invigilator's browser holds it once the session page has set it
    # (without it every poll would mint a new secret and send a Set-Cookie back).
    return session.pk, f"{settings.SESSION_COOKIE_NAME}={session_key}; {settings.CSRF_COOKIE_NAME}={CSRF}"


def stamp_rows(session_id: int, count: int) -> None:
    """`count` candidates of the session changed now (as a tick or a start stamps them)."""
    from django.utils import timezone

    from sessions_app.models import Candidate

    pks = list(Candidate.objects.filter(session_id=session_id).order_by("pk").values_list("pk", flat=True)[:count])
    Candidate.objects.filter(pk__in=pks).update(changed_at=timezone.now())


def fetch(url: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers)  # loopback only
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # a cold worker on a busy machine
            response.read()
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


def polled(auth: dict[str, str], copy: str = "") -> dict[str, str]:
    """The headers of the page's script polling the list (with its copy, when it has one)."""
    headers = {**auth, "HX-Request": "true", "Accept-Encoding": "gzip, deflate, br"}
    if copy:
        headers.update({"If-None-Match": copy, "X-Pix-List-Copy": copy})
    return headers


def main() -> int:
    os.environ.update(harness.ENV)
    database_url = harness.ENV["DATABASE_URL"]
    harness.ensure_database(database_url)
    session_id, cookie = prepare_data()
    port = int(os.environ.get("BENCH_PORT", "0")) or harness.free_port()
    base = f"http://127.0.0.1:{port}"
    fragment = f"{base}/sessions/{session_id}/surveiller/candidats"
    server = harness.start_gunicorn(port)
    try:
        meter = harness.CpuMeter(server, database_url)
        auth = {"Cookie": cookie}
        use_wrk = shutil.which("wrk") is not None
        tool = "wrk" if use_wrk else "Python threads"

        def scenarios() -> dict[str, tuple[str, dict[str, str], int]]:
            """The four paths, with copies taken now: the page's copy, 3 rows stamped after it,
            then the current copy (nothing changed since)."""
            status, headers = fetch(fragment, polled(auth))
            if status != 200 or "ETag" not in headers:
                raise SystemExit(f"the fragment answered {status} (expected 200 with an ETag)")
            time.sleep(0.01)
            stamp_rows(session_id, CHANGED_ROWS)
            old_copy = headers["ETag"]
            status, delta = fetch(fragment, polled(auth, old_copy))
            if status != 200 or delta.get("X-Pix-List-Delta") != str(CHANGED_ROWS):
                raise SystemExit(f"200-delta: answered {status}, {delta.get('X-Pix-List-Delta')} rows")
            current = delta["ETag"]
            found = {
                "bare": (f"{base}/bench/bare", {**auth, "Accept-Encoding": "gzip, deflate, br"}, 200),
                "304": (fragment, polled(auth, current), 304),
                "200-delta": (fragment, polled(auth, old_copy), 200),
                "200-full": (fragment, polled(auth), 200),
            }
            for name, (url, hdrs, expected) in found.items():
                status, _headers = fetch(url, hdrs)
                if status != expected:
                    raise SystemExit(f"{name}: answered {status}, expected {expected}")
            return found

        print(
            f"gunicorn 2 workers, PostgreSQL, {CANDIDATES} candidates (live day: {LIVE_DAY}), "
            f"{CONNECTIONS} connections, {ROUNDS} rounds of {SECONDS} s per path; load generator: {tool}"
        )
        costs: dict[str, list[harness.Cost]] = {name: [] for name in ("bare", "304", "200-delta", "200-full")}
        errors = 0
        for round_number in range(ROUNDS):
            # The copies hold until the next minute while tests are in progress (the "il y a N min"
            # labels turn then): measure the round's fragment paths within one minute.
            needed = 4 * SECONDS + (2 if round_number else 6) + 5
            if 60 - time.time() % 60 < needed:
                time.sleep(60 - time.time() % 60 + 0.5)
            paths = scenarios()
            for name, (url, hdrs, expected) in paths.items():
                if round_number == 0:  # a 1 s warm-up of each path
                    run_wrk(url, hdrs, 1) if use_wrk else run_threads(url, hdrs, 1, expected)
                result: dict[str, float] = {}

                def phase(url=url, hdrs=hdrs, expected=expected, result=result) -> int:
                    rps, p95, failed = (
                        run_wrk(url, hdrs, SECONDS) if use_wrk else run_threads(url, hdrs, SECONDS, expected)
                    )
                    result.update(rps=rps, p95=p95, errors=failed)
                    return int(rps * SECONDS)

                costs[name].append(meter.measure(phase))
                errors += int(result["errors"])
                print(
                    f"  round {round_number + 1} {name:<10} {result['rps']:>7.0f} req/s  p95 {result['p95']:>6.1f} ms"
                    f"  app {costs[name][-1].app_ms:.2f} ms  pg {costs[name][-1].db_ms:.2f} ms"
                )
        print("CPU per request (app: gunicorn workers; pg: their PostgreSQL backends)")
        ok = harness.print_costs(costs, targets=TARGETS)
        harness.write_costs("invigilator", costs, candidates=CANDIDATES, changed_rows=CHANGED_ROWS, live_day=LIVE_DAY)
        print(f"errors: {errors}")
        return 0 if ok and errors == 0 else 1
    finally:
        harness.stop(server)


if __name__ == "__main__":
    raise SystemExit(main())
