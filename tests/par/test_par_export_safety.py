"""Exports show a hostile unit name as text: no spreadsheet formula runs (OWASP CSV injection)."""

import csv

import openpyxl

from cchc.demo import data_path
from cchc.par.export import write_csv, write_xlsx
from cchc.par.framework import load_framework
from cchc.par.results import compute_results
from cchc.par.scores import load_scores

HOSTILE = '=HYPERLINK("http://evil.example","Bấm vào đây")'


def _results(tmp_path):
    framework = load_framework(data_path("framework_commune_2022.yaml"))
    scores = tmp_path / "diem.csv"
    scores.write_text(f'unit_code,unit_name,KQ,HL\nX1,"{HOSTILE.replace(chr(34), chr(34) * 2)}",60,25\n', encoding="utf-8")
    return compute_results(framework, load_scores(scores, framework))


def test_xlsx_stores_a_formula_looking_name_as_text(tmp_path):
    out = tmp_path / "xep_hang.xlsx"
    write_xlsx(_results(tmp_path), out)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE]
    assert cells, "the name is kept as written"
    assert all(c.data_type == "s" for c in cells), "stored as a string, not a formula"


def test_csv_prefixes_a_formula_looking_name(tmp_path):
    out = tmp_path / "xep_hang.csv"
    write_csv(_results(tmp_path), out)
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert row["unit_name"] == "'" + HOSTILE
    assert float(row["score"]) == 85.0
