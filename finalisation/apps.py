from django.apps import AppConfig


class FinalisationConfig(AppConfig):
    name = "finalisation"
    verbose_name = "Finalisation et résultats"
