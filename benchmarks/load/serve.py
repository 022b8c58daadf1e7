"""Serve the application exactly as `cchc serve` does (cchc.web.server; settings: load_settings).

serve.py PORT THREADS [WORKERS [SWITCH_INTERVAL]]
"""

from __future__ import annotations

import os
import sys

os.environ["DJANGO_SETTINGS_MODULE"] = "load_settings"

import django
from django.core.management import call_command

from cchc.web import server

if __name__ == "__main__":
    port, threads = int(sys.argv[1]), int(sys.argv[2])
    workers = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    if len(sys.argv) > 4 and float(sys.argv[4]):
        # Experiment only (run.py --switch-interval): how long a thread holding the GIL runs
        # before one waiting for it (waitress's I/O loop, a thread back from PostgreSQL) may
        # take over; Python's default is 5 ms. `cchc serve` does not change it.
        sys.setswitchinterval(float(sys.argv[4]))
    django.setup()
    call_command("createcachetable", verbosity=0)  # CCHC_CACHE_URL=database, as cchc serve does
    server.serve_django(host="127.0.0.1", port=port, threads=threads, workers=workers)
