"""`manage.py import_students --center <id> file.csv`: the roster import of the "Élèves" page."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pixcertif.accounts.models import CertificationCenter
from pixcertif.core.errors import DomainError
from sessions_app.services.enrolment import students_import
from sessions_app.students_csv import StudentsFileError, read_students


class Command(BaseCommand):
    help = "Import (or update, by INE) the students of a school centre from a CSV file. All or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--center", type=int, required=True, help="id of the school certification centre")
        parser.add_argument("file", type=Path, help="CSV file: Classe;Nom;Prénom;Date de naissance;…;INE")

    def handle(self, *args, center: int, file: Path, **options) -> None:
        try:
            target = CertificationCenter.objects.get(pk=center)
        except CertificationCenter.DoesNotExist:
            raise CommandError(f"Aucun centre de certification n'a l'identifiant {center}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire le fichier {file} : {error.strerror}.")
        try:
            result = read_students(data)
        except StudentsFileError as error:
            raise CommandError(str(error))
        if not result.is_valid:
            for line in result.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(result.errors)} erreur(s) : aucun élève n'a été importé.")
        try:
            created, updated = students_import(center=target, rows=result.rows, by=None)
        except DomainError as error:
            raise CommandError(error.message)
        self.stdout.write(
            self.style.SUCCESS(f"Import terminé : {created} élève(s) ajouté(s), {updated} élève(s) mis à jour.")
        )
