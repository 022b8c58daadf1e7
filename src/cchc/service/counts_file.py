"""The counts interchange of the 766 index: one line per unit and indicator.

A province sees its units' counts on the national public-service portal, not their
dossiers; this file carries them (CSV or XLSX, header names case-insensitive):

    unit_code, unit_name, indicator, numerator, denominator

``indicator`` is an id of the 766 table ("2.1", "4.5b") or the portal's metric code
("SO_HOA_GIAY_TO_GIAI_QUYET"); ``unit_name`` may be left out. Numerator and denominator
are whole numbers ≥ 0 (dossiers, procedures, feedback); "184.513", "184,513" and
"184 513" are read as 184513, as offices write thousands. A unit may give each indicator
once. Every problem is reported with file, row and column; nothing is used when any exists.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from cchc.service.portal766 import Count, UnknownIndicator, indicator
from cchc.service.problems import LedgerImportError, Problem
from cchc.service.readers import NamedColumns

REQUIRED: Final = ("unit_code", "indicator", "numerator", "denominator")
_WHOLE: Final = re.compile(r"\d+|\d{1,3}(?:([.,\u00a0 ])\d{3})(?:\1\d{3})*")


def _whole(text: str | None) -> int | None:
    """A whole number ≥ 0 from a cell, or None when it is not one."""
    if text is None:
        return None
    raw = text.strip()
    if raw.endswith(".0"):  # a whole number an application wrote as a float
        raw = raw[:-2]
    if not _WHOLE.fullmatch(raw):
        return None
    return int(re.sub(r"\D", "", raw))


def read_counts(path: Path) -> list[Count]:
    """The file's counts, or ``LedgerImportError`` naming every bad cell."""
    cols = NamedColumns(path, REQUIRED)
    file, first = str(path), cols.check.first_row
    problems: list[Problem] = []
    units = cols.column("unit_code").to_pylist()
    names = cols.column("unit_name").to_pylist()
    keys = cols.column("indicator").to_pylist()
    nums = cols.column("numerator").to_pylist()
    dens = cols.column("denominator").to_pylist()
    seen: dict[tuple[str, str], int] = {}
    counts: list[Count] = []
    for i, (unit, name, key, num_text, den_text) in enumerate(
        zip(units, names, keys, nums, dens, strict=True)
    ):
        row = first + i
        if all(v in (None, "") for v in (unit, name, key, num_text, den_text)):
            continue  # an empty line is not a record
        bad = len(problems)
        unit = (unit or "").strip()
        if not unit:
            problems.append(Problem(file, row, "unit_code", "trống (cột bắt buộc)"))
        ind_id = None
        if not (key or "").strip():
            problems.append(Problem(file, row, "indicator", "trống (cột bắt buộc)"))
        else:
            try:
                ind_id = indicator(key or "").id
            except UnknownIndicator as exc:
                problems.append(Problem(file, row, "indicator", str(exc)))
        values = []
        for column, text in (("numerator", num_text), ("denominator", den_text)):
            value = _whole(text)
            if value is None:
                reason = "trống (cột bắt buộc)" if not (text or "").strip() else (
                    f"'{text}' không phải số nguyên không âm (số hồ sơ, thủ tục hoặc phản ánh)"
                )
                problems.append(Problem(file, row, column, reason))
            values.append(value)
        if unit and ind_id is not None:
            if (unit, ind_id) in seen:
                problems.append(Problem(
                    file, row, "indicator",
                    f"đơn vị {unit} đã có chỉ số {ind_id} ở dòng {seen[(unit, ind_id)]}",
                ))
            seen.setdefault((unit, ind_id), row)
        num, den = values
        if num is not None and den == 0 and num > 0:
            problems.append(Problem(file, row, "numerator", "tử số lớn hơn 0 khi mẫu số bằng 0"))
        if len(problems) == bad and ind_id is not None and num is not None and den is not None:
            counts.append(Count(unit, (name or "").strip(), ind_id, num, den))
    if problems:
        raise LedgerImportError(problems[:200], len(problems))
    if not counts:
        raise LedgerImportError([Problem(file, None, None, "tệp không có dòng số liệu nào")])
    return counts
