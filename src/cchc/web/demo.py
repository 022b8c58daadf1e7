"""The demo data set for ``cchc serve --demo``: a list of steps, each idempotent.

Other modules append their own step to ``STEPS`` (e.g. the one-stop desk's dossier
ledger). Every campaign loaded here is marked illustrative: only Hoài Nhơn's figures are
real (seed README), so every page and export says "Số liệu minh họa".
"""

from __future__ import annotations

import csv
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from cchc.demo import data_path
from cchc.units import default_registry
from cchc.web.accounts.models import Role, User
from cchc.web.campaigns import approval, services
from cchc.web.campaigns.frameworks import store_framework
from cchc.web.campaigns.models import Campaign
from cchc.web.units.lookup import find_unit, units_by_code
from cchc.web.units.sync import sync_units


@dataclass
class DemoAccount:
    username: str
    role: str
    unit: str
    password: str


@dataclass
class DemoContext:
    """What the steps report back to ``cchc serve`` for printing."""

    accounts: list[DemoAccount] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


# (framework file, scores file, organising body, place): published, illustrative campaigns.
# The organising bodies are the usual ones for each level (docs/field.md §1), not from a source.
_PROVINCE = ("Ủy ban nhân dân tỉnh Bình Định", "Bình Định")
_TOWN = ("Ủy ban nhân dân thị xã Hoài Nhơn", "Hoài Nhơn")
DEMO_CAMPAIGNS: list[tuple[str, str, tuple[str, str]]] = [
    ("framework_district_2021.yaml", "district_2021.csv", _PROVINCE),
    ("framework_district_2022.yaml", "district_2022.csv", _PROVINCE),
    ("framework_commune_2022.yaml", "commune_2022.csv", _TOWN),
]

# username → (role, unit code or ""); roles are ``Role`` values (checked on load).
DEMO_USERS: dict[str, tuple[str, str]] = {
    "quantri": ("administrator", ""),
    "noivu": ("organiser", ""),
    "canbo.hoainhon": ("unit_officer", "HNH"),
    "canbo.annhon": ("unit_officer", "ANH"),
    "thamdinh": ("appraiser", ""),
    "lanhdao": ("leader", "BDI"),  # leads the province, which organises the demo campaigns
    "motcua.hoainhon": ("onestop_officer", "HNH"),
}

# Illustrative full names (họ, tên) printed as signers on the desk's papers and in histories.
DEMO_NAMES: dict[str, tuple[str, str]] = {
    "quantri": ("Lê Văn", "Quân"),
    "noivu": ("Phạm Thị", "Ngọc"),
    "canbo.hoainhon": ("Nguyễn Văn", "Hòa"),
    "canbo.annhon": ("Trần Thị", "Nhung"),
    "thamdinh": ("Võ Minh", "Định"),
    "lanhdao": ("Huỳnh Đức", "Long"),
    "motcua.hoainhon": ("Đặng Thị", "Mai"),
}


def load_units(ctx: DemoContext) -> None:
    """The demo's units under their official ids; the made-up codes of its files (HNH, BSO)
    are their aliases, so the files load unchanged. ``CCHC_DEMO_UNIT_CODES=home-made`` loads
    them under the made-up codes as before (the test suite's fixtures still name them so)."""
    if settings.CCHC_DEMO_UNIT_CODES == "home-made":
        count = sync_units(default_registry())
    else:
        count = sync_units()
    ctx.notes.append(f"{count} đơn vị hành chính")


@transaction.atomic
def load_campaign(
    framework_file: str, scores_file: str, organiser: tuple[str, str] = ("", "")
) -> Campaign:
    """Store the framework, create the campaign over the file's units, import, publish."""
    framework = store_framework(
        data_path(framework_file).read_text(encoding="utf-8"), framework_file
    )
    existing = Campaign.objects.filter(framework=framework, source_name=scores_file).first()
    if existing is not None:
        return existing
    with data_path(scores_file).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    units = list({u.pk: u for u in units_by_code(r["unit_code"] for r in rows).values()}.values())
    campaign = services.create_campaign(framework, units, user=None, illustrative=True)
    campaign.source_name = scores_file
    campaign.organisation, campaign.place = organiser
    campaign.save(update_fields=["source_name", "organisation", "place"])
    # The demo files hold final (appraised) results only; use them for both columns so the
    # pages show no appraisal change that never happened.
    services.import_scores(campaign, rows, field="self_score", source=scores_file)
    services.import_scores(campaign, rows, field="appraised_score", source=scores_file)
    campaign.units.update(submitted_at=timezone.now())
    # Published results are always approved first; the demo's are final figures of the
    # past, so the system proposes and approves them (both steps in the audit chain).
    approval.propose(campaign, user=None)
    approval.approve(campaign, user=None)
    services.publish(campaign, user=None)
    return campaign


def load_campaigns(ctx: DemoContext) -> None:
    for framework_file, scores_file, organiser in DEMO_CAMPAIGNS:
        campaign = load_campaign(framework_file, scores_file, organiser)
        ctx.notes.append(f"{campaign.name} (đã công bố, số liệu minh họa)")


def load_accounts(ctx: DemoContext) -> None:
    """One account per role, each with a fresh random password printed at start."""
    for username, (role, unit_code) in DEMO_USERS.items():
        unit = find_unit(unit_code) if unit_code else None
        user, _ = User.objects.get_or_create(username=username)
        user.role = role
        user.last_name, user.first_name = DEMO_NAMES.get(username, ("", ""))
        user.unit = unit
        user.is_staff = role == Role.ADMINISTRATOR
        user.is_superuser = role == Role.ADMINISTRATOR
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        ctx.accounts.append(
            DemoAccount(username, Role(role).label, unit.name if unit else "", password)
        )


STEPS: list[Callable[[DemoContext], None]] = [load_units, load_campaigns, load_accounts]


def load_demo() -> DemoContext:
    """Run every step; safe to run again (nothing is duplicated).

    Loading writes thousands of audit entries, each of which logs the chain's head; while it
    runs only the head it ends on is logged (one line), so the demo's accounts are not buried
    under the log at start.
    """
    import logging

    from cchc.web.ops.models import AuditHead

    audit_log = logging.getLogger("cchc.audit")
    level = audit_log.level
    audit_log.setLevel(logging.WARNING)
    try:
        ctx = DemoContext()
        for step in STEPS:
            step(ctx)
    finally:
        audit_log.setLevel(level)
    head = AuditHead.objects.filter(pk=1).first()
    if head is not None and head.seq:
        audit_log.info("audit #%d %s (dữ liệu minh họa đã nạp)", head.seq, head.hash)
    return ctx
