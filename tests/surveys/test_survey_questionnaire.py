"""Questionnaires as data: the shipped forms, versions, and validation errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cchc.surveys import (
    QuestionnaireError,
    available_questionnaires,
    load_questionnaire,
    load_questionnaire_file,
)


def test_sipas_has_the_five_factors_of_decision_1001():
    form = load_questionnaire("sipas", 2024)
    assert [f.label for f in form.factors] == [
        "Tiếp cận dịch vụ",
        "Thủ tục hành chính",
        "Công chức giải quyết công việc",
        "Kết quả giải quyết",
        "Tiếp nhận và xử lý góp ý, phản ánh, kiến nghị",
    ]
    assert "1001/QĐ-BNV" in form.source
    assert [level.value for level in form.scale.levels] == [1, 2, 3, 4, 5]
    assert form.scale.satisfied_min == 4 and form.scale.no_answer.label == "Không trả lời"
    # The wording is not the official annex text, and the file says so.
    assert form.wording == "illustrative" and "minh họa" in form.wording_note


def test_every_shipped_questionnaire_loads():
    shipped = available_questionnaires()
    assert ("sipas", 2024) in shipped and ("officials", 2024) in shipped
    for kind, version in shipped:
        form = load_questionnaire(kind, version)
        assert form.kind == kind and form.version == version
        ids = [q.id for f in form.factors for q in f.questions]
        assert len(ids) == len(set(ids))


def test_a_later_year_uses_the_latest_version_and_an_earlier_year_has_none():
    assert load_questionnaire("sipas", 2030).version == 2024
    with pytest.raises(LookupError, match="2023"):
        load_questionnaire("sipas", 2023)
    with pytest.raises(LookupError):
        load_questionnaire("khong_co", 2025)


def _shipped_raw() -> dict:
    path = (
        Path(__import__("cchc.surveys", fromlist=["x"]).__file__).parent
        / "data"
        / "sipas-2024.yaml"
    )
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _broken(tmp_path: Path, change) -> Path:
    raw = _shipped_raw()
    change(raw)
    path = tmp_path / "form.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "key"),
    [
        (lambda r: r.pop("title"), "title"),
        (lambda r: r.update(version="2024"), "version"),
        (lambda r: r.update(wording="maybe"), "wording"),
        (lambda r: r["scale"].update(satisfied_min=9), "scale.satisfied_min"),
        (lambda r: r["scale"]["levels"].reverse(), "scale.levels"),
        (lambda r: r["scale"]["no_answer"].update(value=3), "scale.no_answer.value"),
        (lambda r: r["factors"][1].update(key="tiep_can"), "factors[1].key"),
        (lambda r: r["factors"][0]["questions"][1].update(id="tc1"), "factors[0].questions[1].id"),
        (lambda r: r["factors"][2]["questions"][0].pop("text"), "factors[2].questions[0].text"),
        (lambda r: r["factors"][0].update(questions=[]), "factors[0].questions"),
        (lambda r: r.update(factors=[]), "factors"),
    ],
)
def test_validation_errors_name_the_file_and_the_key(tmp_path, change, key):
    path = _broken(tmp_path, change)
    with pytest.raises(QuestionnaireError) as exc:
        load_questionnaire_file(path)
    assert exc.value.key == key
    assert str(path) in str(exc.value)


def test_unreadable_and_malformed_files(tmp_path):
    with pytest.raises(QuestionnaireError, match="không đọc được"):
        load_questionnaire_file(tmp_path / "missing.yaml")
    (tmp_path / "bad.yaml").write_text("a: [1,", encoding="utf-8")
    with pytest.raises(QuestionnaireError, match="YAML"):
        load_questionnaire_file(tmp_path / "bad.yaml")
