"""Drawing a survey's respondents from the dossier ledger, through the core's ``draw_sample``.

The ledger is the one-stop desk's ``Dossier`` table (the campaign's units' dossiers), or a
ledger file uploaded by the organiser and read by ``cchc.service.importer.read_ledger``.
Sample sizes, strata, the seeded draw and reserves are the core's (docs/surveys.md); this
module only turns the database into the core's table and stores the result. Tokens of the
draw are dropped: only their digests are kept, and links are (re)issued per unit later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import pyarrow as pa
import pyarrow.compute as pc
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from cchc.service.importer import LedgerImportError, read_ledger
from cchc.surveys import Sample, SurveyInputError, draw_sample, parse_period, token_digest
from cchc.surveys.sampling import FINISHED_STATUSES
from cchc.tables import more_text
from cchc.web.desk.ledger import ledger_table
from cchc.web.desk.models import Dossier
from cchc.web.surveys.access import can_manage_surveys
from cchc.web.surveys.errors import SurveyError
from cchc.web.surveys.models import Respondent, Survey, SurveyStatus
from cchc.web.units.lookup import units_by_code
from cchc.web.units.models import Unit
from cchc.web.uploads import LEDGERS, UploadRejected, receive, table_limits

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
LEDGER_COLUMNS = ("dossier_code", "unit_code", "procedure_code", "finished_at", "status")


def campaign_units(survey: Survey) -> dict[str, Unit]:
    """The campaign's units by code: the only units a survey draws from and scores."""
    return {cu.unit.code: cu.unit for cu in survey.campaign.units.select_related("unit")}


def desk_ledger(survey: Survey) -> pa.Table:
    """The campaign units' dossiers finished in the survey's period, as the core's ledger.

    Each row is the desk's export of the dossier (``cchc.service.dossier.ledger_record``,
    the same rows as the ledger and the 766 index); which of them are finished in the
    period is decided again by ``draw_sample`` — the query only leaves out the rest early.
    """
    period = parse_period(survey.period)
    start = dt.datetime.combine(period.start, dt.time(), LOCAL_TZ)
    stop = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), LOCAL_TZ)
    rows = Dossier.objects.filter(
        unit__code__in=list(campaign_units(survey)),
        status__in=FINISHED_STATUSES,
        finished_at__gte=start,
        finished_at__lt=stop,
    ).order_by("code")
    return ledger_table(rows).select(list(LEDGER_COLUMNS))


def file_ledger(survey: Survey, upload: UploadedFile) -> tuple[pa.Table, str]:
    """An uploaded ledger (CSV, XLSX, Parquet) read by the service importer, limited to the
    campaign's units; raises ``SurveyError`` with the importer's row-level problems."""
    try:
        received = receive(upload, LEDGERS)
        table = read_ledger(received.stream, name=received.name, limits=table_limits())
    except UploadRejected as exc:
        raise SurveyError(str(exc)) from None
    except LedgerImportError as exc:
        problems = [str(p) for p in exc.problems]
        if exc.total > len(exc.problems):
            problems.append(more_text(exc.total - len(exc.problems)))
        raise SurveyError(f"Không đọc được sổ hồ sơ “{received.name}”.", problems) from None
    name = received.name
    units = campaign_units(survey)
    codes = pc.cast(table["unit_code"], pa.string())
    # A file may name a unit by a code it had before its official id: read as the id.
    moved = {
        old: unit.code
        for old, unit in units_by_code(set(codes.to_pylist()) - set(units) - {None}).items()
        if unit.code in units
    }
    if moved:
        codes = pa.array([moved.get(c, c) for c in codes.to_pylist()], pa.string())
        table = table.set_column(table.schema.get_field_index("unit_code"), "unit_code", codes)
    wanted = pa.array(list(units), pa.string())
    table = table.filter(pc.is_in(pc.cast(table["unit_code"], pa.string()), wanted))
    return table.select(list(LEDGER_COLUMNS)), name


@dataclass(frozen=True)
class UnitPlan:
    """What the draw gave one unit: population N, sample n and reserves."""

    unit_code: str
    unit_name: str
    population: int
    sample: int
    reserve: int


def unit_plans(survey: Survey) -> list[UnitPlan]:
    """N, n and reserves per campaign unit, from the stored respondents and the survey's plan."""
    stored = survey.plan or {}
    out = []
    for code, unit in campaign_units(survey).items():
        row = stored.get(code, {})
        out.append(
            UnitPlan(
                code,
                unit.name,
                int(row.get("population", 0)),
                int(row.get("sample", 0)),
                int(row.get("reserve", 0)),
            )
        )
    return out


@transaction.atomic
def draw(survey: Survey, *, user: Any, ledger: pa.Table | None = None, source: str = "") -> Sample:
    """Draw the sample (core) and store respondents with token digests; the survey opens.

    ``user=None`` is the system itself (the demo loader).
    """
    if user is not None and not can_manage_surveys(user):
        raise SurveyError("Chỉ cơ quan tổ chức đánh giá được chọn mẫu.")
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    if survey.status != SurveyStatus.DRAFT:
        raise SurveyError("Cuộc khảo sát đã chọn mẫu; không chọn lại.")
    table = ledger if ledger is not None else desk_ledger(survey)
    label = source or "sổ hồ sơ một cửa"
    try:
        sample = draw_sample(
            table,
            parse_period(survey.period),
            seed=survey.seed,
            margin=float(survey.margin),
            reserve_ratio=float(survey.reserve_ratio),
            by_procedure=survey.by_procedure,
            file=label,
            first_row=2,
        )
    except SurveyInputError as exc:
        raise SurveyError(
            f"Không chọn được mẫu từ {label}.", [str(p) for p in exc.problems]
        ) from None
    if not sample.respondents:
        raise SurveyError(
            f"Không có hồ sơ nào đã giải quyết xong trong kỳ {survey.period} của các đơn vị "
            f"trong đợt đánh giá ({label}): chưa chọn được mẫu."
        )
    units = campaign_units(survey)
    Respondent.objects.bulk_create(
        Respondent(
            survey=survey,
            unit=units[r.unit_code],
            stratum=r.stratum,
            reserve=r.role == "reserve",
            order=r.order,
            dossier_code=r.dossier_code,
            procedure_code=r.procedure_code,
            token_digest=token_digest(r.token),
        )
        for r in sample.respondents
    )
    plan: dict[str, dict[str, int]] = {}
    for s in sample.strata:
        row = plan.setdefault(s.unit_code, {"population": 0, "sample": 0, "reserve": 0})
        row["population"] += s.population
        row["sample"] += s.sample
        row["reserve"] += s.reserve
    survey.plan = plan
    survey.ledger_source = label
    survey.status = SurveyStatus.OPEN
    survey.sampled_at = timezone.now()
    survey.save(update_fields=["plan", "ledger_source", "status", "sampled_at"])
    return sample
