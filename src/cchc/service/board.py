"""One unit's whole 766 board: six groups out of 100, each indicator with its source.

The ledger gives the dossier-derived indicators; the rest a province can only get from the
national portal (1.1–1.4, 3.5a/3.5b, 4.4–4.6, 5.2, 5.3) come from an imported portal file.
Where both have an indicator, the ledger's counts are scored (the unit's own records) and
the portal's published point is shown beside it. Group 3 (online service) is the portal's
published point, labelled not recomputed, when no recomputable counts exist.

Pure: counts and portal data in, a board out; the desk renders it, the XLSX writer writes it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from cchc.service.portal766 import GROUPS, RULES, Count, indicator, rate, score_units
from cchc.service.portal_files import (
    DIFFERENT,
    MATCH,
    NOT_RECOMPUTED,
    NOT_RECOMPUTED_GROUPS,
    PortalData,
    Published,
)

LEDGER: Final = "sổ hồ sơ"
PORTAL: Final = "Cổng DVCQG"


@dataclass(frozen=True)
class BoardLine:
    id: str
    name: str
    numerator: Decimal | int | None
    denominator: Decimal | int | None
    rate: Decimal | None
    points: Decimal | None
    max: Decimal
    source: str  # LEDGER, PORTAL, or "" when there is no data
    published: Decimal | None = None
    status: str = ""  # MATCH / DIFFERENT against the published point, if any

    @property
    def rate_percent(self) -> Decimal | None:
        return None if self.rate is None else self.rate * 100


@dataclass(frozen=True)
class BoardGroup:
    number: int
    name: str
    points: Decimal | None
    max: Decimal
    lines: tuple[BoardLine, ...]
    note: str = ""


@dataclass(frozen=True)
class Board:
    unit_code: str
    unit_name: str
    groups: tuple[BoardGroup, ...]
    total_points: Decimal
    total_max: Decimal

    @property
    def has_data(self) -> bool:
        return any(g.points is not None for g in self.groups)


def build(
    unit_code: str,
    unit_name: str,
    ledger: Iterable[Count] = (),
    portal: PortalData | None = None,
    portal_unit: str | None = None,
) -> Board:
    """The board of ``unit_code``: ledger counts first, the portal's for the rest."""
    theirs_code = portal_unit or unit_code
    chosen: dict[str, tuple[Count, str]] = {}
    for c in ledger:
        if c.unit_code == unit_code:
            ind = indicator(c.indicator)
            if ind.recomputed:
                chosen[ind.id] = (Count(unit_code, unit_name, ind.id, c.numerator, c.denominator), LEDGER)
    published: dict[str, Published] = {}
    group_published: dict[int, Published] = {}
    if portal is not None:
        for c in portal.counts:
            if c.unit_code == theirs_code:
                ind = indicator(c.indicator)
                if ind.id not in chosen and ind.recomputed:
                    chosen[ind.id] = (Count(unit_code, unit_name, ind.id, c.numerator, c.denominator), PORTAL)
        for pub in portal.published:
            if pub.unit_code != theirs_code:
                continue
            if pub.indicator is not None and pub.source != "dvc-progress-tree":
                published[pub.indicator] = pub
            else:
                group_published[pub.group] = pub
                if pub.indicator is not None:
                    published[pub.indicator] = pub
    scores = score_units(c for c, _ in chosen.values())
    score = next((s for s in scores if s.unit_code == unit_code), None)
    groups: list[BoardGroup] = []
    total, total_max = Decimal("0.00"), Decimal(0)
    for g in GROUPS:
        lines: list[BoardLine] = []
        for ind in (i for i in RULES if i.group == g.number and i.max > 0):
            got = score.indicators.get(ind.id) if score is not None else None
            shown = published.get(ind.id)
            pub_points = shown.points if shown is not None else None
            if got is None:
                lines.append(BoardLine(ind.id, _name(ind.id, ind.name, shown), None, None, None, None,
                                       ind.max, "", pub_points))
                continue
            status = "" if pub_points is None else (MATCH if got.points == pub_points else DIFFERENT)
            lines.append(BoardLine(ind.id, _name(ind.id, ind.name, shown), got.numerator, got.denominator,
                                   rate(got.numerator, got.denominator), got.points, ind.max,
                                   chosen[ind.id][1], pub_points, status))
        whole = group_published.get(g.number)
        note = ""
        if g.number in NOT_RECOMPUTED_GROUPS and not any(line.points is not None for line in lines):
            points = whole.points if whole is not None else None
            if points is not None:
                note = f"điểm do {PORTAL} công bố, {NOT_RECOMPUTED}: công thức chưa được công bố"
            group_max = g.max
        else:
            present = [line for line in lines if line.points is not None]
            points = sum((line.points for line in present if line.points is not None), Decimal("0.00")) if present else None
            group_max = sum((line.max for line in present), Decimal(0)) if present else g.max
        if points is not None:
            total += points
            total_max += group_max
        groups.append(BoardGroup(g.number, g.name, points, g.max, tuple(lines), note))
    return Board(unit_code, unit_name, tuple(groups), total, total_max)


def _name(key: str, ours: str, pub: Published | None) -> str:
    """The portal's own name of the indicator where a metric page published it."""
    if pub is not None and pub.indicator == key and pub.name and pub.source not in (
        "dvc-progress-tree", "excel",
    ):
        return pub.name
    return ours
