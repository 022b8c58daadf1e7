"""The 766 ledger indicators counted by hand, dossier by dossier, in plain Python.

An independent reading of the rules (no Ibis, no SQL), scored with the one scorer
(``portal766``): every engine's ``cchc service index`` must give exactly this.

- In scope of 2.1 and 5.4: received before the period's end, not finished before its start.
- End time: the first terminal status if within the period, else the period's end. A
  supplement request by the end time that is still unanswered at it moves the end time back
  to the request (the dossier waits for papers); an answered one subtracts the citizen's
  time. On time: end time ≤ appointment (no appointment: on time). Two or more requests
  make a dossier overdue only while it still waits for papers.
- 5.4: in-scope dossiers neither overdue nor complained about nor disliked (each once).
- 3.3, 3.6, 4.1–4.3: dossiers received in the period.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from cchc.service.period import parse_period
from cchc.service.portal766 import Count, score_units

_COLUMNS = ("in_scope", "on_time", "satisfied", "received", "eligible", "online", "with_fee",
            "paid_online", "need_result", "e_result", "digitised", "reused")
_INDICATORS = {
    "2.1": ("on_time", "in_scope"),
    "3.3": ("online", "eligible"),
    "3.6": ("paid_online", "with_fee"),
    "4.1": ("e_result", "need_result"),
    "4.2": ("digitised", "received"),
    "4.3": ("reused", "received"),
    "5.4": ("satisfied", "in_scope"),
}


def _on_time(d: Mapping[str, Any], end: Any) -> bool:
    finished = d["finished_at"]
    end_time = finished if finished is not None and finished < end else end
    requested, completed = d["supplement_requested_at"], d["supplement_completed_at"]
    waiting = False
    if requested is not None and requested <= end_time:
        if completed is None or completed > end_time:
            waiting = True
            end_time = requested
        else:
            end_time = end_time - (completed - requested)
    if waiting and (d["supplement_count"] or 0) >= 2:
        return False
    return d["due_at"] is None or end_time <= d["due_at"]


def hand_counts(rows: Iterable[Mapping[str, Any]], period: str) -> dict[str, dict[str, int]]:
    p = parse_period(period)
    out: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(_COLUMNS, 0))
    for d in rows:
        if not (d["received_at"] < p.end and (d["finished_at"] is None or d["finished_at"] >= p.start)):
            continue
        c = out[d["unit_code"]]
        ok = _on_time(d, p.end)
        bad_feedback = bool(d["has_complaint"]) or d["rating"] == "dislike"
        c["in_scope"] += 1
        c["on_time"] += ok
        c["satisfied"] += ok and not bad_feedback
        if d["received_at"] >= p.start:
            needs = bool(d["requires_result_document"])
            c["received"] += 1
            c["eligible"] += bool(d["online_eligible"])
            c["online"] += bool(d["online_eligible"]) and d["channel"] == "online"
            c["with_fee"] += bool(d["has_fee"])
            c["paid_online"] += bool(d["has_fee"]) and bool(d["paid_online"])
            c["need_result"] += needs
            c["e_result"] += needs and bool(d["e_result"])
            c["digitised"] += bool(d["digitised"]) and (bool(d["e_result"]) or not needs)
            c["reused"] += bool(d["reused_data"])
    return dict(out)


def hand_index(rows: Iterable[Mapping[str, Any]], period: str) -> dict[str, Any]:
    """The JSON of ``cchc service index`` for these dossiers, counted and scored by hand."""
    counts = [
        Count(unit, "", key, c[num], c[den])
        for unit, c in hand_counts(rows, period).items()
        for key, (num, den) in _INDICATORS.items()
    ]
    return {
        "period": period,
        "units": [
            {
                "unit_code": u.unit_code,
                "rank": u.rank,
                "points": float(u.total_points),
                "indicators": {
                    key: {
                        "numerator": r.numerator,
                        "denominator": r.denominator,
                        "rate": None if r.rate is None else float(r.rate),
                        "points": float(r.points),
                    }
                    for key, r in u.indicators.items()
                },
            }
            for u in score_units(counts)
        ],
    }
