"""Settings of the invigilator benchmark only: the real settings plus `bench.urls`, which adds a
bare view to compare with. Never used outside `bench/invigilator.py`."""

from pixcertif.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
