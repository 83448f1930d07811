"""Load (or refresh) the question bank from a JSON file. Idempotent: update_or_create by code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from sessions_app.answers import solution_errors
from sessions_app.competences import COMPETENCE_CODES
from sessions_app.models import Challenge

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "data" / "challenges.json"
FIELDS = ["competence", "level", "type", "instruction", "proposals", "solution", "timer_seconds"]
FLAGS = ["has_image", "has_attachment", "has_embed", "is_focus"]
# "accessible": drawn for candidates who need an adjustment; only a question with none of FLAGS.
ACCESSIBLE = "accessible"


def read_bank(path: Path) -> list[dict[str, Any]]:
    """The file's challenges, checked; a CommandError lists every problem found."""
    try:
        items = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise CommandError(f"Impossible de lire {path} : {error}") from error
    if not isinstance(items, list):
        raise CommandError(f"{path} : une liste d'épreuves est attendue.")
    problems: list[str] = []
    codes: set[str] = set()
    for position, item in enumerate(items, start=1):
        code = str(item.get("code", ""))
        where = f"épreuve {position} ({code or 'sans code'})"
        if not code or len(code) > 32:
            problems.append(f"{where} : code manquant ou trop long")
        if code in codes:
            problems.append(f"{where} : code en double")
        codes.add(code)
        if item.get("competence") not in COMPETENCE_CODES:
            problems.append(f"{where} : compétence inconnue")
        if not isinstance(item.get("level"), int) or not 1 <= item["level"] <= 8:
            problems.append(f"{where} : niveau entre 1 et 8 attendu")
        if not str(item.get("instruction", "")).strip():
            problems.append(f"{where} : consigne vide")
        timer = item.get("timer_seconds")
        if timer is not None and (not isinstance(timer, int) or timer <= 0):
            problems.append(f"{where} : temps imparti invalide")
        if item.get(ACCESSIBLE) and any(item.get(flag) for flag in FLAGS):
            problems.append(f"{where} : une épreuve avec image, fichier, simulateur ou mode focus n'est pas accessible")
        errors = solution_errors(item.get("type", ""), item.get("proposals") or [], str(item.get("solution", "")))
        problems += [f"{where} : {error}" for error in errors]
    if problems:
        raise CommandError("Banque de questions invalide :\n" + "\n".join(problems))
    return items


class Command(BaseCommand):
    help = "Charge la banque d'épreuves (sessions_app/data/challenges.json) : crée ou met à jour par code."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help="Fichier JSON des épreuves")

    def handle(self, *args: Any, **options: Any) -> None:
        items = read_bank(options["file"])
        created = updated = 0
        with transaction.atomic():
            for item in items:
                defaults = {field: item.get(field) for field in FIELDS}
                defaults["proposals"] = defaults["proposals"] or []
                defaults.update({flag: bool(item.get(flag, False)) for flag in [*FLAGS, ACCESSIBLE]})
                _, was_created = Challenge.objects.update_or_create(code=item["code"], defaults=defaults)
                created += was_created
                updated += not was_created
        self.stdout.write(f"Banque de questions : {created} épreuve(s) créée(s), {updated} mise(s) à jour.")
