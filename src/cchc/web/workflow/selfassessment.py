"""A unit's self-assessment as a whole: totals per component and the printable report.

Totals are the engine's (``cchc.par.tree.subtotals``): the unit's own values with the survey
components left out (the organiser enters those), and the appraised values when the council
has given any. The report is ``cchc.reports.self_assessment``'s contents, laid out as Word
(Decree 30/2020 layout) or as the print page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from cchc.par.framework import Framework
from cchc.par.tree import Subtotal, subtotals
from cchc.par.values import NotApplicable, ScoreValue
from cchc.reports.contents import ReportContents
from cchc.reports.self_assessment import CriterionEntry, self_assessment_contents
from cchc.web.campaigns.frameworks import engine_framework
from cchc.web.campaigns.models import CampaignUnit, CriterionScore
from cchc.web.campaigns.services import figures_text
from cchc.web.workflow.surveys import survey_codes


def _engine_value(value: Decimal | NotApplicable | None) -> ScoreValue | None:
    return float(value) if isinstance(value, Decimal) else value


@dataclass(frozen=True)
class FieldRow:
    """One component (lĩnh vực) of the unit's totals, or the grand total (``code`` "")."""

    code: str
    name: str
    max: float
    own: Subtotal | None  # None: the organiser's survey component, not self-scored
    appraised: Subtotal | None  # None: nothing appraised yet anywhere


def unit_totals(campaign_unit: CampaignUnit, scores: list[CriterionScore]) -> list[FieldRow]:
    """Rows per component and a last row for the total: maximum, the unit's own points so
    far, and the appraised points where the council has given any."""
    fw = engine_framework(campaign_unit.campaign.framework)
    survey = set(survey_codes(campaign_unit.campaign))
    own_values = {s.node_code: _engine_value(s.self_value) for s in scores}
    own_rows, own_total = subtotals(
        fw, {k: v for k, v in own_values.items() if v is not None}, leave_out=survey
    )
    appraised_values = {s.node_code: _engine_value(s.appraised_value) for s in scores}
    appraised_given = {k: v for k, v in appraised_values.items() if v is not None}
    appraised_rows, appraised_total = subtotals(fw, appraised_given)
    own_by_code = {r.code: r for r in own_rows}
    shown = bool(appraised_given)
    rows = [
        FieldRow(
            r.code,
            r.name,
            r.max,
            own_by_code.get(r.code),
            r if shown else None,
        )
        for r in appraised_rows
    ]
    rows.append(
        FieldRow("", "Tổng cộng", fw.max, own_total, appraised_total if shown else None)
    )
    return rows


def issuing_body(campaign_unit: CampaignUnit) -> tuple[str, str | None]:
    """The unit as the report's issuer, and the body above it: "UBND Thị xã Hoài Nhơn" under
    "UBND Tỉnh Bình Định" for a district or commune (its people's committee reports); an
    agency ("Sở Tư pháp") issues under its own name."""
    unit = campaign_unit.unit
    committee = unit.level in ("province", "district", "commune")
    name = f"UBND {unit.name}" if committee else unit.name
    parent = unit.parent
    above = None
    if parent is not None:
        above = f"UBND {parent.name}" if parent.level in ("province", "district", "commune") else parent.name
    return name, above


def place_name(campaign_unit: CampaignUnit) -> str:
    """The place on the date line: the unit's name without its kind ("Thị xã Hoài Nhơn" →
    "Hoài Nhơn"); an agency writes none (the report then reads "Ngày … tháng …")."""
    unit = campaign_unit.unit
    if unit.level == "agency":
        return ""
    kind = unit.kind.strip()
    if kind and unit.name.lower().startswith(kind.lower() + " "):
        return unit.name[len(kind) :].strip()
    return unit.name


def report_contents(campaign_unit: CampaignUnit, fw: Framework | None = None) -> ReportContents:
    """The self-assessment report of ``campaign_unit`` as it stands (a draft until submitted)."""
    campaign = campaign_unit.campaign
    fw = fw or engine_framework(campaign.framework)
    scores = list(campaign_unit.scores.prefetch_related("evidence"))
    entries = [
        CriterionEntry(
            s.node_code,
            _engine_value(s.self_value),
            s.explanation,
            tuple(e.original_name for e in s.evidence.all()),
            figures_text(s.self_figures),
        )
        for s in scores
    ]
    organisation, parent = issuing_body(campaign_unit)
    submitted = campaign_unit.submitted_at
    return self_assessment_contents(
        fw,
        entries,
        unit_name=campaign_unit.unit.name,
        organisation=organisation,
        parent_organisation=parent,
        place=place_name(campaign_unit),
        date=timezone.localdate(submitted) if submitted else timezone.localdate(),
        campaign_name=campaign.name,
        recipients=[f"{campaign.organisation or 'Cơ quan tổ chức đánh giá'} (để thẩm định);"],
        survey=survey_codes(campaign),
        submitted_at=timezone.localtime(submitted) if submitted else None,
        illustrative=campaign.illustrative,
    )
