"""The unit registry: who existed when, under whom, and what became of it (DOMAIN.md §2)."""

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cchc.cli import app
from cchc.units import Level, LineageKind, UnitsError, default_registry, load_registry

BEFORE = dt.date(2022, 12, 31)
AFTER = dt.date(2025, 7, 1)


@pytest.fixture(scope="module")
def registry():
    return default_registry()


def test_binh_dinh_had_eleven_district_level_units_before_july_2025(registry):
    districts = registry.units(level="district", parent="BDI", on=BEFORE)
    assert len(districts) == 11
    assert registry.get("HNH").name == "Thị xã Hoài Nhơn"


def test_hoai_nhon_had_seventeen_wards_and_communes(registry):
    communes = registry.units(level=Level.COMMUNE, parent="HNH", on=BEFORE)
    assert len(communes) == 17
    assert sum(u.kind == "phường" for u in communes) == 11
    assert sum(u.kind == "xã" for u in communes) == 6


def test_no_district_exists_from_first_july_2025(registry):
    assert registry.units(level="district", on=AFTER) == []
    assert registry.units(level="district", on=dt.date(2025, 6, 30)) != []


def test_gia_lai_has_the_seven_new_wards_from_first_july_2025(registry):
    wards = registry.units(level="commune", parent="GLA", on=AFTER)
    assert [w.name for w in wards] == [
        "Phường Bồng Sơn", "Phường Hoài Nhơn", "Phường Tam Quan", "Phường Hoài Nhơn Đông",
        "Phường Hoài Nhơn Tây", "Phường Hoài Nhơn Nam", "Phường Hoài Nhơn Bắc",
    ]
    assert registry.units(level="commune", parent="GLA", on=dt.date(2025, 6, 30)) == []


def test_binh_dinh_merged_into_gia_lai(registry):
    assert [u.code for u in registry.successors("BDI")] == ["GLA"]
    assert [u.code for u in registry.predecessors("GLA")] == ["BDI"]
    assert registry.lineage_codes("GLA") == ["BDI"]
    event = registry.lineage[0]
    assert event.kind is LineageKind.MERGED_INTO and event.date == AFTER
    assert "202/2025/QH15" in event.source


def test_hoai_nhon_communes_went_into_the_seven_wards_by_resolution_1664(registry):
    assert [u.code for u in registry.successors("BSO")] == ["GLA-BSO"]
    assert sorted(u.code for u in registry.predecessors("GLA-BSO")) == ["BSO", "HDU"]
    assert sorted(u.code for u in registry.predecessors("GLA-HNH")) == ["HTH", "HTT", "TQN"]
    former = registry.units(level="commune", parent="HNH", on=BEFORE)
    assert all(len(registry.successors(u.code)) == 1 for u in former)
    assert all("1664/NQ-UBTVQH15" in e.source for e in registry.lineage if e.from_code != "BDI")


def test_every_shipped_unit_names_its_source(registry):
    assert all(u.source for u in registry)


def test_unknown_code_is_a_clear_error(registry):
    with pytest.raises(KeyError, match="XYZ"):
        registry.get("XYZ")


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "code,name,level,kind,parent,valid_from,valid_to,source\n"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ("A,Tỉnh A,planet,tỉnh,,,,\n", "row 2, column level"),
        ("A,Tỉnh A,province,tỉnh,,2025-13-01,,\n", "row 2, column valid_from"),
        ("A,Tỉnh A,province,tỉnh,,2025-01-01,2024-01-01,\n", "row 2, column valid_to"),
        ("A,Tỉnh A,province,tỉnh,,,,\nA,Tỉnh A,province,tỉnh,,,,\n", "duplicate unit code 'A'"),
        ("B,Xã B,commune,xã,ZZ,,,\n", "unknown parent 'ZZ'"),
    ],
)
def test_bad_units_files_name_file_row_and_column(tmp_path, rows, message):
    path = _write(tmp_path / "units.csv", HEADER + rows)
    with pytest.raises(UnitsError, match=message) as info:
        load_registry(path)
    assert "units.csv" in str(info.value)


def test_lineage_must_name_known_units(tmp_path):
    units = _write(tmp_path / "units.csv", HEADER + "A,Tỉnh A,province,tỉnh,,,,\n")
    lineage = _write(tmp_path / "lineage.csv", "date,event,from_code,to_code,source\n2025-07-01,merged_into,A,Q,x\n")
    with pytest.raises(UnitsError, match="unknown unit 'Q'"):
        load_registry(units, lineage)


def test_cli_lists_units_on_a_date_and_shows_lineage():
    runner = CliRunner()
    listed = runner.invoke(app, ["units", "list", "--level", "commune", "--parent", "HNH", "--on", "2022-12-31"])
    assert listed.exit_code == 0
    assert "Phường Tam Quan Nam" in listed.output
    shown = runner.invoke(app, ["units", "lineage", "BDI"])
    assert shown.exit_code == 0 and "52 Tỉnh Gia Lai" in shown.output
    missing = runner.invoke(app, ["units", "lineage", "NOPE"])
    assert missing.exit_code == 2
