"""Benchmark of the candidate's path: what does a candidate's request cost, and does a room of 200 hold?

Starts gunicorn (BENCH_WORKERS sync workers, 4 by default) on PostgreSQL and prepares N
candidates (BENCH_CANDIDATES, 700), each with a started test of 48 questions drawn from the real
bank (`load_challenges`) in their own certification, and a real login session in the engine the
settings pick (the database, or Redis with REDIS_URL: `cached_db`). Then, in rounds that
interleave the paths (BENCH_ROUNDS, 3), each for BENCH_SECONDS (5) with BENCH_CONNECTIONS (16)
candidates at once:

  bare          a Django view returning a fixed string, with the candidates' cookies;
  question      the question page alone (GET), as after a reload;
  answer        one answered question, the whole round trip: with htmx, the answer POST that
                answers the next question card (one request); without it (the page's fallback,
                and the product before #13), the POST and the GET of its redirect. Each
                connection takes a fresh test when its test is over (the others' are never
                answered, so that their question page shows a question);
  heartbeat     the test page's heartbeat POST, writing the time of the ping as a real one does
                (pages ping 40 s after their last answer or ping: `bench/settings.py`).

For each it prints app CPU ms and PostgreSQL CPU ms per request (read from /proc, see
`bench/cpu.py`), min and median over the rounds, and the multiple of the bare view. Then
BENCH_LOAD_CANDIDATES (200) candidates answer at once for BENCH_LOAD_SECONDS (15): answers/s and
the answer round trip's p50/p95.

Every answer is checked: the reply must show the next question (or the end of the test); any
other reply is an error, and the run fails on one error. At the end the database is read back:
each certification must hold exactly the answers its candidate was told were recorded.

The figures are written to bench/out/candidates.json for `bench/capacity.py`.

    DATABASE_URL=postgres://root@127.0.0.1:5432/pix_bench (default; created if missing)
    BENCH_MODE=auto|htmx|prg (auto: htmx when the answer POST answers the next card)
    .venv/bin/python bench/candidates.py
"""

from __future__ import annotations

import http.client
import os
import re
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import cpu as harness

SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
CANDIDATES = int(os.environ.get("BENCH_CANDIDATES", "700"))
LOAD_CANDIDATES = min(int(os.environ.get("BENCH_LOAD_CANDIDATES", "200")), CANDIDATES)
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "15"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "4"))
MODE = os.environ.get("BENCH_MODE", "auto")
CSRF = "benchcsrfsecret0123456789abcdefg"  # 32 characters: Django accepts the bare secret as token
TARGETS = {"question": ("cpu<=", 1.5), "answer": ("cpu<=", 2.5)}
INDEX_RE = re.compile(rb'name="index" value="(\d+)"')
DRY = "no fresh test left for the rounds' answers: raise BENCH_CANDIDATES"
FAILURES: list[str] = []  # the first replies that were not the next question, to print


def _failed(seat: Seat, index: int, status: int, body: bytes) -> bool:
    if len(FAILURES) < 5:
        title = re.search(rb"<title>(.*?)</title>", body, re.S)
        shown = title.group(1).decode(errors="replace").strip() if title else body[:120].decode(errors="replace")
        where = f"certification {seat.certification_id}, question {index}"
        FAILURES.append(f"not the next question: {where}: {status} {shown!r}")
    return False


@dataclass
class Seat:
    """One candidate at one computer: their cookies, their test, what they were told."""

    certification_id: int
    cookie: str
    types: list[str]  # the challenge type of each question, in order
    next_index: int = 0
    acknowledged: int = 0  # answers the server's reply confirmed
    latencies: list[float] = field(default_factory=list)


def prepare_data() -> list[Seat]:
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    from pixcertif.accounts.models import CertificationCenter, User
    from sessions_app.competences import COMPETENCE_CODES
    from sessions_app.models import Candidate, Certification, CertificationChallenge, Session
    from sessions_app.normalize import identity_key
    from sessions_app.services.certification import draw_challenges
    from sessions_app.views.certifications import ACCESS_KEY

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    call_command("load_challenges", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: the manifest's names
    center, _ = CertificationCenter.objects.get_or_create(
        name="Centre du banc d'essai des candidats", defaults={"type": CertificationCenter.Type.PRO}
    )
    old = Session.objects.filter(center=center)
    Certification.objects.filter(candidate__session__in=old).delete()
    old.delete()
    now = timezone.now()
    levels = dict.fromkeys(COMPETENCE_CODES, 5)
    seats = []
    with transaction.atomic():
        session = Session.objects.create(
            center=center,
            address="Lycée du banc d'essai",
            room="Salle 200",
            date=timezone.localdate(),
            time=timezone.localtime().time().replace(second=0, microsecond=0),
            examiner="Mme Dupont",
            access_code="BCDF24",
            invigilator_password="BCDF3",
            started_at=now,
        )
        for i in range(CANDIDATES):
            user, created = User.objects.get_or_create(
                email=f"candidat{i:03d}@bench-candidats.example",
                defaults={"first_name": f"Prénom{i:03d}", "last_name": f"Nom{i:03d}", "cgu_accepted_at": now},
            )
            if created:
                user.set_password("pixcertif-bench")
                user.save(update_fields=["password"])
            candidate = Candidate.objects.create(
                session=session,
                last_name=user.last_name,
                first_name=user.first_name,
                birth_date="2010-05-17",
                identity_key=identity_key(user.first_name, user.last_name),
                user=user,
                linked_at=now,
            )
            drawn = draw_challenges(levels, seed=i)
            certification = Certification.objects.create(
                candidate=candidate, user=user, started_at=now, seed=i, challenge_count=len(drawn)
            )
            CertificationChallenge.objects.bulk_create(
                CertificationChallenge(certification=certification, index=n, challenge=c, competence=c.competence)
                for n, c in enumerate(drawn)
            )
            key = harness.login_session(user, **{ACCESS_KEY: [certification.pk]})  # this browser started the test
            cookie = f"{settings.SESSION_COOKIE_NAME}={key}; {settings.CSRF_COOKIE_NAME}={CSRF}"
            seats.append(Seat(certification.pk, cookie, [c.type for c in drawn]))
    return seats


def recorded_answers(certification_ids: list[int]) -> dict[int, tuple[int, int]]:
    """(answered questions, current_index) of each certification, read back from the database."""
    from django.db.models import Count, Q

    from sessions_app.models import Certification

    return {
        pk: (answered, current)
        for pk, answered, current in Certification.objects.filter(pk__in=certification_ids)
        .annotate(answered=Count("challenges", filter=~Q(challenges__result="")))
        .values_list("pk", "answered", "current_index")
    }


class Client:
    """One keep-alive connection, for one seat at a time."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, headers: dict[str, str], body: str | None = None):
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            return response.status, response.getheader("Location", ""), response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            return 0, "", b""


def _answer_body(seat: Seat, index: int) -> str:
    kind = seat.types[index]
    answer = "bench" if kind == "qroc" else "1"
    return urlencode({"csrfmiddlewaretoken": CSRF, "index": index, "answer": answer, "action": "answer"})


def answer_once(client: Client, seat: Seat, mode: str) -> bool:
    """Answer the seat's current question; True when the reply shows the next one (or the end)."""
    index = seat.next_index
    if index >= len(seat.types):
        return True  # finished: nothing left to answer (not counted)
    headers = {"Cookie": seat.cookie, "Content-Type": "application/x-www-form-urlencoded"}
    if mode == "htmx":
        headers["HX-Request"] = "true"
    test = f"/certifications/{seat.certification_id}"
    started = time.perf_counter()
    status, location, body = client.request("POST", f"{test}/reponse", headers, _answer_body(seat, index))
    if mode == "prg":
        if status != 302 or not location.endswith(test):
            return _failed(seat, index, status, body)
        status, _location, body = client.request("GET", test, {"Cookie": seat.cookie})
    seat.latencies.append(time.perf_counter() - started)
    if status != 200:
        return _failed(seat, index, status, body)
    last = index + 1 >= len(seat.types)
    shown = INDEX_RE.search(body)
    # The next question's card, or after the last one the end screen (no question in it).
    if (last and shown is not None) or (not last and (shown is None or int(shown.group(1)) != index + 1)):
        return _failed(seat, index, status, body)
    seat.next_index = index + 1
    seat.acknowledged += 1
    return True


def detect_mode(port: int, seat: Seat) -> str:
    if MODE in {"htmx", "prg"}:
        return MODE
    client = Client(port)
    headers = {"Cookie": seat.cookie, "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true"}
    status, _location, body = client.request(
        "POST", f"/certifications/{seat.certification_id}/reponse", headers, _answer_body(seat, seat.next_index)
    )
    if status == 302:  # the answer was recorded, then redirected: the product without the swap
        seat.next_index += 1
        seat.acknowledged += 1
        return "prg"
    if status == 200 and (m := INDEX_RE.search(body)) and int(m.group(1)) == seat.next_index + 1:
        seat.next_index += 1
        seat.acknowledged += 1
        return "htmx"
    raise SystemExit(f"the answer POST answered {status}: neither the next card nor a redirect")


def run_phase(port: int, seats: list[Seat], seconds: float, action) -> tuple[int, int]:
    """Each seat in its own thread, acting in a loop until the time is up: (requests, errors)."""
    stop_at = time.monotonic() + seconds
    totals = {"requests": 0, "errors": 0}
    lock = threading.Lock()

    def worker(seat: Seat) -> None:
        client = Client(port)
        requests = errors = 0
        while time.monotonic() < stop_at:
            done, ok = action(client, seat)
            requests += done
            errors += not ok
        client.connection.close()
        with lock:
            totals["requests"] += requests
            totals["errors"] += errors

    threads = [threading.Thread(target=worker, args=(seat,)) for seat in seats]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 60)
    return totals["requests"], totals["errors"]


def main() -> int:
    os.environ.update(harness.ENV)
    database_url = harness.ENV["DATABASE_URL"]
    harness.ensure_database(database_url)
    seats = prepare_data()
    port = int(os.environ.get("BENCH_PORT", "0")) or harness.free_port()
    server = harness.start_gunicorn(port, workers=WORKERS)
    try:
        meter = harness.CpuMeter(server, database_url)
        mode = detect_mode(port, seats[0])
        engine = "Redis (cached_db)" if os.environ.get("REDIS_URL") else "database"
        print(
            f"gunicorn {WORKERS} workers, PostgreSQL, login sessions in the {engine}; {CANDIDATES} candidates, "
            f"answers by {mode}; {ROUNDS} rounds of {SECONDS:g} s per path, {CONNECTIONS} candidates at once"
        )
        errors = 0

        def bare(client: Client, seat: Seat):
            status, _l, _b = client.request("GET", "/bench/bare", {"Cookie": seat.cookie})
            return 1, status == 200

        def question(client: Client, seat: Seat):
            status, _l, body = client.request(
                "GET", f"/certifications/{seat.certification_id}", {"Cookie": seat.cookie}
            )
            return 1, status == 200 and INDEX_RE.search(body) is not None

        def heartbeat(client: Client, seat: Seat):
            headers = {"Cookie": seat.cookie, "X-CSRFToken": CSRF, "HX-Request": "true"}
            status, _l, body = client.request("POST", f"/certifications/{seat.certification_id}/presence", headers, "")
            return 1, status == 200 and b'"token"' in body

        # The rounds' answers: each connection takes a fresh test from `supply` when its test is over
        # (a fast server finishes 48 questions in seconds); the pool's tests are never answered, so
        # that their question page always shows a question.
        supply = iter(seats[1 + CONNECTIONS :])
        supply_lock = threading.Lock()
        holder = threading.local()

        def answer_next(client: Client, _seat: Seat):
            seat = getattr(holder, "seat", None)
            if seat is None or seat.next_index >= len(seat.types):
                with supply_lock:
                    seat = holder.seat = next(supply, None)
                if seat is None:
                    if not FAILURES or FAILURES[-1] != DRY:
                        FAILURES.append(DRY)
                    return 0, False
            return 1, answer_once(client, seat, mode)

        def answer(client: Client, seat: Seat):
            if seat.next_index >= len(seat.types):
                time.sleep(0.01)
                return 0, True
            return 1, answer_once(client, seat, mode)

        paths = {"bare": bare, "question": question, "answer": answer_next, "heartbeat": heartbeat}
        costs: dict[str, list[harness.Cost]] = {name: [] for name in paths}
        pool = seats[1 : 1 + CONNECTIONS]
        run_phase(port, pool, 1.0, bare)  # warm-up: every worker, every connection
        run_phase(port, pool, 1.0, question)
        for _round in range(ROUNDS):
            for name, action in paths.items():
                result = {}

                def phase(action=action, result=result) -> int:
                    result["requests"], result["errors"] = run_phase(port, pool, SECONDS, action)
                    return result["requests"]

                costs[name].append(meter.measure(phase))
                errors += result["errors"]
        print("CPU per request (answer: the whole round trip of one answered question)")
        ok = harness.print_costs(costs, targets=TARGETS)

        # 200 candidates at once, answering as fast as the server lets them.
        with supply_lock:
            load = [seat for _n, seat in zip(range(LOAD_CANDIDATES), supply, strict=False)]
        if len(load) < LOAD_CANDIDATES:
            raise SystemExit("not enough fresh tests for the load phase: raise BENCH_CANDIDATES")
        for seat in load:
            seat.latencies.clear()
        load_result: dict[str, int] = {}

        def load_phase() -> int:
            load_result["requests"], load_result["errors"] = run_phase(port, load, LOAD_SECONDS, answer)
            return load_result["requests"]

        load_cost = meter.measure(load_phase)
        errors += load_result["errors"]
        latencies = sorted(x for seat in load for x in seat.latencies)
        p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
        p95 = statistics.quantiles(latencies, n=20)[18] * 1000 if len(latencies) >= 20 else float("nan")
        print(
            f"{len(load)} candidates at once for {LOAD_SECONDS:g} s: {load_cost.requests / load_cost.seconds:.0f} "
            f"answers/s, round trip p50 {p50:.0f} ms, p95 {p95:.0f} ms; app {load_cost.app_ms:.2f} ms, "
            f"PostgreSQL {load_cost.db_ms:.2f} ms per answer"
        )
    finally:
        harness.stop(server)

    recorded = recorded_answers([seat.certification_id for seat in seats])
    mismatched = [
        seat.certification_id
        for seat in seats
        if recorded.get(seat.certification_id) != (seat.acknowledged, seat.next_index)
    ]
    acknowledged = sum(seat.acknowledged for seat in seats)
    in_database = sum(answered for answered, _current in recorded.values())
    print(
        f"answers acknowledged {acknowledged}, recorded {in_database}; certifications that differ: "
        f"{len(mismatched)}; errors: {errors}"
    )
    harness.write_costs(
        "candidates",
        costs,
        mode=mode,
        workers=WORKERS,
        session_engine="redis" if os.environ.get("REDIS_URL") else "db",
        load={"candidates": len(load), "p50_ms": p50, "p95_ms": p95, **asdict(load_cost)},
    )
    for failure in FAILURES:
        print("  failed:", failure)
    if errors or mismatched:
        print("FAILED: errors, or answers acknowledged that the database does not hold (or the reverse)")
        return 1
    return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
