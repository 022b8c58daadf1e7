"""What the results pages show, assembled from the engine's ``Results`` (no arithmetic here
beyond reading fields)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.http import Http404

from cchc.par.framework import Framework, Node
from cchc.par.results import Results, UnitResult
from cchc.reports.contents import Table, ranking_table
from cchc.textio import fold
from cchc.web.campaigns.frameworks import engine_framework
from cchc.web.campaigns.models import Campaign
from cchc.web.campaigns.publication import published
from cchc.web.campaigns.results import (
    campaign_results,
    previous_published,
    published_campaign,
    published_results,
    unit_aliases,
)

# Order in which levels are offered on the portal (the first published one is the default).
LEVEL_ORDER = ["province", "agency", "district", "commune"]
LEVEL_LABELS = {
    "province": "Cấp tỉnh",
    "agency": "Sở, ban, ngành",
    "district": "Cấp huyện",
    "commune": "Cấp xã",
}


@dataclass(frozen=True)
class Edition:
    """A published (level, year) and its campaign."""

    level: str
    year: int
    campaign: Campaign

    @property
    def label(self) -> str:
        return f"{LEVEL_LABELS.get(self.level, self.level)} năm {self.year}"


def published_editions() -> list[Edition]:
    """Every published level and year (the version in force of each), newest year first."""
    seen: dict[tuple[str, int], Edition] = {}
    for campaign in published():
        seen.setdefault((campaign.level, campaign.year), Edition(campaign.level, campaign.year, campaign))

    def key(e: Edition) -> tuple[int, int]:
        order = LEVEL_ORDER.index(e.level) if e.level in LEVEL_ORDER else len(LEVEL_ORDER)
        return (-e.year, order)

    return sorted(seen.values(), key=key)


def edition(level: str, year: int) -> Edition:
    for e in published_editions():
        if e.level == level and e.year == year:
            return e
    raise Http404("Chưa có kết quả được công bố cho cấp và năm này.")


def campaign_stamp(campaign: Campaign) -> str:
    """Changes whenever the campaign's published results could have changed (cache key),
    or the version in force of its level and year did (its links move from the public
    address to the campaign's own once a correction replaces it)."""
    prev = previous_published(campaign)
    own = f"{campaign.pk}:{campaign.status}:{campaign.published_at}:{campaign.framework_id}"
    # Units moved to their official ids (units.0003_official_codes, sync_units) change the
    # codes in the results: cached pages and files of before must not be served.
    own += f":u{unit_aliases()}"
    if campaign.is_published:
        current = published_campaign(campaign.level, campaign.year)
        own += f":{current.pk if current else ''}"
    return own + (f"|{prev.pk}:{prev.published_at}" if prev else "")


@lru_cache(maxsize=32)
def _results(pk: int, stamp: str, with_previous: bool) -> Results:
    campaign = Campaign.objects.select_related("framework").get(pk=pk)
    previous = previous_published(campaign) if with_previous else None
    return published_results(campaign, previous)


def results_for(
    campaign: Campaign, *, with_previous: bool = True, stamp: str | None = None
) -> Results:
    """The engine's results for a campaign (cached while the campaign is unchanged).

    Published campaigns are immutable: their results are stored at publication and read
    once per process and stamp; unpublished ones are recomputed on every call because
    scores change under them. ``stamp`` is the
    campaign's ``campaign_stamp`` when the caller already has it (saves its query).
    """
    if not campaign.is_published:
        previous = previous_published(campaign) if with_previous else None
        return campaign_results(campaign, previous)
    return _results(campaign.pk, stamp or campaign_stamp(campaign), with_previous)


def ranking_rows(
    campaign: Campaign, results: Results, stamp: str | None = None
) -> tuple[Table, list[str]]:
    """The ranking table of every unit and each unit's name and code folded for search
    (``cchc.textio.fold``), in ranking order; made once per published campaign and stamp."""
    if stamp is None or not campaign.is_published:
        return _ranking_rows(results)
    return _cached_ranking_rows(campaign.pk, stamp)


def _ranking_rows(results: Results) -> tuple[Table, list[str]]:
    names = [f"{fold(u.unit_name)} {fold(u.unit_code)}" for u in results.units]
    return ranking_table(results), names


@lru_cache(maxsize=32)
def _cached_ranking_rows(pk: int, stamp: str) -> tuple[Table, list[str]]:
    # The published results under the same stamp are _results' (with last year).
    return _ranking_rows(_results(pk, stamp, True))


def level_paragraphs(campaign: Campaign, results: Results, stamp: str | None = None) -> list[str]:
    """``narrative(results, None)``, made once per published campaign and stamp (a search
    of the ranking shows it under the matches; it reads every unit)."""
    if stamp is None or not campaign.is_published:
        return narrative(results, None)
    return _cached_level_paragraphs(campaign.pk, stamp)


@lru_cache(maxsize=32)
def _cached_level_paragraphs(pk: int, stamp: str) -> list[str]:
    return narrative(_results(pk, stamp, True), None)


@dataclass(frozen=True)
class NodeRow:
    node: Node
    depth: int
    score: float | None
    max: float
    index: float | None
    rank: int | None
    lost: float | None  # the engine's NodeResult.lost
    previous: Any = None  # the engine's NodeResult of last year, when compared


def node_rows(framework: Framework, unit: UnitResult) -> list[NodeRow]:
    """Every node of the tree for one unit, with its depth (0 = component)."""
    rows: list[NodeRow] = []

    def visit(node: Node, depth: int) -> None:
        res = unit.components.get(node.code)
        prev = unit.previous.components.get(node.code) if unit.previous else None
        if res is not None:
            rows.append(NodeRow(node, depth, res.score, res.max, res.index, res.rank, res.lost, prev))
        for child in node.children:
            visit(child, depth + 1)

    for component in framework.components:
        visit(component, 0)
    return rows


def has_unit(results: Results, code: str) -> bool:
    try:
        results.unit(code)
    except KeyError:
        return False
    return True


def find_unit(results: Results, code: str) -> UnitResult:
    try:
        return results.unit(code)
    except KeyError:
        raise Http404("Không có đơn vị này trong kết quả.") from None


def framework_of(campaign: Campaign) -> Framework:
    return engine_framework(campaign.framework)


def narrative(results: Results, unit_code: str | None) -> list[str]:
    """The engine's Vietnamese narrative paragraphs (``cchc.par.narrative``)."""
    from cchc.par import narrative as nar

    text = nar.unit_narrative(results, unit_code) if unit_code else nar.level_narrative(results)
    return nar.paragraphs(text)
