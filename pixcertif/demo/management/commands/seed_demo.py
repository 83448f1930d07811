"""Demo data, idempotent: run it as often as you like; password `pixcertif` everywhere.

Each step is a module with `seed_demo(stdout)`, run in this order in one transaction: the accounts
and centres first, then what each app adds on top of the previous steps.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from finalisation import demo_finalisation, demo_results
from invigilation import demo as invigilation_demo
from pixcertif.accounts import demo as accounts_demo
from sessions_app import demo_challenges, demo_enrolment, demo_sessions

STEPS = [
    accounts_demo,  # accounts, the two centres and their teams
    demo_challenges,  # question bank (candidate side)
    demo_sessions,  # sessions of both demo centres
    demo_enrolment,  # students, candidate accounts, profiles, enrolments
    invigilation_demo,  # presence ticked, tests started (invigilator space)
    demo_finalisation,  # one session finalised with a report
    demo_results,  # one session processed by the jury and published
]


class Command(BaseCommand):
    help = "Create (or refresh) the demo centres, accounts and data. Idempotent."

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        for step in STEPS:
            step.seed_demo(self.stdout)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(accounts_demo.LOGINS)
