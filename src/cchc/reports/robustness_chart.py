"""The rank interval chart: each unit's published rank with the 90 % interval of its rank.

Drawn like the other charts (``cchc.reports.charts``: Altair, rendered offline, Vietnamese
number locale); a unit can be highlighted.
"""

from __future__ import annotations

from typing import Any

import altair as alt

from cchc.fmt import format_number
from cchc.par.robustness import Robustness
from cchc.reports.charts import BASE, HIGHLIGHT, WIDTH, Chart, _config

__all__ = ["rank_interval_chart"]


def rank_interval_chart(report: Robustness, *, unit_code: str | None = None) -> Chart:
    """Units in published order; a rule from the best to the worst rank of the interval and
    a dot at the published rank."""
    share = format_number(report.level * 100, 0, trim=True)
    rows: list[dict[str, Any]] = [
        {
            "unit": f"{u.rank}. {u.unit_name}",
            "order": i,
            "rank": u.rank,
            "low": u.rank_low,
            "high": u.rank_high,
            "span": (
                f"{u.rank_low}" if u.rank_low == u.rank_high else f"{u.rank_low}–{u.rank_high}"
            ),
            "highlight": u.unit_code == unit_code,
        }
        for i, u in enumerate(report.units)
    ]
    n = len(rows)
    y = alt.Y(
        "unit:N",
        title=None,
        sort=alt.EncodingSortField(field="order", order="ascending"),
        axis=alt.Axis(labelLimit=260),
    )
    x_scale = alt.Scale(domain=[n + 0.5, 0.5])  # rank 1 on the right, as a "best" end
    colour = alt.condition("datum.highlight", alt.value(HIGHLIGHT), alt.value(BASE))
    base = alt.Chart(alt.Data(values=rows))
    rules = base.mark_rule(strokeWidth=4).encode(
        x=alt.X("low:Q", title="Thứ hạng", scale=x_scale, axis=alt.Axis(format="d", values=list(range(1, n + 1)))),
        x2="high:Q",
        y=y,
        color=colour,
        tooltip=[
            alt.Tooltip("unit:N", title="Đơn vị"),
            alt.Tooltip("span:N", title=f"Khoảng hạng {share}%"),
        ],
    )
    dots = base.mark_point(filled=True, size=70, opacity=1).encode(
        x=alt.X("rank:Q", scale=x_scale),
        y=y,
        color=alt.condition("datum.highlight", alt.value(HIGHLIGHT), alt.value("black")),
    )
    chart = alt.layer(rules, dots).properties(
        title=alt.Title(
            f"Độ tin cậy của thứ hạng — {report.framework.name} năm {report.framework.year}",
            subtitle=f"Chấm: thứ hạng công bố; vạch: khoảng thứ hạng {share}% theo sai số khảo sát",
            subtitlePadding=4,
            offset=16,
        ),
        width=WIDTH,
        height=alt.Step(22),
    )
    return Chart("do-tin-cay", "Độ tin cậy của thứ hạng", _config(chart))
