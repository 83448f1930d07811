"""Send the finalisation reminders due now (24 h and 44 h after a session's start).

Meant to run every 15 minutes (cron or a systemd timer, see README); safe on several servers at once.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from finalisation.reminders import reminders_send


class Command(BaseCommand):
    help = "Envoie les rappels de finalisation dus (24 h et 44 h après le début de la session)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = reminders_send()
        for reminder in sent:
            self.stdout.write(
                f"session {reminder.session_id}: rappel {reminder.kind} → {', '.join(reminder.recipients)}"
            )
        self.stdout.write(f"{len(sent)} rappel(s) envoyé(s).")
