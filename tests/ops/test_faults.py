"""A process killed in the middle of a write leaves nothing half written (issue 6, faults).

Each test starts the write in its own process, waits until the write is provably under way
(a hook prints a line from inside the transaction), kills the process with SIGKILL — no
clean-up code runs — and then looks at the database from a new process.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from ops_instances import instance_env, run_cchc, run_django

pytestmark = pytest.mark.slow

PRELUDE = (
    "import os, sys, time, django\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'cchc.web.settings')\n"
    "django.setup()\n"
)


def kill_when(env: dict[str, str], code: str, marker: str) -> None:
    """Run ``code``; SIGKILL it as soon as it prints ``marker``."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PRELUDE + code], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    try:
        for line in proc.stdout:
            if line.strip() == marker:
                os.kill(proc.pid, signal.SIGKILL)
                break
        else:
            pytest.fail(f"the process ended without reaching {marker!r}")
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL


SETUP = """
from django.core.management import call_command
call_command("migrate", verbosity=0)
from cchc.web import demo
ctx = demo.DemoContext()
for step in (demo.load_units, demo.load_campaigns, demo.load_accounts):
    step(ctx)
"""


def test_killed_during_a_ledger_import_nothing_is_stored(tmp_path):
    env = instance_env(tmp_path / "nhap")
    run_django(env, SETUP)
    ledger = tmp_path / "so.parquet"
    run_django(
        env,
        "import datetime as dt\n"
        "from cchc.service.generator import generate_ledger\n"
        "from cchc.service.importer import write_ledger\n"
        "from cchc.web.desk.demo import load_catalogue\n"
        "load_catalogue()\n"
        f"write_ledger(generate_ledger(6000, 1, dt.date(2025, 1, 1), dt.date(2025, 6, 30)), __import__('pathlib').Path({str(ledger)!r}))\n",
    )
    kill_when(
        env,
        "from cchc.web.desk.models import DossierEvent\n"
        "from cchc.web.desk.ledger import import_ledger\n"
        "real = DossierEvent.objects.bulk_create\n"
        "def slow(*a, **k):\n"
        "    out = real(*a, **k)\n"
        "    print('BATCH', flush=True)\n"
        "    time.sleep(60)\n"
        "    return out\n"
        "DossierEvent.objects.bulk_create = slow\n"
        f"import_ledger(__import__('pathlib').Path({str(ledger)!r}), user=None)\n",
        "BATCH",
    )
    left = run_django(
        env,
        "from cchc.web.desk.models import Dossier, DossierEvent\n"
        "print(Dossier.objects.count(), DossierEvent.objects.count())",
    )
    assert left.stdout.split() == ["0", "0"]


def test_killed_during_a_score_save_the_score_history_and_audit_are_unchanged(tmp_path):
    env = instance_env(tmp_path / "luu")
    run_django(
        env,
        SETUP
        + """
from cchc.web.campaigns import services
from cchc.web.campaigns.models import Campaign, Framework
from cchc.web.units.lookup import find_unit
fw = Framework.objects.filter(level="district").order_by("-year").first()
# The installation stores official ids; the demo's made-up code resolves as an alias.
camp = services.create_campaign(fw, [find_unit("HNH")], user=None, name="Đợt thử sự cố")
Campaign.objects.filter(pk=camp.pk).update(status="self_assessment")
""",
    )
    before = run_cchc(env, "audit", "verify")
    assert before.returncode == 0
    kill_when(
        env,
        "from django.db.models.signals import post_save\n"
        "from cchc.web.accounts.models import User\n"
        "from cchc.web.campaigns import services\n"
        "from cchc.web.campaigns.models import CriterionScore, ScoreChange\n"
        "score = CriterionScore.objects.filter(campaign_unit__campaign__name='Đợt thử sự cố').order_by('pk').first()\n"
        "def hang(sender, **kwargs):\n"
        "    print('HALF', flush=True)\n"
        "    time.sleep(60)\n"
        "post_save.connect(hang, sender=ScoreChange, weak=False)\n"
        "services.set_self_score(score, '10', user=User.objects.get(username='canbo.hoainhon'))\n",
        "HALF",
    )
    after = run_django(
        env,
        "from cchc.web.campaigns.models import CriterionScore, ScoreChange\n"
        "s = CriterionScore.objects.filter(campaign_unit__campaign__name='Đợt thử sự cố').order_by('pk').first()\n"
        "print(s.self_score, s.version, ScoreChange.objects.filter(criterion_score=s).count())",
    )
    assert after.stdout.split() == ["None", "1", "0"]
    verified = run_cchc(env, "audit", "verify")
    assert verified.returncode == 0
    # The chain's head did not move: no audit entry of the lost save survived.
    assert verified.stdout.splitlines()[-1] == before.stdout.splitlines()[-1]


def test_killed_during_a_backup_no_archive_is_left(tmp_path):
    env = instance_env(tmp_path / "sl")
    run_django(
        env,
        "from django.core.management import call_command\ncall_command('migrate', verbosity=0)\n",
    )
    archive = tmp_path / "b.zip"
    kill_when(
        env,
        "import cchc.web.ops.backup as b\n"
        "real = b._media_files\n"
        "def slow(root):\n"
        "    print('WRITING', flush=True)\n"
        "    time.sleep(60)\n"
        "    return real(root)\n"
        "b._media_files = slow\n"
        f"b.create_backup(__import__('pathlib').Path({str(archive)!r}))\n",
        "WRITING",
    )
    assert not archive.exists()
    assert Path(str(archive) + ".partial").exists()  # the half-written file is clearly named
