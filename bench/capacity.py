"""The national peak, from the costs measured on this machine: how many cores does it need?

Reads bench/out/candidates.json (`bench/candidates.py`) and bench/out/invigilator.json
(`bench/invigilator.py`) — the median app CPU and PostgreSQL CPU per request of each hot request —
and multiplies them by the request rates of the national peak:

  ≈20,000 candidates in ≈1,000 rooms, answering ≈330 questions/s in all;
  the test pages' heartbeats: a page pings HEARTBEAT_EVERY (40 s) after its last answer or ping,
      so with answers as a Poisson stream of rate r per page (330 / 20,000), a page sends
      r·e^(-40r) / (1 - e^(-40r)) pings per second (≈ 350/s in all; 1,000/s when it pinged every
      20 s whatever the answers);
  question pages loaded outside the answer's own reply (a start, a resume, a reload):
      QUESTION_SHARE of the answers (default 5 %);
  ≈400 invigilator polls/s (2,000 invigilator screens polling every 5 s), of which
      one in 12 renders the whole list (the minute labels turn once a minute),
      and the others a 304 when no candidate of the room changed in the 5 s since the copy
      (Poisson: a room's 20 candidates answer 0.33/s, so e^-1.65 ≈ 19 % of polls),
      else a 200 of the changed rows only.

Prints the cores needed at 70 % utilisation for the app servers and for PostgreSQL, each request's
share, and which one dominates. Targets: ≤ 4 app cores, ≤ 2 PostgreSQL cores. Then the same load in
bare views per second (each request's cost over the bare view of its own run), which the load of
the machine's other users moves much less than milliseconds, and what it makes with the issue's
reference bare view (2.5 ms).

    .venv/bin/python bench/capacity.py       (after the two benchmarks)
    PEAK_CANDIDATES=20000 PEAK_ROOMS=1000 PEAK_ANSWERS=330 PEAK_POLLS=400 QUESTION_SHARE=0.05
"""

from __future__ import annotations

import json
import math
import os
import statistics
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"
UTILISATION = 0.7
TARGETS = {"app": 4.0, "db": 2.0}
REFERENCE_BARE_MS = 2.5  # the bare view's app CPU when issue #13 was filed (its figures' machine)


def _env(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


def medians(name: str) -> dict[str, tuple[float, float]]:
    """{path: (app ms, PostgreSQL ms)} — medians over the rounds of bench/out/<name>.json."""
    path = OUT / f"{name}.json"
    if not path.exists():
        raise SystemExit(f"{path} is missing: run bench/{name}.py first")
    costs = json.loads(path.read_text())["costs"]
    return {
        key: (statistics.median(r["app_ms"] for r in runs), statistics.median(r["db_ms"] for r in runs))
        for key, runs in costs.items()
    }


def main() -> int:
    candidates = medians("candidates")
    invigilator = medians("invigilator")
    peak_candidates = _env("PEAK_CANDIDATES", 20_000)
    rooms = _env("PEAK_ROOMS", 1_000)
    answers = _env("PEAK_ANSWERS", 330)
    polls = _env("PEAK_POLLS", 400)
    question_share = _env("QUESTION_SHARE", 0.05)
    heartbeat_every = _env("HEARTBEAT_EVERY", 40)
    per_page = answers / peak_candidates
    silent = math.exp(-per_page * heartbeat_every)
    pings = peak_candidates * per_page * silent / (1 - silent)
    poll_every = 5.0
    changes_per_poll = answers / rooms * poll_every
    unchanged = math.exp(-changes_per_poll)
    full_share = 1 / 12
    rates = {
        "answer (round trip)": (answers, candidates["answer"]),
        "heartbeat": (pings, candidates["heartbeat"]),
        "question page": (answers * question_share, candidates["question"]),
        "invigilator 304": (polls * (1 - full_share) * unchanged, invigilator["304"]),
        "invigilator 200 (changed rows)": (polls * (1 - full_share) * (1 - unchanged), invigilator["200-delta"]),
        "invigilator 200 (whole list)": (polls * full_share, invigilator["200-full"]),
    }
    app_total = sum(rate * app for rate, (app, _db) in rates.values()) / 1000
    db_total = sum(rate * db for rate, (_app, db) in rates.values()) / 1000
    print(
        f"National peak: {peak_candidates:,.0f} candidates in {rooms:,.0f} rooms, {answers:g} answers/s, "
        f"{polls:g} invigilator polls/s ({unchanged:.0%} of them see no change in 5 s)"
    )
    print(f"{'request':<32} {'per s':>7} {'app ms':>7} {'pg ms':>6} {'app cores':>9} {'pg cores':>8} {'app %':>6}")
    for name, (rate, (app, db)) in rates.items():
        share = rate * app / 1000 / app_total if app_total else 0
        print(
            f"{name:<32} {rate:>7.0f} {app:>7.2f} {db:>6.2f} {rate * app / 1000:>9.2f} {rate * db / 1000:>8.2f} "
            f"{share:>6.0%}"
        )
    # The same load in bare views (each request's app CPU over its benchmark's bare view): the load of
    # the other users of a shared machine moves the bare view too, so this one compares runs.
    bare = {"candidates": candidates["bare"][0], "invigilator": invigilator["bare"][0]}
    source = {"heartbeat": "candidates", "question page": "candidates", "answer (round trip)": "candidates"}
    units = sum(rate * app / bare[source.get(name, "invigilator")] for name, (rate, (app, _db)) in rates.items())
    app_cores = app_total / UTILISATION
    db_cores = db_total / UTILISATION
    dominant = max(rates, key=lambda n: rates[n][0] * rates[n][1][0])
    print(f"busy cores: app {app_total:.2f}, PostgreSQL {db_total:.2f}")
    print(
        f"in bare views: {units:,.0f} bare views/s of app CPU (bare view {bare['candidates']:.2f} / "
        f"{bare['invigilator']:.2f} ms in the two runs); with a {REFERENCE_BARE_MS:g} ms bare view "
        f"(the issue's reference): {units * REFERENCE_BARE_MS / 1000 / UTILISATION:.1f} app cores at 70 %"
    )
    print(
        f"needed at {UTILISATION:.0%}: app {app_cores:.1f} cores (target ≤ {TARGETS['app']:g}: "
        f"{'✓' if app_cores <= TARGETS['app'] else '✗'}), PostgreSQL {db_cores:.1f} cores "
        f"(target ≤ {TARGETS['db']:g}: {'✓' if db_cores <= TARGETS['db'] else '✗'}); dominant: {dominant}"
    )
    return 0 if app_cores <= TARGETS["app"] and db_cores <= TARGETS["db"] else 1


if __name__ == "__main__":
    sys.exit(main())
