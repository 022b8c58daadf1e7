"""Build the national unit registry shipped in ``src/cchc/units/data/`` from a maintained data package.

Run by a maintainer when the national list changes (not at install or run time)::

    .venv/bin/pip install vietnamadminunits==1.0.4
    .venv/bin/python scripts/build_units_registry.py

Source: the PyPI package ``vietnamadminunits`` (MIT licence), which carries

- ``admin_units_legacy``: the 63 provinces, 696 district-level and 10 035 commune-level units
  in force until 30/06/2025 (5 island districts had no communes), with the statistics office's codes (danh mục đơn vị hành chính,
  Quyết định 124/2004/QĐ-TTg and its updates);
- ``admin_units``: the 34 provinces and 3 321 communes, wards and special zones in force from
  01/07/2025, with the codes of Quyết định 19/2025/QĐ-TTg;
- ``converter_2025.json``: which former commune went into which new one, and which former
  communes were divided between several new ones.

Resolutions: provinces were rearranged by Nghị quyết 202/2025/QH15 of the National Assembly
(12/06/2025); district-level units ceased on 01/07/2025 (Luật Tổ chức chính quyền địa
phương 2025, Luật số 72/2025/QH15); the communes of each new province were rearranged by one
resolution of the National Assembly Standing Committee of 16/06/2025 (``RESOLUTIONS`` below,
numbers 1654–1687/NQ-UBTVQH15 by new province code).

The script checks the totals (63, 696, 10 035 before; 34, 3 321 after) and that every former
commune has a successor, and writes ``national_units.csv.gz`` and ``national_lineage.csv.gz``.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sqlite3
import sys
from importlib import metadata, resources
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "src" / "cchc" / "units" / "data"
LAST_DAY = "2025-06-30"
FIRST_DAY = "2025-07-01"

# The commune-level rearrangement of 2025, one resolution of the National Assembly Standing
# Committee per new province (16/06/2025, in force 01/07/2025), by the new province's code.
RESOLUTIONS = {
    "01": "1656", "04": "1657", "08": "1684", "11": "1661", "12": "1670", "14": "1681",
    "15": "1673", "19": "1683", "20": "1672", "22": "1679", "24": "1658", "25": "1676",
    "31": "1669", "33": "1666", "37": "1674", "38": "1686", "40": "1678", "42": "1665",
    "44": "1680", "46": "1675", "48": "1659", "51": "1677", "52": "1664", "56": "1667",
    "66": "1660", "68": "1671", "75": "1662", "79": "1685", "80": "1682", "82": "1663",
    "86": "1687", "91": "1654", "92": "1668", "96": "1655",
}
PROVINCE_RESOLUTION = "Nghị quyết 202/2025/QH15 của Quốc hội (12/06/2025)"
DISTRICTS_END = "Luật Tổ chức chính quyền địa phương 2025 (Luật số 72/2025/QH15): cấp huyện chấm dứt hoạt động từ 01/07/2025"


def commune_resolution(province_code: str) -> str:
    return f"Nghị quyết {RESOLUTIONS[province_code]}/NQ-UBTVQH15 của Ủy ban Thường vụ Quốc hội (16/06/2025)"


def _kind(name: str, kinds: tuple[str, ...]) -> str:
    for kind in kinds:
        if name.lower().startswith(kind.lower() + " "):
            return kind.lower()
    raise SystemExit(f"unknown kind of unit: {name!r}")


def _name(name: str) -> str:
    """The package writes a few prefixes with a capital ("Thành Phố Bắc Kạn"): write them as the
    official list does ("Thành phố"); the rest of the name is kept as it is."""
    for prefix in ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu"):
        if name.lower().startswith(prefix.lower() + " "):
            return prefix + name[len(prefix):]
    return name


def main() -> int:
    version = metadata.version("vietnamadminunits")
    data = resources.files("vietnamadminunits") / "data"
    with resources.as_file(data / "dataset.db") as db_path:
        db = sqlite3.connect(db_path)
        legacy = db.execute(
            "select provinceCode, province, districtCode, district, wardCode, ward,"
            " provinceKey, districtKey, wardKey from admin_units_legacy"
        ).fetchall()
        current = db.execute(
            "select provinceCode, province, wardCode, ward, provinceKey, wardKey from admin_units"
        ).fetchall()
    converter = json.loads((data / "converter_2025.json").read_text("utf-8"))
    src_old = f"vietnamadminunits {version}, admin_units_legacy (mã: danh mục đơn vị hành chính Việt Nam đến 30/06/2025)"
    src_new = f"vietnamadminunits {version}, admin_units (mã: Quyết định 19/2025/QĐ-TTg)"

    old_provinces = {p: n for p, n, *_ in legacy}
    old_districts = {d: (n, p) for p, _, d, n, *_ in legacy}
    new_provinces = {p: n for p, n, *_ in current}
    new_codes = {w for _, _, w, *_ in current}
    checks = {
        "provinces before": (len(old_provinces), 63),
        "districts before": (len(old_districts), 696),
        "communes before": (sum(r[4] is not None for r in legacy), 10035),
        "provinces after": (len(new_provinces), 34),
        "communes after": (len(current), 3321),
    }
    for what, (got, want) in checks.items():
        if got != want:
            raise SystemExit(f"{what}: {got}, expected {want}")

    # A province whose code, name and territory did not change stays one unit; every other one
    # ends on 30/06/2025 and its successor starts on 01/07/2025 (same code where the new
    # province kept it, hence the "@2025-06-30" id of the unit that ended).
    merged_from: dict[str, list[str]] = {}
    key_to_old_province = {k: p for p, _, _, _, _, _, k, _, _ in legacy}
    key_to_new_province = {k: p for p, _, _, _, k, _ in current}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        merged_from[key_to_new_province[new_key]] = [key_to_old_province[k] for k in old_keys]
    unchanged = {
        p for p, olds in merged_from.items()
        if olds == [p] and old_provinces[p] == new_provinces[p]
    }

    def old_id(code: str, reused: set[str]) -> str:
        return f"{code}@{LAST_DAY}" if code in reused else code

    rows: list[tuple[str, ...]] = []
    old_province_id = {p: (p if p in unchanged else old_id(p, set(new_provinces))) for p in old_provinces}
    for code, name in sorted(old_provinces.items()):
        if code in unchanged:
            rows.append((code, code, _name(name), "province", _kind(name, ("Thành phố", "Tỉnh")), "", "", "", f"{src_old}; {src_new}; không sắp xếp theo {PROVINCE_RESOLUTION}"))
        else:
            rows.append((old_province_id[code], code, _name(name), "province", _kind(name, ("Thành phố", "Tỉnh")), "", "", LAST_DAY, f"{src_old}; {PROVINCE_RESOLUTION}"))
    for code, name in sorted(new_provinces.items()):
        if code not in unchanged:
            rows.append((code, code, _name(name), "province", _kind(name, ("Thành phố", "Tỉnh")), "", FIRST_DAY, "", f"{src_new}; {PROVINCE_RESOLUTION}"))
    for code, (name, province) in sorted(old_districts.items()):
        rows.append((code, code, _name(name), "district", _kind(name, ("Thành phố", "Thị xã", "Quận", "Huyện")), old_province_id[province], "", LAST_DAY, f"{src_old}; {DISTRICTS_END}"))
    old_commune_id: dict[str, str] = {}
    old_by_key: dict[str, str] = {}
    for _, _, d, _, w, name, pk, dk, wk in sorted(legacy, key=lambda r: r[4] or ""):
        if w is None:  # an island district without communes: it became a special zone (đặc khu)
            old_by_key[f"{pk}_{dk}_"] = d
            old_commune_id[d] = d
            continue
        old_commune_id[w] = old_id(w, new_codes)
        old_by_key[f"{pk}_{dk}_{wk}"] = w
        rows.append((old_commune_id[w], w, _name(name), "commune", _kind(name, ("Phường", "Xã", "Thị trấn")), d, "", LAST_DAY, src_old))
    new_by_key: dict[tuple[str, str], str] = {}
    province_of = {w: p for p, _, w, *_ in current}
    for p, _, w, name, pk, wk in sorted(current, key=lambda r: r[2]):
        new_by_key[(pk, wk)] = w
        rows.append((w, w, _name(name), "commune", _kind(name, ("Phường", "Xã", "Đặc khu")), p, FIRST_DAY, "", f"{src_new}; {commune_resolution(p)}"))

    events: list[tuple[str, ...]] = []
    for new_code, olds in sorted(merged_from.items()):
        if new_code in unchanged:
            continue
        for old in olds:
            events.append((FIRST_DAY, "merged_into", old_province_id[old], new_code, "", PROVINCE_RESOLUTION))
    successors: dict[str, int] = {}
    for pk, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for wk, old_keys in wards.items():
            new = new_by_key[(pk, wk)]
            province = province_of[new]
            for key in old_keys:
                old = old_by_key[key]
                successors[old] = successors.get(old, 0) + 1
                events.append((FIRST_DAY, "merged_into", old_commune_id[old], new, "", commune_resolution(province)))
    for pk, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for key, parts in divided.items():
            old = old_by_key[key]
            for part in parts:
                new = new_by_key[(pk, part["newWardKey"])]
                province = province_of[new]
                successors[old] = successors.get(old, 0) + 1
                note = "phần lớn" if part["isDefaultNewWard"] else "một phần"
                events.append((FIRST_DAY, "split_from", old_commune_id[old], new, note, commune_resolution(province)))
    missing = [w for w in old_commune_id if w not in successors]  # island districts included
    if missing:
        raise SystemExit(f"former communes without a successor: {missing[:10]}")

    _write(OUT / "national_units.csv.gz", ("id", "code", "name", "level", "kind", "parent", "valid_from", "valid_to", "source"), rows)
    _write(OUT / "national_lineage.csv.gz", ("date", "event", "from_code", "to_code", "note", "source"), sorted(set(events)))
    print(f"{len(rows)} units, {len(set(events))} lineage events (vietnamadminunits {version})")
    return 0


def _write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    # mtime=0: the same data gives the same bytes, so a rebuild without changes is no diff.
    path.write_bytes(gzip.compress(buffer.getvalue().encode("utf-8"), mtime=0))


if __name__ == "__main__":
    sys.exit(main())
