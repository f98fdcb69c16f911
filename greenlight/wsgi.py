"""WSGI entry point for gunicorn: `gunicorn greenlight.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenlight.settings")
application = get_wsgi_application()
# The URL conf (every app's views and the API's schemas: about a second) loads as the worker
# starts, not in the first request it serves.
get_resolver().url_patterns  # noqa: B018
