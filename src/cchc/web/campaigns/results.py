"""A campaign's final scores → the engine's ``Results``. The web never ranks or sums itself."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

from django.db import IntegrityError, transaction

from cchc.par import stored
from cchc.par.results import Results, compare_results, compute_results
from cchc.par.scores import ScoreProblem, ScoresError, ScoreSheet, scores_from_rows
from cchc.par.values import NOT_APPLICABLE, NotApplicable
from cchc.units.official import earlier_codes
from cchc.web.campaigns.frameworks import engine_framework
from cchc.web.campaigns.models import Campaign, CriterionScore, PublishedResults
from cchc.web.campaigns.publication import publications, published
from cchc.web.ops.readonce import once_per_request
from cchc.web.units.models import UnitAlias


def final_score_rows(campaign: Campaign) -> list[dict[str, object]]:
    """One row per unit in the engine's wide interchange form: unit_code, unit_name, and the
    final value of every scored node: a number, or "KAD" when it does not apply.

    Raises ``ScoresError`` listing every criterion not scored yet (unit and node): a missing
    score is never handed to the engine as "does not apply".
    """
    rows: dict[int, dict[str, object]] = {}
    missing: list[ScoreProblem] = []
    source = campaign.source_name or f"campaign-{campaign.pk}"
    # Plain tuples, not model instances: a country's campaign holds ~350 000 scores.
    # ``CriterionScore.final_score``'s rule, on the same columns.
    scores = (
        CriterionScore.objects.filter(campaign_unit__campaign=campaign)
        .order_by("campaign_unit__unit__code", "id")
        .values_list(
            "campaign_unit_id",
            "campaign_unit__unit__code",
            "campaign_unit__unit__name",
            "node_code",
            "self_score",
            "not_applicable",
            "appraised_score",
            "appraised_not_applicable",
        )
    )
    for cu, code, name, node_code, own, own_na, appraised, appraised_na in scores.iterator(
        chunk_size=20_000
    ):
        row = rows.get(cu)
        if row is None:
            row = rows[cu] = {"unit_code": code, "unit_name": name}
        final: object = NOT_APPLICABLE if appraised_na else appraised
        if final is None:
            final = NOT_APPLICABLE if own_na else own
        if final is None:
            missing.append(ScoreProblem(source, None, node_code, f"{name} ({code}): chưa có điểm"))
        else:
            row[node_code] = str(final) if isinstance(final, NotApplicable) else float(final)  # type: ignore[arg-type]
    if missing:
        raise ScoresError(missing)
    return list(rows.values())


def score_sheet(campaign: Campaign) -> ScoreSheet:
    """The campaign's final scores, validated by the engine as any file would be."""
    fw = engine_framework(campaign.framework)
    source = campaign.source_name or f"campaign-{campaign.pk}"
    sheet = scores_from_rows(final_score_rows(campaign), fw, source)
    if campaign.illustrative:
        sheet = dataclasses.replace(sheet, illustrative=True)
    return sheet


def _earlier_codes(code: str) -> list[str]:
    return earlier_codes(code)


def campaign_results(campaign: Campaign, previous: Campaign | None = None) -> Results:
    """Results computed by ``cchc.par`` from the campaign's final scores; with ``previous``
    (last year's campaign) each unit carries last year's score and rank, matched through
    unit lineage when codes changed."""
    framework = engine_framework(campaign.framework)
    if previous is None:
        return compute_results(framework, score_sheet(campaign))
    return compute_results(
        framework,
        score_sheet(campaign),
        previous=score_sheet(previous),
        previous_framework=engine_framework(previous.framework),
        lineage=_earlier_codes,
    )


@once_per_request
def unit_aliases() -> int:
    """How many unit aliases are stored: moving units to their official ids
    (units.0003_official_codes, ``sync_units``) adds some and changes the codes in results."""
    return UnitAlias.objects.count()


def results_key(campaign: Campaign) -> str:
    """What a published campaign's results are computed from, short of its scores (locked
    at publication): the publication, the framework's text, the units' codes (through the
    aliases count) and the stored format."""
    framework = hashlib.sha256(campaign.framework.source_text.encode("utf-8")).hexdigest()[:16]
    published = campaign.published_at.isoformat() if campaign.published_at else ""
    return f"f{stored.FORMAT}|{published}|{campaign.framework_id}:{framework}|u{unit_aliases()}"


def store_results(campaign: Campaign, results: Results) -> None:
    """Keep a published campaign's results (one year on its own, as ``campaign_results``
    without ``previous`` gives them), replacing any stored before."""
    PublishedResults.objects.update_or_create(
        campaign=campaign, defaults={"key": results_key(campaign), "data": stored.pack(results)}
    )


def own_results(campaign: Campaign) -> Results:
    """A published campaign's results on their own: the stored ones when their key matches,
    else computed from its scores once and stored (a campaign published before results
    were stored, units moved to official ids, a framework row edited)."""
    if not campaign.is_published:  # scores still change: never stored
        return campaign_results(campaign)
    key = results_key(campaign)
    framework = engine_framework(campaign.framework)
    row = PublishedResults.objects.filter(campaign=campaign).values_list("key", "data").first()
    if row is not None and row[0] == key:
        try:
            return stored.unpack(framework, bytes(row[1]))
        except stored.StoredResultsError:
            pass  # computed again below
    results = campaign_results(campaign)
    try:
        with transaction.atomic():
            store_results(campaign, results)
    except IntegrityError:  # another process stored the same results first
        pass
    return results


def published_results(campaign: Campaign, previous: Campaign | None = None) -> Results:
    """``campaign_results`` of a published campaign, read from the stored results: its own,
    compared with ``previous`` (last year's, stored too) by the engine's rule."""
    own = own_results(campaign)
    if previous is None:
        return own
    return compare_results(
        own,
        own_results(previous),
        previous_year=engine_framework(previous.framework).year,
        lineage=_earlier_codes,
    )


def published_campaign(level: str, year: int) -> Campaign | None:
    """The publication in force of a level and year: its newest version (None when there
    is none); earlier versions stay readable (``cchc.web.campaigns.publication``)."""
    versions = publications(level, year)
    return versions[0] if versions else None


def previous_published(campaign: Campaign) -> Campaign | None:
    """The same level's latest published campaign of an earlier year, for year-over-year:
    the year before when there is one, else the last one published (a ward formed in 2025
    is compared with its predecessors' last published results, e.g. 2022's); of that year,
    the version in force."""
    return next(
        (c for c in published() if c.level == campaign.level and c.year < campaign.year), None
    )


def unit_result(results: Results, unit_code: str) -> Any | None:
    return next((u for u in results.units if u.unit_code == unit_code), None)
