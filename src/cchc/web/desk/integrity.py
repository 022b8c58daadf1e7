"""The ledger integrity page of a unit (issue: what looks wrong in a ledger), for its leader.

The checks are ``cchc.service.integrity``'s, run on the desk's own dossiers of the period as
the 766 dashboard runs the index (``ledger.ledger_table`` into an in-process DuckDB, by the
SQL compiled from the checks' expressions, as the CLI does); who may
read which unit is the dashboard's rule (``access.dashboard_units``).
"""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from cchc.service.integrity import (
    RULE_NAMES,
    RULES,
    SIGNAL_NAMES,
    SIGNALS,
    IntegrityReport,
    UnitIntegrity,
    duckdb_integrity,
    write_xlsx,
)
from cchc.service.period import Period
from cchc.web.desk import access
from cchc.web.desk.ledger import in_period, ledger_table
from cchc.web.desk.models import Dossier
from cchc.web.desk.views import chosen_period_and_unit, period_choice
from cchc.web.units.models import Unit

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def unit_integrity(period: Period, code: str) -> IntegrityReport:
    """The checks over the desk's own dossiers of one unit and period (page and API)."""
    dossiers = Dossier.objects.filter(in_period(period), unit__code=code)
    report = duckdb_integrity(ledger_table(dossiers), period)
    assert report is not None  # an Arrow ledger is always read
    return report


@require_safe
def integrity_page(request: HttpRequest) -> HttpResponse:
    """Exact checks with the dossier codes, and labelled signals, for one unit and period."""
    allowed = access.dashboard_units(request.user)
    choices = (
        allowed
        if allowed is not None
        else list(Unit.objects.filter(dossiers__isnull=False).distinct().order_by("code"))
    )
    text, period, error, code = chosen_period_and_unit(request, choices)
    unit = None
    report = None
    if period is not None and code:
        report = unit_integrity(period, code)
        unit = report.units[0] if report.units else None
        if request.GET.get("tai") == "xlsx":
            buffer = io.BytesIO()
            write_xlsx(report, buffer)
            response = HttpResponse(buffer.getvalue(), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="kiem-tra-so-ho-so-{code}-{period.label}.xlsx"'
            return response
    status = 400 if error else 200
    context = {
        "period_text": text,
        "picker": period_choice(period),
        "error": error,
        "choices": choices,
        "code": code,
        "unit_name": next((u.name for u in choices if u.code == code), ""),
        "unit": unit,
        "rules": [(r, RULE_NAMES[r], unit.checks[r] if unit else 0, unit.codes[r] if unit else []) for r in RULES],
        "signals": [_signal(name, unit) for name in SIGNALS] if unit else [],
        "note": report.to_dict()["signals_note"] if report else "",
    }
    return render(request, "desk/integrity.html", context, status=status)


def _signal(name: str, unit: UnitIntegrity) -> dict[str, object]:
    """One signal's row, shares in percent for the page's filters."""
    s = unit.signals[name]
    return {
        "key": name,
        "name": SIGNAL_NAMES[name],
        "count": s.count,
        "finished": s.finished,
        "share": None if s.share is None else s.share * 100,
        "pooled": None if s.pooled is None else s.pooled * 100,
        "flagged": s.flagged,
    }
