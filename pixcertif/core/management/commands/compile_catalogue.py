"""`manage.py compile_catalogue`: the .po translation catalogues compiled to .mo, without GNU gettext."""

from django.core.management.base import BaseCommand

from pixcertif.core.catalogue import compile_catalogues


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo (pure Python, no msgfmt needed)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Compile even the up-to-date catalogues.")

    def handle(self, *args, force: bool = False, **options) -> None:
        for path in compile_catalogues(force=force):
            self.stdout.write(f"compiled {path}")
