"""The country as it is: every unit before and after 01/07/2025, with official codes and lineage."""

import csv
import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from cchc.cli import app
from cchc.units import national_registry
from cchc.units.matching import Matcher, MatchStatus, name_key

BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2026, 1, 1)
runner = CliRunner()


@pytest.fixture(scope="module")
def registry():
    return national_registry()


def test_63_provinces_696_districts_and_10035_communes_until_30_june_2025(registry):
    assert len(registry.units(level="province", on=BEFORE)) == 63
    assert len(registry.units(level="district", on=BEFORE)) == 696
    assert len(registry.units(level="commune", on=BEFORE)) == 10035


def test_34_provinces_3321_communes_and_no_district_from_1_july_2025(registry):
    assert len(registry.units(level="province", on=AFTER)) == 34
    assert len(registry.units(level="commune", on=AFTER)) == 3321
    assert registry.units(level="district", on=AFTER) == []


def test_official_codes_reused_in_2025_name_two_units(registry):
    old, new = registry.find("21640")
    assert (old.key, old.valid_to) == ("21640@2025-06-30", BEFORE)
    assert (new.key, new.valid_from) == ("21640", dt.date(2025, 7, 1))
    assert registry.get("21640") is new  # a code names its latest unit
    assert registry.get("52").name == "Tỉnh Gia Lai"
    assert registry.get("52@2025-06-30").name == "Tỉnh Bình Định"


def test_the_demo_codes_are_aliases_of_official_units(registry):
    assert registry.get("HNH").code == "543" and registry.get("HNH").name == "Thị xã Hoài Nhơn"
    assert registry.get("GLA-HNH").code == "21664"
    assert registry.get("BSO").key == "21640@2025-06-30"
    assert registry.aliases("21664") == ["GLA-HNH"]


def test_every_unit_and_event_names_its_source(registry):
    assert all(u.source for u in registry)
    areas = [e for e in registry.lineage if registry.get(e.to_code).level != "agency"]
    assert all("NQ-UBTVQH15" in e.source or "202/2025/QH15" in e.source for e in areas)
    departments = [e for e in registry.lineage if registry.get(e.to_code).level == "agency"]
    assert departments and all("laodong.vn" in e.source for e in departments)


def test_every_former_commune_has_a_successor(registry):
    ended = registry.units(level="commune", on=BEFORE)
    assert all(registry.successors(u.key) for u in ended)


def test_binh_dinh_and_gia_lai_merged_into_the_new_gia_lai_by_resolution_202(registry):
    assert sorted(u.name for u in registry.predecessors("52")) == ["Tỉnh Bình Định", "Tỉnh Gia Lai"]
    assert all("202/2025/QH15" in e.source for e in registry.events_to("52"))


def test_hoai_nhon_ward_formed_from_three_communes_by_resolution_1664(registry):
    events = registry.events_to("21664")
    assert sorted(registry.get(e.from_code).name for e in events) == [
        "Phường Hoài Thanh", "Phường Hoài Thanh Tây", "Phường Tam Quan Nam",
    ]
    assert all(e.source.startswith("Nghị quyết 1664/NQ-UBTVQH15") for e in events)
    assert {"HTT", "HTH", "TQN"} <= set(registry.lineage_codes("GLA-HNH"))


def test_a_divided_commune_names_each_part(registry):
    divided = [e for e in registry.lineage if e.kind.value == "split_from"]
    assert len(divided) > 900
    by_old: dict[str, list[str]] = {}
    for e in divided:
        by_old.setdefault(e.from_code, []).append(e.note)
    assert all(len(notes) >= 2 and notes.count("phần lớn") == 1 for notes in by_old.values())


def test_units_of_a_province_include_its_communes(registry):
    assert len(registry.units(level="commune", on=AFTER, province="52")) == 135
    assert len(registry.units(level="commune", on=BEFORE, province="HNH")) == 17


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("UBND Phường Bồng Sơn", ("phường", "bongson")),
        ("P. Bồng Sơn", ("phường", "bongson")),
        ("phuong bong son", ("phường", "bongson")),
        ("Phu\u031bo\u031b\u0300ng Bo\u0302\u0300ng So\u031bn", ("phường", "bongson")),  # NFD
        ("UBND xã Lâm Thao - Tỉnh Phú Thọ", ("xã", "lamthao")),
        ("TX. Hoài Nhơn", ("thị xã", "hoainhon")),
    ],
)
def test_names_written_by_other_systems_reduce_to_one_key(name, key):
    assert name_key(name) == key


def test_matching_the_national_portals_names_of_phu_tho(registry):
    matcher = Matcher(registry, dt.date(2026, 8, 1))
    for name, code in [
        ("UBND Phường Việt Trì", "07900"),
        ("UBND xã Lâm Thao - Tỉnh Phú Thọ", "08494"),
        ("UBND Phường Bồng Sơn", "21640"),
        ("Phuong Hoai Nhon Dong", "21670"),
    ]:
        found = matcher.match(name)
        assert found.status is MatchStatus.CERTAIN and found.unit is not None and found.unit.code == code
    assert matcher.match("Sở Công Thương - Tỉnh Phú Thọ").status is MatchStatus.NOT_FOUND
    shared = matcher.match("Xã Tân Thành")  # one name, several provinces
    assert shared.status is MatchStatus.REVIEW and len(shared.candidates) > 1
    typo = matcher.match("Phường Bồng Sơnn")
    assert typo.status is MatchStatus.REVIEW and typo.candidates[0].code == "21640"


def test_cli_lists_provinces_on_both_sides_of_the_reform():
    before = runner.invoke(app, ["units", "list", "--on", "30/06/2025", "--level", "province", "--format", "json"])
    after = runner.invoke(app, ["units", "list", "--on", "01/01/2026", "--level", "province", "--format", "json"])
    assert before.exit_code == 0 and after.exit_code == 0
    assert len(json.loads(before.output)) == 63 and len(json.loads(after.output)) == 34
    first = json.loads(after.output)[0]
    assert set(first) >= {"code", "name", "level", "parent", "valid_from", "valid_to"}


def test_cli_lists_communes_of_a_province_as_csv():
    listed = runner.invoke(app, ["units", "list", "--on", "2026-01-01", "--level", "commune", "--province", "52", "--format", "csv"])
    rows = list(csv.DictReader(listed.output.splitlines()))
    assert len(rows) == 135 and {r["parent"] for r in rows} == {"52"}


def test_cli_says_when_nothing_is_listed():
    empty = runner.invoke(app, ["units", "list", "--on", "01/01/2026", "--level", "district"])
    assert empty.exit_code == 0 and "Không có đơn vị nào" in empty.output


def test_cli_rejects_a_bad_date_and_an_unknown_province():
    assert runner.invoke(app, ["units", "list", "--on", "31/02/2026"]).exit_code == 2
    assert runner.invoke(app, ["units", "list", "--province", "ZZ"]).exit_code == 2


def test_cli_reads_dates_as_an_office_writes_them():
    """The one parser of typed dates (cchc.fmt.parse_date): day first, dots or slashes."""
    on_dots = runner.invoke(app, ["units", "list", "--on", "1.1.2026", "--level", "province"])
    assert on_dots.exit_code == 0 and "01/01/2026" in on_dots.output
    wrong = runner.invoke(app, ["units", "list", "--on", "31/02/2026"])
    assert "--on" in wrong.output and "ngày có thật" in wrong.output


def test_cli_lineage_shows_both_units_of_a_reused_code_and_the_resolution():
    shown = runner.invoke(app, ["units", "lineage", "21640"])
    assert shown.exit_code == 0
    assert "21640@2025-06-30 — Phường Bồng Sơn" in shown.output
    assert "21685 Phường Hoài Đức" in shown.output and "1664/NQ-UBTVQH15" in shown.output
    ended = runner.invoke(app, ["units", "lineage", "HNH"])
    assert "Chấm dứt hoạt động sau ngày 30/06/2025" in ended.output


def test_cli_match_writes_results_and_a_review_file(tmp_path):
    names = tmp_path / "don_vi.csv"
    names.write_text("ten_don_vi\nUBND Phường Bồng Sơn\nXã Tân Thành\nSở Nội vụ\n", encoding="utf-8")
    out, review = tmp_path / "ket_qua.csv", tmp_path / "xem_lai.csv"
    done = runner.invoke(app, ["units", "match", str(names), "--on", "01/01/2026", "--output", str(out), "--review", str(review)])
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["ket_qua"] for r in rows] == ["khớp", "cần xem lại", "không tìm thấy"]
    assert rows[0]["ma"] == "21640"
    flagged = list(csv.DictReader(review.read_text(encoding="utf-8-sig").splitlines()))
    assert [r["ten_goc"] for r in flagged] == ["Xã Tân Thành"] and flagged[0]["ung_vien"]
