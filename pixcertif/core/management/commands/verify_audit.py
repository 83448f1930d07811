"""`manage.py verify_audit`: walk the audit trail's hash chain and name the first broken row."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from pixcertif.core import chain
from pixcertif.core.models import AuditEvent


class Command(BaseCommand):
    help = "Vérifie le chaînage du journal des actions et indique la première ligne rompue."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        broken, count = chain.first_break(chain.rows_in_order(AuditEvent.objects.all()), previous_hash="")
        elapsed = time.perf_counter() - started
        if broken is not None:
            raise CommandError(f"Journal rompu à la {broken} ({count} ligne(s) lues).")
        head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
        head_text = f" ; dernière ligne n° {head[0]}, empreinte {head[1]}" if head else ""
        self.stdout.write(f"Journal intègre : {count} ligne(s) vérifiée(s) en {elapsed:.2f} s{head_text}.")
