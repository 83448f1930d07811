"""WSGI entry point: `gunicorn pixcertif.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pixcertif.settings")

application = get_wsgi_application()
