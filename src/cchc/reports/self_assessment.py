"""A unit's self-assessment report ("Báo cáo kết quả tự đánh giá, chấm điểm Chỉ số CCHC").

The unit files it with the organiser together with its evidence: for each criterion the
maximum, the unit's own score, its explanation and the evidence files, totals per component
and in all, then the signature block. It is one :class:`~cchc.reports.contents.ReportContents`,
laid out by the results report's Word renderer (Decree 30/2020/NĐ-CP layout, docs/reports.md)
and by the web's print page, so both say the same thing.

Totals come from ``cchc.par.tree.subtotals`` (the engine's roll-up), never summed here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from cchc.fmt import format_number
from cchc.par.framework import Framework
from cchc.par.narrative import in_sentence
from cchc.par.tree import Subtotal, subtotals
from cchc.par.values import NotApplicable, ScoreValue
from cchc.reports.contents import (
    ILLUSTRATIVE_NOTE,
    ReportContents,
    Section,
    Table,
    default_signer,
    place_date_line,
)

__all__ = ["CriterionEntry", "self_assessment_contents", "self_assessment_docx", "value_text"]


@dataclass(frozen=True)
class CriterionEntry:
    """One scored node as the unit filled it in."""

    code: str
    value: ScoreValue | None  # a number, NOT_APPLICABLE, or None (not scored yet)
    explanation: str = ""
    evidence: tuple[str, ...] = ()  # the files' names, as uploaded
    figures: str = ""  # a formula criterion's raw figures, as written ("45/50 = 90%")


def value_text(value: ScoreValue | None) -> str:
    """88,41 · "Không áp dụng" · "Chưa chấm"."""
    if isinstance(value, NotApplicable):
        return "Không áp dụng"
    return "Chưa chấm" if value is None else format_number(value)


def _points(total: Subtotal) -> str:
    """"45,50/60 điểm" (and what applies when criteria do not apply)."""
    score = "chưa chấm" if total.score is None else format_number(total.score)
    text = f"{score}/{format_number(total.max, trim=True)} điểm"
    if total.applicable_max != total.max:
        text += f" (điểm tối đa áp dụng {format_number(total.applicable_max, trim=True)})"
    if total.missing:
        text += f"; còn {len(total.missing)} tiêu chí chưa chấm ({', '.join(total.missing)})"
    return text


def self_assessment_contents(
    framework: Framework,
    entries: Sequence[CriterionEntry],
    *,
    unit_name: str,
    organisation: str,
    place: str,
    date: dt.date,
    campaign_name: str,
    parent_organisation: str | None = None,
    recipients: Sequence[str] = (),
    survey: Collection[str] = (),
    submitted_at: dt.datetime | None = None,
    illustrative: bool = False,
    signer_name: str | None = None,
) -> ReportContents:
    """What the report says. ``survey`` names the components the organiser enters from its
    surveys: the unit does not score them, so they are left out of its totals."""
    unit = in_sentence(unit_name)  # "thị xã Hoài Nhơn" inside a sentence
    by_code = {e.code: e for e in entries}
    values = {e.code: e.value for e in entries if e.value is not None}
    fields, total = subtotals(framework, values, leave_out=survey)
    summary = [
        f"{i}. {row.name} ({row.code}): {_points(row)}." for i, row in enumerate(fields, start=1)
    ]
    summary.append(f"Tổng điểm tự đánh giá: {_points(total)}.")
    if survey:
        left = ", ".join(sorted(survey))
        summary.append(
            f"Không bao gồm các thành phần do cơ quan tổ chức đánh giá thực hiện điều tra xã "
            f"hội học ({left})."
        )
    summary.append(
        f"Trạng thái: đã nộp lúc {submitted_at:%H:%M} ngày {submitted_at:%d/%m/%Y}."
        if submitted_at is not None
        else "Trạng thái: bản nháp, đơn vị chưa nộp (điểm còn có thể thay đổi)."
    )
    explanations: list[str] = []
    rows: list[list[str]] = []
    for leaf in (n for n in framework.nodes() if n.is_leaf and n.code not in survey):
        entry = by_code.get(leaf.code, CriterionEntry(leaf.code, None))
        rows.append(
            [
                str(len(rows) + 1),
                leaf.code,
                leaf.name,
                format_number(leaf.max, trim=True),
                value_text(entry.value)
                + (f" (số liệu: {entry.figures})" if entry.figures else ""),
                "; ".join(entry.evidence) or "Không có",
            ]
        )
        explanation = entry.explanation.strip() or "(không có giải trình)"
        explanations.append(f"{leaf.code} — {leaf.name}: {explanation}")
    table = Table(
        header=["STT", "Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Tài liệu kiểm chứng"],
        rows=rows,
        numeric=[True, False, False, True, True, False],
        highlight=None,
        note=None,
        weights=(0.6, 0.8, 3.0, 0.9, 1.1, 2.4),
    )
    year = int(framework.year)
    return ReportContents(
        parent_organisation=parent_organisation.upper() if parent_organisation else None,
        organisation=organisation.upper(),
        number_line="Số:        /BC-",
        place_date=place_date_line(place, date),
        title="BÁO CÁO",
        subject=f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm {year} của {unit}",
        illustrative_note=ILLUSTRATIVE_NOTE if illustrative else None,
        sections=[
            Section(
                "I. TỔNG HỢP KẾT QUẢ TỰ ĐÁNH GIÁ",
                [f"Thực hiện đợt “{campaign_name}”, {unit} báo cáo kết quả tự đánh giá như sau:", *summary],
            ),
            Section("II. GIẢI TRÌNH CỦA ĐƠN VỊ", explanations),
        ],
        table_caption="III. BẢNG ĐIỂM TỰ ĐÁNH GIÁ VÀ TÀI LIỆU KIỂM CHỨNG",
        table=table,
        charts_caption="",
        charts=[],
        recipients=[*recipients, "Lưu: VT."],
        signer_capacity=list(default_signer(organisation)),
        signer_name=signer_name,
        year=year,
    )



def self_assessment_docx(contents: ReportContents) -> bytes:
    """The report as .docx bytes, laid out by the results report's Word template."""
    from cchc.reports.docx_report import render_docx

    return render_docx(contents)
