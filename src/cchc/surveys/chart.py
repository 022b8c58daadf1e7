"""Charts of survey results with their 95 % intervals, as Altair specs and PNG/SVG files.

Rendering uses vl-convert (no browser, no network). Numbers show with a decimal comma
through a Vega format locale (docs/field.md §9: 91,40%).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import altair as alt

from cchc.surveys.index import SurveyResult

__all__ = ["VI_FORMAT_LOCALE", "factor_chart", "save_chart", "unit_chart"]

VI_FORMAT_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["", " ₫"],
}


def _chart(rows: list[dict[str, Any]], category: str, title: str) -> alt.TopLevelMixin:
    data = alt.Data(values=rows)
    base = alt.Chart(data).encode(
        y=alt.Y("label:N", title=category, sort=None, axis=alt.Axis(labelLimit=360)),
    )
    bars = base.mark_bar(color="#4c78a8").encode(
        x=alt.X(
            "index:Q",
            title="Tỷ lệ hài lòng",
            scale=alt.Scale(domain=[0, 1]),
            axis=alt.Axis(format=".0%"),
        ),
        tooltip=[
            alt.Tooltip("label:N", title=category),
            alt.Tooltip("index:Q", title="Chỉ số", format=".2%"),
            alt.Tooltip("ci_low:Q", title="Cận dưới", format=".2%"),
            alt.Tooltip("ci_high:Q", title="Cận trên", format=".2%"),
            alt.Tooltip("valid:Q", title="Số câu trả lời hợp lệ"),
        ],
    )
    rules = base.mark_rule(color="#222", strokeWidth=2).encode(x="ci_low:Q", x2="ci_high:Q")
    text = base.mark_text(align="left", dx=4, dy=-8, fontSize=10).encode(
        x="index:Q", text=alt.Text("index:Q", format=".2%")
    )
    return alt.layer(bars, rules, text).properties(
        title=alt.TitleParams(title, subtitle="Khoảng tin cậy 95% (Wilson)"), width=420
    )


def unit_chart(
    result: SurveyResult, title: str = "Chỉ số hài lòng theo đơn vị"
) -> alt.TopLevelMixin:
    """One bar per unit with data: its index and interval."""
    rows = [
        {
            "label": u.unit_code,
            "index": u.index,
            "ci_low": u.ci_low,
            "ci_high": u.ci_high,
            "valid": sum(f.share.valid for f in u.factors.values()),
        }
        for u in result.units
        if u.index is not None
    ]
    return _chart(rows, "Đơn vị", title)


def factor_chart(
    result: SurveyResult, unit_code: str, labels: dict[str, str] | None = None
) -> alt.TopLevelMixin:
    """One bar per factor of one unit; ``labels`` maps factor keys to Vietnamese names."""
    unit = result.unit(unit_code)
    rows = []
    for key, factor in unit.factors.items():
        interval = factor.share.interval
        if interval is None:
            continue
        rows.append(
            {
                "label": (labels or {}).get(key, key),
                "index": factor.share.index,
                "ci_low": interval[0],
                "ci_high": interval[1],
                "valid": factor.share.valid,
            }
        )
    return _chart(rows, "Yếu tố", f"Chỉ số hài lòng theo yếu tố: {unit_code}")


def save_chart(chart: alt.TopLevelMixin, path: Path | str) -> Path:
    """Write ``chart`` as .png or .svg (by suffix), offline, with the Vietnamese number locale."""
    import vl_convert as vlc

    path = Path(path)
    spec = chart.to_dict()
    suffix = path.suffix.lower()
    if suffix == ".svg":
        path.write_text(vlc.vegalite_to_svg(spec, format_locale=VI_FORMAT_LOCALE), encoding="utf-8")
    elif suffix == ".png":
        path.write_bytes(vlc.vegalite_to_png(spec, scale=2, format_locale=VI_FORMAT_LOCALE))
    else:
        raise ValueError(f"{path}: chỉ xuất biểu đồ dạng .png hoặc .svg")
    return path
