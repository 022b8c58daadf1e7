"""Serve the application under waitress exactly as `cchc serve` does (settings: load_settings)."""

from __future__ import annotations

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "load_settings"

import waitress
from django.core.wsgi import get_wsgi_application

if __name__ == "__main__":
    port, threads = int(sys.argv[1]), int(sys.argv[2])
    if len(sys.argv) > 3:
        # Experiment only (run.py --switch-interval): how long a thread holding the GIL runs
        # before one waiting for it (waitress's I/O loop, a thread back from PostgreSQL) may
        # take over; Python's default is 5 ms. `cchc serve` does not change it.
        sys.setswitchinterval(float(sys.argv[3]))
    waitress.serve(
        get_wsgi_application(), host="127.0.0.1", port=port, threads=threads, ident="cchc"
    )
