"""The national portal's own 766 files, as downloaded, into counts and published points.

The portal's evaluation pages (https://dichvucong.gov.vn/danh-gia-chat-luong-phuc-vu) answer
six POST endpoints under ``/api/v1/reporting/evaluation/`` for a province (its
``rootDepartmentId``) and a period; their JSON responses are what an officer can save from
the browser. Two shapes:

- metric pages (``transparency``, ``dossier-digitized``, ``handling-satisfaction``):
  ``data.overview`` (the province) and ``data.evaluation[]`` (its units), each with
  ``metrics[]`` of ``code, name, numerator, denominator, ratio, score, maxScore``;
- trees (``dvc-progress-tree``, ``provide-online-tree``,
  ``formality-online-payment-tree``): ``data.parent`` and ``data.children[]`` carrying the
  counts as named fields and only the group's points (``score`` / ``totalScore``).

Both become the counts interchange (``Count``: unit, indicator id, numerator, denominator)
plus the points the portal published, kept beside ours and never copied into them: where
our points differ from the published ones that is a finding (``compare``). Group 3 (online
service) publishes only a group total whose formula is not publicly determined: it is shown
as published and labelled not recomputed.

The portal's Excel exports are read by header (``read_portal_xlsx``); no real export was
available when this was written, so the accepted layout is the flat one documented in
docs/service.md **(assumed)**.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final

from cchc.service.portal766 import Count, UnitScore, indicator, score_units
from cchc.service.problems import LedgerImportError, Problem

#: The six endpoints, the group each scores, and its Vietnamese name as the portal shows it.
ENDPOINTS: Final[dict[str, tuple[int, str]]] = {
    "transparency": (1, "Công khai, minh bạch"),
    "dvc-progress-tree": (2, "Tiến độ giải quyết"),
    "provide-online-tree": (3, "Dịch vụ công trực tuyến"),
    "formality-online-payment-tree": (4, "Thanh toán trực tuyến"),
    "dossier-digitized": (5, "Số hóa hồ sơ"),
    "handling-satisfaction": (6, "Mức độ hài lòng"),
}

#: Tree fields → (indicator id, numerator field, denominator field). Source: the portal's
#: responses, where these ratios reproduce every published group point (2.1 = on time ÷
#: received; 3.6, 3.5b, 3.5a as rebuilt from the payment tree's totalScore).
TREE_COUNTS: Final[dict[str, tuple[tuple[str, str, str], ...]]] = {
    "dvc-progress-tree": (("2.1", "totalOnTime", "totalReceived"),),
    "formality-online-payment-tree": (
        ("3.6", "totalDossierOnlinePaymentSuccess", "totalDossierFinancialObligation"),
        ("3.5b", "totalDossierOnlineFormalityPaymentSuccess", "totalFeeFormality"),
        ("3.5a", "totalFeeDossierFormality", "totalFeeFormality"),
    ),
}

#: Labels of a published point against ours (Vietnamese: users read them).
MATCH: Final = "khớp"
DIFFERENT: Final = "lệch"
NOT_RECOMPUTED: Final = "không tính lại"
PUBLISHED_ONLY: Final = "chỉ có điểm công bố"
NOT_PUBLISHED: Final = "Cổng không công bố điểm"

NOT_RECOMPUTED_GROUPS: Final = frozenset({3})


class PortalFileError(LedgerImportError):
    """A file that is not one of the portal's 766 responses or exports, with where and why."""


@dataclass(frozen=True)
class Published:
    """A point the portal published for a unit: of one indicator, or of a whole group."""

    unit_code: str
    unit_name: str
    group: int
    indicator: str | None  # None: the group's total
    points: Decimal | None
    max: Decimal
    rate_percent: Decimal | None
    source: str  # the endpoint (or export) it came from
    note: str = ""  # the portal's data-quality flag and message, if any
    name: str = ""  # the portal's name of the indicator (metric pages) or group (trees)


@dataclass
class PortalData:
    """Everything read from one or more portal files of one province and period."""

    counts: list[Count] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    #: Units by code, in the portal's order (the province first).
    units: dict[str, str] = field(default_factory=dict)

    def extend(self, other: PortalData) -> None:
        self.counts.extend(other.counts)
        self.published.extend(other.published)
        self.endpoints.extend(other.endpoints)
        for code, name in other.units.items():
            self.units.setdefault(code, name)


def _decimal(value: object, where: str, file: str) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise PortalFileError([Problem(file, None, where, f"không phải số: {value!r}")])
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise PortalFileError([Problem(file, None, where, f"không phải số: {value!r}")])
    return number


def _count(value: object, where: str, file: str) -> int | Decimal | None:
    number = _decimal(value, where, file)
    if number is None:
        return None
    if number < 0:
        raise PortalFileError([Problem(file, None, where, f"số âm: {value!r}")])
    return int(number) if number == number.to_integral_value() else number


def _list(value: object, where: str, file: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise PortalFileError([Problem(file, None, where, "phải là một danh sách")])
    return value


def _object(value: object, where: str, file: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise PortalFileError([Problem(file, None, where, "phải là một đối tượng JSON")])
    return value


def _payload(raw: Any, file: str) -> Mapping[str, Any]:
    """The ``data`` object, from the whole envelope ``{"code": "OK", "data": …}`` or bare."""
    if isinstance(raw, Mapping) and "data" in raw and isinstance(raw["data"], Mapping):
        if raw.get("code") not in (None, "OK"):
            message = raw.get("message") or raw.get("code")
            raise PortalFileError([Problem(file, None, None, f"Cổng trả lời lỗi: {message}")])
        return raw["data"]
    if isinstance(raw, Mapping):
        return raw
    raise PortalFileError([Problem(file, None, None, "không phải một phản hồi JSON của Cổng")])


def endpoint_of(data: Mapping[str, Any], file: str) -> str:
    """Which of the six evaluation pages answered, from the response's content."""
    if "evaluation" in data or "overview" in data:
        overview = data.get("overview")
        rows = [overview, *_list(data.get("evaluation"), "evaluation", file)]
        codes = {
            m.get("code")
            for row in rows
            if isinstance(row, Mapping) and isinstance(row.get("metrics"), list)
            for m in row["metrics"]
            if isinstance(m, Mapping) and isinstance(m.get("code"), str)
        }
        if codes & {"PUBLISH_ON_TIME", "PUBLIC_UPDATE_ON_TIME", "PUBLIC_CONTENT_FULL", "DOSSIER_SYNC"}:
            return "transparency"
        if codes & {"ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET", "REUSED_DIGITIZED_DATA"}:
            return "dossier-digitized"
        if codes & {"DOSSIER_RECEIVING_SATISFACTION", "PETITION_PROCESSING_ON_TIME"}:
            return "handling-satisfaction"
        raise PortalFileError([Problem(file, None, "metrics", "không nhận ra mã chỉ tiêu nào của Cổng")])
    if "parent" in data or "children" in data:
        parent = data.get("parent")
        children = [c for c in _list(data.get("children"), "children", file) if isinstance(c, Mapping)]
        sample: Mapping[str, Any] = parent if isinstance(parent, Mapping) else (children[0] if children else {})
        if "totalReceived" in sample:
            return "dvc-progress-tree"
        if "totalDossierFinancialObligation" in sample or "totalFeeFormality" in sample:
            return "formality-online-payment-tree"
        if "authorityCount" in sample or sample.get("totalMaxScore") == 12:
            return "provide-online-tree"
        raise PortalFileError([Problem(file, None, "parent", "không nhận ra cây số liệu nào của Cổng")])
    raise PortalFileError(
        [Problem(file, None, None, "không có overview/evaluation hay parent/children của trang đánh giá 766")]
    )


def _unit(row: Mapping[str, Any], ids: Mapping[str, str], file: str, where: str) -> tuple[str, str]:
    """(code, name): the portal's ``departmentCode``; pages without it (transparency,
    satisfaction) are matched to it by ``departmentId`` through the other files read."""
    name = row.get("departmentName")
    code = row.get("departmentCode") or ids.get(str(row.get("departmentId") or ""))
    code = code or row.get("departmentId")
    if not code or not isinstance(code, str | int) or not isinstance(name, str):
        raise PortalFileError([Problem(file, None, where, "thiếu mã hoặc tên đơn vị")])
    return str(code), name


def _unit_rows(
    data: Mapping[str, Any], head: str, rest: str, ids: Mapping[str, str], file: str
) -> Iterator[tuple[str, Mapping[str, Any], str, str]]:
    """(where, row, code, name) for the page's own unit in ``head`` (absent on some pages) and
    each unit listed in ``rest``: both shapes of page list units this way."""
    rows = [(head, data.get(head))] + [
        (f"{rest}[{i}]", row) for i, row in enumerate(_list(data.get(rest), rest, file))
    ]
    for where, row in rows:
        if row is None and where == head:
            continue
        checked = _object(row, where, file)
        yield (where, checked, *_unit(checked, ids, file, where))


def _metric_rows(
    data: Mapping[str, Any], endpoint: str, ids: Mapping[str, str], file: str
) -> PortalData:
    group = ENDPOINTS[endpoint][0]
    out = PortalData(endpoints=[endpoint])
    for where, row, code, name in _unit_rows(data, "overview", "evaluation", ids, file):
        out.units.setdefault(code, name)
        out.published.append(
            Published(
                code, name, group, None,
                _decimal(row.get("totalScore"), where + ".totalScore", file),
                _decimal(row.get("totalMaxScore"), where + ".totalMaxScore", file) or Decimal(0),
                _decimal(row.get("ratio"), where + ".ratio", file),
                endpoint,
                name=ENDPOINTS[endpoint][1],
            )
        )
        for j, metric in enumerate(_list(row.get("metrics"), f"{where}.metrics", file)):
            at = f"{where}.metrics[{j}]"
            metric = _object(metric, at, file)
            metric_code = metric.get("code")
            max_score = _decimal(metric.get("maxScore"), at + ".maxScore", file) or Decimal(0)
            try:
                ind = indicator(str(metric_code))
            except KeyError as exc:
                raise PortalFileError([Problem(file, None, at + ".code", str(exc))]) from None
            numerator = _count(metric.get("numerator"), at + ".numerator", file)
            denominator = _count(metric.get("denominator"), at + ".denominator", file)
            rate = _decimal(metric.get("ratio"), at + ".ratio", file)
            note = " ".join(
                str(metric[k]) for k in ("dataQualityStatus", "dataQualityMessage")
                if isinstance(metric.get(k), str) and metric[k]
            )
            if numerator is None and denominator is None:
                # 4.6 is published as a rate only (the service is provided or not): it enters
                # the counts as rate ÷ 100 so the total out of 100 can be recomputed.
                if rate is not None:
                    out.counts.append(Count(code, name, ind.id, rate, 100))
                    note = note or "Cổng chỉ công bố tỷ lệ, không có tử số và mẫu số"
            elif numerator is None or denominator is None:
                raise PortalFileError([Problem(file, None, at, "có tử số mà không có mẫu số (hoặc ngược lại)")])
            else:
                out.counts.append(Count(code, name, ind.id, numerator, denominator))
            if max_score == 0:
                continue  # 5.1a/5.1b (petition classification): tracked, no points published
            out.published.append(
                Published(
                    code, name, group, ind.id,
                    _decimal(metric.get("score"), at + ".score", file), max_score, rate, endpoint, note,
                    str(metric.get("name") or ind.name),
                )
            )
    return out


def _tree_rows(
    data: Mapping[str, Any], endpoint: str, ids: Mapping[str, str], file: str
) -> PortalData:
    group = ENDPOINTS[endpoint][0]
    out = PortalData(endpoints=[endpoint])
    for where, row, code, name in _unit_rows(data, "parent", "children", ids, file):
        out.units.setdefault(code, name)
        for ind_id, num_field, den_field in TREE_COUNTS.get(endpoint, ()):
            numerator = _count(row.get(num_field), f"{where}.{num_field}", file)
            denominator = _count(row.get(den_field), f"{where}.{den_field}", file)
            if numerator is None or denominator is None:
                raise PortalFileError([Problem(file, None, f"{where}.{num_field}/{den_field}", "thiếu số liệu")])
            out.counts.append(Count(code, name, ind_id, numerator, denominator))
        # The parent carries totalScore/totalMaxScore, children score/maxScore (progress) or
        # totalScore/totalMaxScore (online, payment).
        points = row.get("score", row.get("totalScore"))
        max_points = row.get("maxScore", row.get("totalMaxScore"))
        out.published.append(
            Published(
                code, name, group,
                "2.1" if endpoint == "dvc-progress-tree" else None,
                _decimal(points, f"{where}.score", file),
                _decimal(max_points, f"{where}.maxScore", file) or Decimal(0),
                _decimal(row.get("ratio"), f"{where}.ratio", file),
                endpoint,
                name=ENDPOINTS[endpoint][1],
            )
        )
    return out


def _department_ids(payloads: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    ids: dict[str, str] = {}
    for data in payloads:
        for key in ("overview", "parent"):
            row = data.get(key)
            if isinstance(row, Mapping) and row.get("departmentId") and row.get("departmentCode"):
                ids[str(row["departmentId"])] = str(row["departmentCode"])
        for key in ("evaluation", "children"):
            rows = data.get(key)
            for row in rows if isinstance(rows, list) else []:  # the readers report a non-list
                if isinstance(row, Mapping) and row.get("departmentId") and row.get("departmentCode"):
                    ids[str(row["departmentId"])] = str(row["departmentCode"])
    return ids


#: A portal file: a saved file's path, or an upload's name and bytes (read without a copy).
PortalSource = Path | tuple[str, bytes]


def _name_and_bytes(source: PortalSource) -> tuple[str, bytes]:
    if isinstance(source, Path):
        try:
            return str(source), source.read_bytes()
        except OSError as exc:
            raise PortalFileError([Problem(str(source), None, None, f"không đọc được tệp: {exc}")]) from None
    return source


def load_json(source: PortalSource) -> Mapping[str, Any]:
    """The ``data`` payload of a saved response, or a clear error naming the file."""
    name, content = _name_and_bytes(source)
    try:
        raw = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PortalFileError([Problem(name, None, None, f"không đọc được JSON: {exc}")]) from None
    except RecursionError:
        raise PortalFileError([Problem(name, None, None, "không đọc được JSON: lồng nhau quá sâu")]) from None
    return _payload(raw, name)


def parse_responses(responses: Sequence[tuple[str, Mapping[str, Any]]]) -> PortalData:
    """Responses (name, data payload) of one province and period → counts and published points."""
    payloads = [data for _, data in responses]
    ids = _department_ids(payloads)
    out = PortalData()
    seen: dict[str, str] = {}
    for name, data in responses:
        endpoint = endpoint_of(data, name)
        if endpoint in seen:
            raise PortalFileError(
                [Problem(name, None, None, f"trùng trang {endpoint} với tệp {seen[endpoint]} (mỗi trang một tệp cho một kỳ)")]
            )
        seen[endpoint] = name
        if endpoint in TREE_COUNTS or endpoint == "provide-online-tree":
            out.extend(_tree_rows(data, endpoint, ids, name))
        else:
            out.extend(_metric_rows(data, endpoint, ids, name))
    return out


def is_portal_json(path: Path) -> bool:
    """True for a saved response of one of the six evaluation pages (by content, not name)."""
    if path.suffix.lower() != ".json":
        return False
    try:
        endpoint_of(load_json(path), str(path))
    except PortalFileError:
        return False
    return True


# --- Excel exports ------------------------------------------------------------------------

#: Header names accepted for each column of an export (lower case, Vietnamese or the JSON
#: field names). **(assumed)** layout: one row per unit and indicator.
EXPORT_HEADERS: Final[dict[str, tuple[str, ...]]] = {
    "unit_code": ("mã đơn vị", "departmentcode", "unit_code"),
    "unit_name": ("tên đơn vị", "đơn vị", "departmentname", "unit_name"),
    "indicator": ("mã chỉ tiêu", "chỉ tiêu", "code", "indicator"),
    "numerator": ("tử số", "numerator"),
    "denominator": ("mẫu số", "denominator"),
    "points": ("điểm", "score", "points"),
    "max": ("điểm tối đa", "maxscore", "max"),
    "rate": ("tỷ lệ (%)", "tỷ lệ", "ratio"),
}
_EXPORT_REQUIRED: Final = ("unit_code", "indicator", "numerator", "denominator")


def read_portal_xlsx(source: PortalSource) -> PortalData:
    """A portal Excel export (first sheet with a recognised header row) → counts and points."""
    import io

    from openpyxl import load_workbook

    from cchc.tables import TableError
    from cchc.tables.workbook import check_workbook

    file, content = _name_and_bytes(source)
    stream = io.BytesIO(content)
    try:  # the bomb checks every table reader makes, before openpyxl inflates anything
        check_workbook(stream, file)
    except TableError as exc:
        raise PortalFileError(exc.problems, exc.total) from None
    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise PortalFileError([Problem(file, None, None, f"không đọc được tệp Excel: {exc}")]) from None
    try:
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            for row_number, row in enumerate(rows, start=1):
                columns = _export_columns(row)
                if columns is not None:
                    return _export_rows(columns, rows, row_number, file)
                if row_number > 20:
                    break
    except PortalFileError:
        raise
    except Exception as exc:  # a damaged workbook fails while its rows are read
        raise PortalFileError([Problem(file, None, None, f"không đọc được tệp Excel: {exc}")]) from None
    finally:
        book.close()
    wanted = ", ".join(EXPORT_HEADERS[k][0] for k in _EXPORT_REQUIRED)
    raise PortalFileError([Problem(file, None, None, f"không tìm thấy dòng tiêu đề có các cột: {wanted}")])


def _export_columns(row: Sequence[object]) -> dict[str, int] | None:
    names = [str(v).strip().lower() if v is not None else "" for v in row]
    columns: dict[str, int] = {}
    for key, accepted in EXPORT_HEADERS.items():
        for i, name in enumerate(names):
            if name in accepted and key not in columns:
                columns[key] = i
    return columns if all(k in columns for k in _EXPORT_REQUIRED) else None


def _export_rows(
    columns: Mapping[str, int], rows: Iterable[Sequence[object]], header_row: int, file: str
) -> PortalData:
    out = PortalData(endpoints=["excel"])
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=header_row + 1):
        def cell(key: str, row: Sequence[object] = row) -> object:
            i = columns.get(key)
            return row[i] if i is not None and i < len(row) else None

        if all(v in (None, "") for v in row):
            continue
        code = str(cell("unit_code") or "").strip()
        name = str(cell("unit_name") or code).strip()
        key = str(cell("indicator") or "").strip()
        if not code:
            problems.append(Problem(file, number, EXPORT_HEADERS["unit_code"][0], "thiếu mã đơn vị"))
            continue
        try:
            ind = indicator(key)
        except KeyError as exc:
            problems.append(Problem(file, number, EXPORT_HEADERS["indicator"][0], str(exc)))
            continue
        values: dict[str, Decimal | None] = {}
        for k in ("numerator", "denominator", "points", "max", "rate"):
            raw = cell(k)
            try:
                values[k] = None if raw in (None, "") else Decimal(str(raw).replace(",", "."))
            except InvalidOperation:
                problems.append(Problem(file, number, EXPORT_HEADERS[k][0], f"không phải số: {raw!r}"))
        numerator, denominator = values.get("numerator"), values.get("denominator")
        if numerator is None or denominator is None or numerator < 0 or denominator < 0:
            if not any(p.row == number for p in problems):
                problems.append(Problem(file, number, EXPORT_HEADERS["denominator"][0], "thiếu tử số hoặc mẫu số"))
            continue
        out.units.setdefault(code, name)
        out.counts.append(Count(code, name, ind.id, _whole(numerator), _whole(denominator)))
        if values.get("points") is not None:
            out.published.append(
                Published(code, name, ind.group, ind.id, values["points"],
                          values.get("max") or Decimal(ind.max), values.get("rate"), "excel",
                          name=ind.name)
            )
    if problems:
        raise PortalFileError(problems[:200], len(problems))
    return out


def _whole(value: Decimal) -> int | Decimal:
    return int(value) if value == value.to_integral_value() else value


# --- one entry point for the CLI and the desk ---------------------------------------------


def read_portal_files(paths: Sequence[PortalSource]) -> PortalData:
    """Saved JSON responses and/or Excel exports of one province and period, all or nothing;
    each a path or an upload's (name, bytes)."""
    responses: list[tuple[str, Mapping[str, Any]]] = []
    out = PortalData()
    for path in paths:
        name = str(path) if isinstance(path, Path) else path[0]
        suffix = Path(name).suffix.lower()
        if suffix == ".json":
            responses.append((name, load_json(path)))
        elif suffix in (".xlsx", ".xlsm"):
            out.extend(read_portal_xlsx(path))
        else:
            raise PortalFileError([Problem(name, None, None, "chỉ nhận tệp .json (phản hồi của Cổng) hoặc .xlsx")])
    out.extend(parse_responses(responses))
    seen: set[tuple[str, str]] = set()
    for c in out.counts:
        if (c.unit_code, c.indicator) in seen:
            raise PortalFileError([Problem(
                ", ".join(str(p) if isinstance(p, Path) else p[0] for p in paths), None, None,
                f"đơn vị {c.unit_code} có chỉ số {c.indicator} hai lần",
            )])
        seen.add((c.unit_code, c.indicator))
    return out


def read_portal_counts(paths: Sequence[Path]) -> list[Count]:
    """The counts of portal files (JSON responses, Excel exports)."""
    return read_portal_files(paths).counts


def read_any_counts(paths: Sequence[Path]) -> list[Count]:
    """Counts from the counts interchange (CSV/XLSX) and/or the portal's own files, by
    extension and content: ``.json`` files are the portal's responses (read together, so
    their units match up); a CSV or XLSX is the counts interchange, and an XLSX that is not
    one is tried as the portal's Excel export. What ``cchc service score`` and ``whatif``
    read. ``LedgerImportError`` (or ``PortalFileError``) names the file and the problem."""
    from cchc.service.counts_file import read_counts

    portal = [p for p in paths if p.suffix.lower() == ".json"]
    out = read_portal_counts(portal) if portal else []
    for path in paths:
        if path.suffix.lower() == ".json":
            continue
        try:
            out.extend(read_counts(path))
        except LedgerImportError as counts_error:
            if path.suffix.lower() not in (".xlsx", ".xlsm"):
                raise
            try:
                out.extend(read_portal_xlsx(path).counts)
            except PortalFileError:
                raise counts_error from None
    keys = [(c.unit_code, c.indicator) for c in out]
    if len(set(keys)) != len(keys):
        twice = next(k for k in keys if keys.count(k) > 1)
        raise PortalFileError([Problem(", ".join(str(p) for p in paths), None, None,
                                       f"đơn vị {twice[0]} có chỉ số {twice[1]} ở hai tệp")])
    return out


# --- ours beside the portal's --------------------------------------------------------------


@dataclass(frozen=True)
class PointLine:
    """One unit's indicator (or group total) with the portal's points beside ours."""

    unit_code: str
    unit_name: str
    group: int
    indicator: str | None
    ours: Decimal | None
    published: Decimal | None
    max: Decimal
    status: str
    note: str = ""

    @property
    def difference(self) -> Decimal | None:
        if self.ours is None or self.published is None:
            return None
        return self.ours - self.published


#: A published group total that is the sum of rounded parts may differ from our sum of the
#: same rounded parts by rounding only when the portal rounds differently; 0.01 is tolerated
#: for group totals only, as in the published data.
GROUP_TOLERANCE: Final = Decimal("0.01")


def compare(data: PortalData) -> tuple[list[UnitScore], list[PointLine]]:
    """Score the portal's counts with our rules and set each published point beside ours."""
    scores = score_units(data.counts)
    by_unit = {s.unit_code: s for s in scores}
    lines: list[PointLine] = []
    for pub in data.published:
        unit = by_unit.get(pub.unit_code)
        if pub.group in NOT_RECOMPUTED_GROUPS:
            lines.append(PointLine(pub.unit_code, pub.unit_name, pub.group, pub.indicator, None,
                                   pub.points, pub.max, NOT_RECOMPUTED, pub.note))
            continue
        ours: Decimal | None = None
        if unit is not None:
            if pub.indicator is not None and pub.indicator in unit.indicators:
                ours = unit.indicators[pub.indicator].points
            elif pub.indicator is None and pub.group in unit.groups:
                ours = unit.groups[pub.group][0]
        if pub.points is None:
            status = NOT_PUBLISHED
        elif ours is None:
            status = PUBLISHED_ONLY
        else:
            tolerance = GROUP_TOLERANCE if pub.indicator is None else Decimal(0)
            status = MATCH if abs(ours - pub.points) <= tolerance else DIFFERENT
        lines.append(PointLine(pub.unit_code, pub.unit_name, pub.group, pub.indicator, ours,
                               pub.points, pub.max, status, pub.note))
    return scores, lines


def differences(lines: Iterable[PointLine]) -> list[PointLine]:
    """The findings: published points our rules do not reproduce."""
    return [line for line in lines if line.status == DIFFERENT]


def published_group_points(data: PortalData) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    """The portal's published (points, max) per (unit, group): each page publishes a group
    total for every unit (``totalScore`` / ``score`` of the progress tree)."""
    totals: dict[tuple[str, int], tuple[Decimal, Decimal]] = {}
    for pub in data.published:
        if pub.points is None:
            continue
        if pub.indicator is None or pub.source == "dvc-progress-tree":
            totals[(pub.unit_code, pub.group)] = (pub.points, pub.max)
    return totals


# --- storing an import -----------------------------------------------------------------------


def to_dict(data: PortalData) -> dict[str, Any]:
    """A JSON document of the data (numbers as exact decimal strings), for storing an import."""
    return {
        "units": data.units,
        "endpoints": data.endpoints,
        "counts": [
            [c.unit_code, c.unit_name, c.indicator, str(c.numerator), str(c.denominator)]
            for c in data.counts
        ],
        "published": [
            {
                "unit_code": p.unit_code, "unit_name": p.unit_name, "group": p.group,
                "indicator": p.indicator, "points": None if p.points is None else str(p.points),
                "max": str(p.max), "rate_percent": None if p.rate_percent is None else str(p.rate_percent),
                "source": p.source, "note": p.note, "name": p.name,
            }
            for p in data.published
        ],
    }


def from_dict(doc: Mapping[str, Any]) -> PortalData:
    """The inverse of ``to_dict``."""
    def number(text: str) -> int | Decimal:
        return _whole(Decimal(text))

    def optional(text: str | None) -> Decimal | None:
        return None if text is None else Decimal(text)

    return PortalData(
        counts=[Count(u, n, i, number(a), number(b)) for u, n, i, a, b in doc.get("counts", [])],
        published=[
            Published(p["unit_code"], p["unit_name"], int(p["group"]), p["indicator"],
                      optional(p["points"]), Decimal(p["max"]), optional(p["rate_percent"]),
                      p["source"], p.get("note", ""), p.get("name", ""))
            for p in doc.get("published", [])
        ],
        endpoints=list(doc.get("endpoints", [])),
        units=dict(doc.get("units", {})),
    )
