"""Settings of the HTTP benchmarks only (`bench/candidates.py`, `bench/invigilator.py`): the real
settings plus `bench.urls`, which adds a bare view to compare with, and one clock rule changed so
that the benchmark's heartbeats cost what the real ones do. Never used outside `bench/`."""

from datetime import timedelta

from pixcertif.settings import *  # noqa: F403
from pixcertif.settings import CERTIFICATION_CLOCK

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}

# A real test page pings HEARTBEAT_EVERY (40 s) after its last answer or ping, which is more than
# HEARTBEAT_WRITE_EVERY (30 s): every real ping writes its time. The benchmark's pages ping back to
# back, so without this only their first ping would write: with it, each one does, as in a room.
CERTIFICATION_CLOCK = {**CERTIFICATION_CLOCK, "HEARTBEAT_WRITE_EVERY": timedelta(0)}
