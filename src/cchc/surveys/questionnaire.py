"""Questionnaires as data: SIPAS and the officials' survey, one YAML file per version.

Files live in ``cchc/surveys/data/<kind>-<version>.yaml``; the version is the first survey
year it applies to, so a new decision adds a file and old years keep their form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from cchc.surveys.errors import QuestionnaireError

__all__ = [
    "Factor",
    "Level",
    "Question",
    "Questionnaire",
    "Scale",
    "available_questionnaires",
    "load_questionnaire",
    "load_questionnaire_file",
]


@dataclass(frozen=True)
class Level:
    value: int
    name: str
    label: str


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale; answers at or above ``satisfied_min`` count as satisfied."""

    levels: tuple[Level, ...]
    satisfied_min: int
    no_answer: Level

    @property
    def max(self) -> int:
        return max(level.value for level in self.levels)

    def value_of(self, text: str) -> int | None:
        """Map a listed answer, a level's name or number exactly as listed ("rat_hai_long",
        "5"), to its value; empty or the no-answer's number or name = None (no answer).

        Raises ``ValueError`` for anything else, including other spellings of a listed
        number ("1e0", " 1", "1.0", "1,0"): a file or form that writes them was not made
        from the questionnaire, and reading them as numbers let such values through.
        """
        if text in ("", str(self.no_answer.value), self.no_answer.name):
            return None
        for level in self.levels:
            if text in (level.name, str(level.value)):
                return level.value
        raise ValueError(text)


@dataclass(frozen=True)
class Question:
    id: str
    text: str


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    kind: str
    version: int
    valid_from: dt.date
    title: str
    source: str
    wording: str  # "official" or "illustrative"
    wording_note: str
    scale: Scale
    factors: tuple[Factor, ...]

    def question(self, question_id: str) -> tuple[Factor, Question] | None:
        """The factor and question with this id, or None."""
        for factor in self.factors:
            for question in factor.questions:
                if question.id == question_id:
                    return factor, question
        return None

    def factor(self, key: str) -> Factor | None:
        return next((f for f in self.factors if f.key == key), None)


def _data_dir() -> Path:
    return Path(str(resources.files("cchc.surveys") / "data"))


def available_questionnaires() -> list[tuple[str, int]]:
    """(kind, version) of every shipped questionnaire, sorted."""
    found: list[tuple[str, int]] = []
    for path in _data_dir().glob("*.yaml"):
        kind, _, version = path.stem.rpartition("-")
        if kind and version.isdigit():
            found.append((kind, int(version)))
    return sorted(found)


def load_questionnaire(kind: str, year: int) -> Questionnaire:
    """The shipped questionnaire of ``kind`` in force for survey ``year`` (latest version ≤ year)."""
    versions = [v for k, v in available_questionnaires() if k == kind and v <= year]
    if not versions:
        known = sorted({k for k, _ in available_questionnaires()})
        raise LookupError(
            f"không có phiếu khảo sát '{kind}' áp dụng cho năm {year} (các loại có: {', '.join(known)})"
        )
    return load_questionnaire_file(_data_dir() / f"{kind}-{max(versions)}.yaml")


def _require(mapping: dict[str, Any], key: str, kind: type, file: str, where: str) -> Any:
    full = f"{where}.{key}" if where else key
    if key not in mapping:
        raise QuestionnaireError(file, full, "thiếu khóa bắt buộc")
    value = mapping[key]
    if kind is int and isinstance(value, bool):
        raise QuestionnaireError(file, full, "phải là số nguyên")
    if not isinstance(value, kind):
        raise QuestionnaireError(file, full, f"kiểu không hợp lệ, cần {kind.__name__}")
    if isinstance(value, str) and not value.strip():
        raise QuestionnaireError(file, full, "không được để trống")
    return value


def _level(raw: Any, file: str, where: str) -> Level:
    if not isinstance(raw, dict):
        raise QuestionnaireError(file, where, "phải là một bảng value/name/label")
    return Level(
        value=_require(raw, "value", int, file, where),
        name=_require(raw, "name", str, file, where),
        label=_require(raw, "label", str, file, where),
    )


def _scale(raw: Any, file: str) -> Scale:
    if not isinstance(raw, dict):
        raise QuestionnaireError(file, "scale", "phải là một bảng")
    levels_raw = _require(raw, "levels", list, file, "scale")
    levels = tuple(_level(item, file, f"scale.levels[{i}]") for i, item in enumerate(levels_raw))
    values = [level.value for level in levels]
    if len(levels) < 2 or values != sorted(set(values)):
        raise QuestionnaireError(
            file, "scale.levels", "cần ít nhất 2 mức, giá trị tăng dần, không trùng"
        )
    satisfied_min = _require(raw, "satisfied_min", int, file, "scale")
    if satisfied_min not in values:
        raise QuestionnaireError(
            file, "scale.satisfied_min", f"{satisfied_min} không phải một mức của thang đo"
        )
    no_answer = _level(_require(raw, "no_answer", dict, file, "scale"), file, "scale.no_answer")
    if no_answer.value in values:
        raise QuestionnaireError(file, "scale.no_answer.value", "trùng với một mức của thang đo")
    return Scale(levels=levels, satisfied_min=satisfied_min, no_answer=no_answer)


def _factors(raw: list[Any], file: str) -> tuple[Factor, ...]:
    factors: list[Factor] = []
    seen_questions: set[str] = set()
    for i, item in enumerate(raw):
        where = f"factors[{i}]"
        if not isinstance(item, dict):
            raise QuestionnaireError(file, where, "phải là một bảng key/label/questions")
        key = _require(item, "key", str, file, where)
        if any(f.key == key for f in factors):
            raise QuestionnaireError(file, f"{where}.key", f"yếu tố '{key}' bị trùng")
        questions: list[Question] = []
        for j, q in enumerate(_require(item, "questions", list, file, where)):
            qwhere = f"{where}.questions[{j}]"
            if not isinstance(q, dict):
                raise QuestionnaireError(file, qwhere, "phải là một bảng id/text")
            qid = _require(q, "id", str, file, qwhere)
            if qid in seen_questions:
                raise QuestionnaireError(file, f"{qwhere}.id", f"câu hỏi '{qid}' bị trùng")
            seen_questions.add(qid)
            questions.append(Question(id=qid, text=_require(q, "text", str, file, qwhere)))
        if not questions:
            raise QuestionnaireError(file, f"{where}.questions", "yếu tố không có câu hỏi nào")
        factors.append(
            Factor(
                key=key, label=_require(item, "label", str, file, where), questions=tuple(questions)
            )
        )
    if not factors:
        raise QuestionnaireError(file, "factors", "không có yếu tố nào")
    return tuple(factors)


def load_questionnaire_file(path: Path | str) -> Questionnaire:
    """Read and validate one questionnaire YAML; errors name the file and the key."""
    path = Path(path)
    file = str(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise QuestionnaireError(file, "", f"không đọc được tệp ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        raise QuestionnaireError(file, "", f"YAML không hợp lệ: {exc}") from exc
    if not isinstance(raw, dict):
        raise QuestionnaireError(file, "", "nội dung phải là một bảng khóa/giá trị")
    valid_from = _require(raw, "valid_from", dt.date, file, "")
    wording = _require(raw, "wording", str, file, "")
    if wording not in ("official", "illustrative"):
        raise QuestionnaireError(file, "wording", "chỉ nhận 'official' hoặc 'illustrative'")
    return Questionnaire(
        kind=_require(raw, "kind", str, file, ""),
        version=_require(raw, "version", int, file, ""),
        valid_from=valid_from,
        title=_require(raw, "title", str, file, ""),
        source=_require(raw, "source", str, file, ""),
        wording=wording,
        wording_note=str(raw.get("wording_note", "")),
        scale=_scale(_require(raw, "scale", dict, file, ""), file),
        factors=_factors(_require(raw, "factors", list, file, ""), file),
    )
