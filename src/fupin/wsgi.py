"""WSGI entry point: `gunicorn fupin.wsgi` or any WSGI server.

Django's handler, and beside it a shorter middleware stack for a program's API call with a bearer
token (fupin.core.api_handler)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")

from fupin.core.api_handler import get_application  # noqa: E402 - after the settings module is named

application = get_application()
