"""Demo data step 1: the question bank (see `manage.py seed_demo`)."""

from __future__ import annotations

from typing import TextIO

from django.core.management import call_command


def seed_demo(stdout: TextIO) -> None:
    call_command("load_challenges", stdout=stdout)
