"""What a CCHC results report says, independent of the file format it is written in.

The Word and the PDF report are two renderings of one :class:`ReportContents`, so they
cannot drift apart: same header, same sentences, same table, same charts.

Layout facts follow Decree 30/2020/NĐ-CP on clerical work (Nghị định 30/2020/NĐ-CP về công
tác văn thư), Appendix I; see docs/reports.md for the clause-by-clause list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Required, TypedDict

from cchc.fmt import format_number, rank_change_phrase, round_half_up
from cchc.reports.charts import Chart, report_charts

if TYPE_CHECKING:
    from cchc.par.results import Results, UnitResult

__all__ = [
    "ILLUSTRATIVE_NOTE",
    "MOTTO",
    "NATION",
    "ContentsOptions",
    "ReportContents",
    "ReportError",
    "Section",
    "Table",
    "build_contents",
    "default_signer",
    "place_date_line",
]

# Decree 30/2020/NĐ-CP, Appendix I, section II.2: the national title and motto.
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

ILLUSTRATIVE_NOTE = (
    "Số liệu minh họa: báo cáo được lập từ bộ dữ liệu trình diễn; trừ các số liệu đã được "
    "công bố chính thức, các số liệu khác là giả định, không dùng để đánh giá đơn vị."
)

# More components than this and the table headers switch to codes with a legend below,
# because full names no longer fit the width of an A4 portrait page.
FULL_NAME_COLUMNS = 4


class ReportError(ValueError):
    """The report cannot be built from the arguments given."""


class ContentsOptions(TypedDict, total=False):
    """The keyword arguments of :func:`build_contents`, which both formats' builders take.

    ``unit_code`` names the unit the report is about (its narrative, highlighted row and
    charts); None reports on the level as a whole. ``previous`` adds the year-over-year
    comparison and the trend chart. ``illustrative`` prints the "Số liệu minh họa" note
    (None: as the engine marked the results).
    """

    unit_code: Required[str | None]
    organisation: Required[str]
    place: Required[str]
    date: Required[dt.date]
    document_number: str | None
    previous: Results | None
    illustrative: bool | None
    parent_organisation: str | None
    recipients: Sequence[str] | None
    signer_capacity: Sequence[str] | None
    signer_name: str | None


@dataclass(frozen=True)
class Section:
    """A numbered part of the report body: a heading and its paragraphs."""

    heading: str
    paragraphs: list[str]


@dataclass(frozen=True)
class Table:
    """The ranking table, every cell already formatted as Vietnamese text."""

    header: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # per column: right-aligned figures
    highlight: int | None  # index in rows of the unit the report is about
    note: str | None
    #: relative column widths; None: the ranking table's (see ``widths``)
    weights: tuple[float, ...] | None = None

    def widths(self, total: float) -> list[float]:
        """Column widths summing to ``total`` (mm, or 100 for percent).

        STT and the rank narrow, unit names wide, component columns (long headers) a
        little wider than the totals, so headers wrap less and rows stay one line.
        """
        if self.weights is not None:
            weights = list(self.weights)
        else:
            components = len(self.header) - 6
            weights = [0.75, 2.3] + [1.25] * components + [1.0, 1.0, 0.9, 1.0]
        unit = total / sum(weights)
        return [w * unit for w in weights]


@dataclass(frozen=True)
class ReportContents:
    """Everything a report shows, ready to be laid out."""

    parent_organisation: str | None
    organisation: str
    number_line: str
    place_date: str
    title: str
    subject: str
    illustrative_note: str | None
    sections: list[Section]
    table_caption: str
    table: Table
    charts_caption: str
    charts: list[Chart]
    recipients: list[str]
    signer_capacity: list[str]
    signer_name: str | None
    year: int = 0
    extra: dict[str, str] = field(default_factory=dict)


# (assumed) Who receives a results report unless told: the units assessed, and the file
# copy kept by the clerk ("Lưu: VT", Decree 30/2020, Appendix I, II.9).
DEFAULT_RECIPIENTS = ("Các đơn vị được đánh giá;", "Lưu: VT.")


def default_signer(organisation: str) -> tuple[str, ...]:
    """The signer's capacity lines usual for the issuing body, when none is given.

    (assumed) A people's committee signs collectively ("TM. ỦY BAN NHÂN DÂN" over
    "CHỦ TỊCH", Decree 30/2020, Appendix I, II.8); a department by its director; a
    district office by its head. Pass ``signer_capacity`` for anything else ("KT. GIÁM
    ĐỐC" / "PHÓ GIÁM ĐỐC" when a deputy signs).
    """
    name = " ".join(organisation.lower().split())
    if name.startswith(("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")):
        return ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    if name.startswith("sở"):
        return ("GIÁM ĐỐC",)
    if name.startswith("phòng"):
        return ("TRƯỞNG PHÒNG",)
    return ("THỦ TRƯỞNG CƠ QUAN",)


def place_date_line(place: str, date: dt.date) -> str:
    """"Hoài Nhơn, ngày 16 tháng 3 năm 2023".

    Decree 30/2020, Appendix I, II.5.b: days below 10 and the months 1 and 2 are written
    with a leading zero ("ngày 05 tháng 01 năm 2023"); other months are not.
    """
    day = f"{date.day:02d}"
    month = f"{date.month:02d}" if date.month < 3 else str(date.month)
    when = f"ngày {day} tháng {month} năm {date.year}"
    # Without a place the line still reads as a sentence rather than ", ngày ...".
    return f"{place.strip()}, {when}" if place.strip() else when[0].upper() + when[1:]


def _number_line(document_number: str | None) -> str:
    # Left blank for the clerk to number on issue, as drafts are (Decree 30, Appendix I, II.3).
    return f"Số: {document_number}" if document_number else "Số:        /BC-"


def _unit(results: Results, unit_code: str) -> UnitResult:
    for unit in results.units:
        if unit.unit_code == unit_code:
            return unit
    raise ReportError(
        f"không có đơn vị mã {unit_code!r} trong kết quả năm {results.framework.year}"
    )


def ranking_table(results: Results, *, unit_code: str | None = None) -> Table:
    """STT, Đơn vị, one column per component, Tổng điểm, Chỉ số (%), Xếp hạng, Xếp loại."""
    components = list(results.framework.components)
    full = len(components) <= FULL_NAME_COLUMNS
    header = ["STT", "Đơn vị"]
    for comp in components:
        label = comp.name if full else comp.code
        header.append(f"{label} ({format_number(comp.max, trim=True)} điểm)")
    header += [
        f"Tổng điểm ({format_number(results.framework.max, trim=True)})",
        "Chỉ số (%)",
        "Xếp hạng",
        "Xếp loại",
    ]
    rows: list[list[str]] = []
    highlight = None
    for i, unit in enumerate(results.units):
        if unit.unit_code == unit_code:
            highlight = i
        row = [str(i + 1), unit.unit_name]
        # "—": the component does not apply to this unit (its maximum left the total).
        row += [_score_cell(unit.components[c.code].score) for c in components]
        row += [
            format_number(unit.score),
            format_number(unit.index),
            str(unit.rank),
            unit.band or "",
        ]
        rows.append(row)
    numeric = [True, False] + [True] * (len(components) + 3) + [False]
    note = None
    if not full:
        note = "Ghi chú: " + "; ".join(f"{c.code}: {c.name}" for c in components) + "."
    return Table(header=header, rows=rows, numeric=numeric, highlight=highlight, note=note)


def _score_cell(score: float | None) -> str:
    return "—" if score is None else format_number(score)


def _unit_comparison(results: Results, previous: Results | None, unit_code: str) -> str | None:
    """One sentence comparing the unit with the previous year, when that year is known.

    The engine's own comparison (``UnitResult.previous``, lineage-aware) comes first; a
    separately given ``previous`` Results is matched by unit code.
    """
    now = _unit(results, unit_code)
    year, units = results.previous_year, results.previous_units
    before_index, before_rank = None, None
    if now.previous is not None and year is not None:
        before_index, before_rank = now.previous.index, now.previous.rank
    elif previous is not None:
        match = next((u for u in previous.units if u.unit_code == unit_code), None)
        if match is not None:
            year, units = int(previous.framework.year), len(previous.units)
            before_index, before_rank = match.index, match.rank
    if before_index is None or before_rank is None:
        return None
    delta = round_half_up(now.index, 2) - round_half_up(before_index, 2)
    direction = "tăng" if delta > 0 else "giảm" if delta < 0 else "không đổi"
    amount = f" {format_number(abs(delta))} điểm phần trăm" if delta else ""
    of_units = f"/{units}" if units else ""
    return (
        f"So với năm {year} (đạt {format_number(before_index)}%, xếp thứ "
        f"{before_rank}{of_units}), Chỉ số năm {results.framework.year} {direction}{amount}; "
        f"thứ hạng {rank_change_phrase(before_rank - now.rank)}."
    )


def _narrative(results: Results, unit_code: str | None, previous: Results | None) -> list[Section]:
    from cchc.par.narrative import level_narrative, paragraphs, unit_narrative

    sections = [Section("I. KẾT QUẢ CHUNG", paragraphs(level_narrative(results)))]
    if unit_code is not None:
        unit = _unit(results, unit_code)
        texts = paragraphs(unit_narrative(results, unit_code))
        sentence = _unit_comparison(results, previous, unit_code)
        if sentence:
            texts.append(sentence)
        sections.append(Section(f"II. KẾT QUẢ CỦA {unit.unit_name.upper()}", texts))
    return sections


def build_contents(
    results: Results,
    *,
    unit_code: str | None,
    organisation: str,
    place: str,
    date: dt.date,
    document_number: str | None = None,
    previous: Results | None = None,
    illustrative: bool | None = None,
    parent_organisation: str | None = None,
    recipients: Sequence[str] | None = None,
    signer_capacity: Sequence[str] | None = None,
    signer_name: str | None = None,
) -> ReportContents:
    """Assemble the report: header, narrative, ranking table and charts (see ContentsOptions)."""
    if not organisation.strip():
        raise ReportError("thiếu tên cơ quan ban hành (organisation)")
    if unit_code is not None:
        _unit(results, unit_code)
    year = int(results.framework.year)
    # None: trust the engine, which marks results computed from the demo files.
    shows_illustrative = results.illustrative if illustrative is None else illustrative
    sections = _narrative(results, unit_code, previous)
    charts = report_charts(results, unit_code=unit_code, previous=previous)
    roman = ["I", "II", "III", "IV", "V"]
    table_caption = (
        f"{roman[len(sections)]}. BẢNG XẾP HẠNG {str(results.framework.name).upper()} NĂM {year}"
    )
    charts_caption = f"{roman[len(sections) + 1]}. BIỂU ĐỒ"
    return ReportContents(
        parent_organisation=parent_organisation.upper() if parent_organisation else None,
        organisation=organisation.upper(),
        number_line=_number_line(document_number),
        place_date=place_date_line(place, date),
        title="BÁO CÁO",
        subject=f"Kết quả xác định Chỉ số cải cách hành chính năm {year}",
        illustrative_note=ILLUSTRATIVE_NOTE if shows_illustrative else None,
        sections=sections,
        table_caption=table_caption,
        table=ranking_table(results, unit_code=unit_code),
        charts_caption=charts_caption,
        charts=charts,
        recipients=list(recipients) if recipients is not None else list(DEFAULT_RECIPIENTS),
        signer_capacity=list(
            signer_capacity if signer_capacity is not None else default_signer(organisation)
        ),
        signer_name=signer_name,
        year=year,
    )
