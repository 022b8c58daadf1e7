"""Reports: Vietnamese documents, spreadsheets and charts built from the engines' results.

- :mod:`cchc.reports.charts` — ranking, component and trend charts (Vega-Lite spec, PNG, SVG)
- :mod:`cchc.reports.contents` — what a results report says, shared by both formats
- :mod:`cchc.reports.docx_report` — the Word report in the Decree 30/2020 layout
- :mod:`cchc.reports.pdf_report` — the same report as PDF (WeasyPrint)

The XLSX workbook is :func:`cchc.par.export.write_xlsx`; :func:`write_report` reaches it
too so one call covers the three downloads. Heavy libraries (Altair, WeasyPrint) are
imported on use, so importing this package stays cheap for the CLI.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Unpack

if TYPE_CHECKING:
    from cchc.par.results import Results
    from cchc.reports.contents import ContentsOptions

__all__ = ["FORMATS", "ReportFormatError", "report_bytes", "write_report"]

FORMATS = ("docx", "pdf", "xlsx")
Format = Literal["docx", "pdf", "xlsx"]


class ReportFormatError(ValueError):
    """The requested output format is not one of FORMATS."""


def _format_of(path: Path, fmt: str | None) -> str:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ReportFormatError(
            f"{path}: định dạng {chosen or '(không có)'!r} không được hỗ trợ; "
            f"chọn một trong {', '.join(FORMATS)}"
        )
    return chosen


def report_bytes(
    results: Results, fmt: Literal["docx", "pdf"], **options: Unpack[ContentsOptions]
) -> bytes:
    """The results report as Word or PDF bytes: one contents, laid out in the chosen format."""
    if fmt == "docx":
        from cchc.reports.docx_report import build_report

        return build_report(results, **options)
    if fmt == "pdf":
        from cchc.reports.pdf_report import build_pdf

        return build_pdf(results, **options)
    raise ReportFormatError(f"định dạng {fmt!r} không phải docx hay pdf")


def write_report(
    results: Results,
    path: str | Path,
    fmt: Format | None = None,
    *,
    unit_code: str | None = None,
    organisation: str = "Sở Nội vụ",
    place: str = "",
    date: dt.date | None = None,
    **options: Any,
) -> Path:
    """Write the results report to ``path`` as docx, pdf or xlsx (default: from the suffix).

    ``options`` are those of :class:`cchc.reports.contents.ContentsOptions` (document
    number, previous results, illustrative, parent organisation, recipients, signer...).
    The file appears whole or not at all (written beside the target, then renamed).
    """
    from cchc.par.export import atomic_path, write_xlsx

    target = Path(path)
    chosen = _format_of(target, fmt)
    if chosen == "xlsx":
        write_xlsx(results, target)
        return target
    arguments: dict[str, Any] = {
        "unit_code": unit_code,
        "organisation": organisation,
        "place": place,
        "date": date or dt.date.today(),
        **options,
    }
    data = report_bytes(results, "docx" if chosen == "docx" else "pdf", **arguments)
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)
    return target
