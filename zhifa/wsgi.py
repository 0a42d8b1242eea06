"""WSGI entry point (e.g. ``gunicorn zhifa.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhifa.settings")
application = get_wsgi_application()

from zhifa.core.runtime import settle_web_process  # noqa: E402  (needs the settings loaded above)

settle_web_process()
