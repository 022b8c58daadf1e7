"""The scorer against what the national portal published for a real province.

The fixtures in ``portal_data/`` are the portal's evaluation responses for Phú Thọ province
(month 08/2026 and quarter III/2026), as captured from dichvucong.gov.vn by a public
repository; each file's ``_source`` names the repository, path, commit, the portal endpoint
and its payload. Only the fields used here were kept, their values verbatim.

Every published point of every unit and indicator with counts must come out of
``portal766`` exactly (2 decimals); group totals within 0.01 (the portal sums rounded
parts). The small readers below turn a response into counts; the portal-file parsers of
``cchc.service`` replace them when they exist.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from cchc.service.portal766 import Count, indicator, points, rate, score_units

DATA = Path(__file__).with_name("portal_data")
METRIC_FILES = (
    sorted(DATA.glob("*/dossier-digitized.json"))
    + sorted(DATA.glob("*/handling-satisfaction.json"))
    + sorted(DATA.glob("*/transparency.json"))
)
PROGRESS_FILES = sorted(DATA.glob("*/dvc-progress-tree.json"))
PAYMENT_FILES = sorted(DATA.glob("*/formality-online-payment-tree.json"))
PAYMENT_FIELDS = {
    # id: (numerator field, denominator field) of the online-payment tree
    "3.6": ("totalDossierOnlinePaymentSuccess", "totalDossierFinancialObligation"),
    "3.5b": ("totalDossierOnlineFormalityPaymentSuccess", "totalFeeFormality"),
    "3.5a": ("totalFeeDossierFormality", "totalFeeFormality"),
}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return data


def _dec(value: Any) -> Decimal:
    return Decimal("0") if value is None else Decimal(str(value))


def _metric_units(path: Path) -> Iterator[dict[str, Any]]:
    data = _load(path)["data"]
    yield data["overview"]
    yield from data["evaluation"]


def _tree_units(path: Path) -> Iterator[dict[str, Any]]:
    data = _load(path)["data"]
    parent = dict(data["parent"])
    parent["score"] = parent["totalScore"]
    yield parent
    yield from data["children"]


def test_the_fixtures_are_there_and_name_their_source() -> None:
    files = METRIC_FILES + PROGRESS_FILES + PAYMENT_FILES
    assert len(files) == 9
    for path in files:
        source = _load(path)["_source"]
        assert source["repository"].startswith("https://github.com/")
        assert source["endpoint"].startswith(
            "POST https://dichvucong.gov.vn/api/v1/reporting/evaluation/"
        )


@pytest.mark.parametrize("path", METRIC_FILES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_published_metric_point_is_reproduced(path: Path) -> None:
    checked = 0
    for unit in _metric_units(path):
        counts, published_without_counts = [], Decimal(0)
        for m in unit["metrics"]:
            if m["numerator"] is None or m["denominator"] is None:
                # ELECTRONIC_CERTIFIED_COPY is published as provided or not, without counts.
                published_without_counts += _dec(m["score"])
                continue
            ind = indicator(m["code"])
            assert ind.max == Decimal(str(m["maxScore"])), (unit["departmentCode"], m["code"])
            ours = points(ind, m["numerator"], m["denominator"])
            # The portal leaves the points of 0/0 and of tracked (max 0) metrics null.
            assert ours == _dec(m["score"]), (unit["departmentCode"], m["code"], m)
            shown = rate(m["numerator"], m["denominator"])
            if shown is not None:
                assert shown * 100 == _dec(m["ratio"]), (unit["departmentCode"], m["code"])
            counts.append(
                Count(
                    unit["departmentCode"],
                    unit["departmentName"],
                    m["code"],
                    m["numerator"],
                    m["denominator"],
                )
            )
            checked += 1
        (scored,) = score_units(counts)
        ((group_points, _max),) = scored.groups.values()
        total = group_points + published_without_counts
        assert abs(total - _dec(unit["totalScore"])) <= Decimal("0.01"), unit["departmentCode"]
    assert checked >= 50


@pytest.mark.parametrize("path", PROGRESS_FILES, ids=lambda p: p.parent.name)
def test_every_published_progress_point_is_reproduced(path: Path) -> None:
    units = list(_tree_units(path))
    for unit in units:
        ours = points(indicator("2.1"), unit["totalOnTime"], unit["totalReceived"])
        assert ours == _dec(unit["score"]), unit["departmentCode"]
        shown = rate(unit["totalOnTime"], unit["totalReceived"])
        # The tree shows 0 % for a unit without dossiers; there is no rate.
        assert (shown or 0) * 100 == _dec(unit["ratio"]), unit["departmentCode"]
    assert len(units) >= 50


def _payment_counts(unit: dict[str, Any]) -> list[Count]:
    return [
        Count(unit["departmentCode"], unit["departmentName"], key, unit[num], unit[den])
        for key, (num, den) in PAYMENT_FIELDS.items()
    ]


@pytest.mark.parametrize("path", PAYMENT_FILES, ids=lambda p: p.parent.name)
def test_every_published_payment_total_is_reproduced(path: Path) -> None:
    units = list(_tree_units(path))
    for unit in units:
        (scored,) = score_units(_payment_counts(unit))
        assert scored.groups[4] == (_dec(unit["score"]), Decimal(10)), unit["departmentCode"]
        assert scored.total_points * 10 == _dec(unit["ratio"]), unit["departmentCode"]
    assert len(units) >= 35


def test_payment_points_come_from_the_shown_percentage_a_finding() -> None:
    """xã Liên Minh, 08/2026: only the rate rounded to 94,42 % gives the published 7,03.

    From the exact rate 6 × 186/197 = 5,66497… → 5,66 and the total would be 7,02; the
    digitisation group, by contrast, is published from the exact rate (next test).
    """
    (unit,) = [
        u
        for u in _tree_units(DATA / "2026-08/formality-online-payment-tree.json")
        if u["departmentCode"] == "H44.122"
    ]
    assert (unit["totalDossierOnlinePaymentSuccess"], unit["totalDossierFinancialObligation"]) == (
        186,
        197,
    )
    assert unit["score"] == 7.03
    assert points(indicator("3.6"), 186, 197) == Decimal("5.67")
    # an exact-rate indicator with the same counts
    assert points(indicator("4.1"), 186, 197) == Decimal("5.66")


def test_digitisation_points_come_from_the_exact_rate() -> None:
    (unit,) = [
        u
        for u in _metric_units(DATA / "2026-08/dossier-digitized.json")
        if u["departmentCode"] == "H44.115"
    ]
    (m,) = [m for m in unit["metrics"] if m["code"] == "ORIGINAL_RESULT_AVAILABLE"]
    assert (m["numerator"], m["denominator"], m["ratio"], m["score"]) == (552, 710, 77.75, 4.66)
    assert points(indicator("4.1"), 552, 710) == Decimal("4.66")  # 6 × 0,7775 would be 4,67
