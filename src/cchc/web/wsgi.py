"""WSGI entry point (waitress, gunicorn, mod_wsgi): ``cchc.web.wsgi:application``."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.web.settings")
application = get_wsgi_application()
