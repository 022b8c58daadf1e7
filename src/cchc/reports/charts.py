"""Charts of CCHC results: ranking, component breakdown, trend over years.

Each chart is an Altair (Vega-Lite) specification rendered offline by vl-convert: no
browser and no network (``allowed_base_urls=[]``; the data is inlined). The spec carries a
Vietnamese number locale in ``config.locale`` (decimal "," and grouping "."), so axis
labels read "88,41" both in the static images and when a web page embeds the spec
interactively (vega-embed honours ``config.locale``). Text labels on the bars are
formatted in Python by :mod:`cchc.fmt`, so they round exactly like the tables do.
"""

from __future__ import annotations

import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import altair as alt
import vl_convert as vlc

from cchc.fmt import format_number

if TYPE_CHECKING:
    from cchc.par.results import Results, UnitResult

__all__ = [
    "FONT",
    "NUMBER_LOCALE",
    "Chart",
    "ChartError",
    "component_chart",
    "print_width_mm",
    "ranking_chart",
    "report_charts",
    "trend_chart",
]

# Liberation Serif is metric-compatible with Times New Roman, the face of the documents the
# charts go into (Decree 30/2020/NĐ-CP, Appendix I); Debian ships it in fonts-liberation2.
FONT = "Liberation Serif"

# d3-format locale: the Vietnamese convention of docs/field.md §9 (88,41; 1.234.567).
NUMBER_LOCALE: dict[str, Any] = {
    "decimal": ",",
    "thousands": ".",
    "grouping": [3],
    "currency": ["", " ₫"],
}

# Printed size: one chart pixel is 0,27 mm, so every chart's text prints at the same size
# (about 11 pt for the 12 px axis labels); none is wider than 160 mm of the 165 mm text.
MM_PER_PX = 0.27
MAX_WIDTH_MM = 160.0

HIGHLIGHT = "#b03a2e"
BASE = "#5b7fa6"
MAX_GREY = "#e3e3e3"
BAND_RULE = "#555555"
WIDTH = 460


class ChartError(ValueError):
    """The chart cannot be drawn from the data given (e.g. an unknown unit code)."""


@dataclass(frozen=True)
class Chart:
    """A chart: its Vega-Lite spec (for interactive pages) and static renderings."""

    name: str
    title: str
    spec: dict[str, Any]

    def svg(self) -> str:
        """The chart as an SVG document (text is kept as text, so it can be searched)."""
        return str(
            vlc.vegalite_to_svg(self.spec, allowed_base_urls=[], format_locale=NUMBER_LOCALE)
        )

    def png(self, scale: float = 2.0) -> bytes:
        """The chart as PNG bytes; ``scale`` 2 gives about 144 dpi at the spec's size."""
        return bytes(
            vlc.vegalite_to_png(
                self.spec, scale=scale, allowed_base_urls=[], format_locale=NUMBER_LOCALE
            )
        )


def print_width_mm(image: bytes | str, *, scale: float = 2.0) -> float:
    """The width at which to print a rendered chart (PNG bytes at ``scale``, or SVG text).

    One chart pixel prints as MM_PER_PX millimetres, capped at the text width.
    """
    if isinstance(image, bytes):
        width_px = struct.unpack(">I", image[16:20])[0] / scale  # PNG IHDR width
    else:
        match = re.search(r'<svg[^>]*\swidth="([\d.]+)"', image)
        width_px = float(match.group(1)) if match else MAX_WIDTH_MM / MM_PER_PX
    return float(min(MAX_WIDTH_MM, width_px * MM_PER_PX))


def _config(chart: alt.TopLevelMixin) -> dict[str, Any]:
    spec: dict[str, Any] = chart.to_dict()
    spec.setdefault("config", {})
    spec["config"].update(
        {
            "font": FONT,
            "locale": {"number": NUMBER_LOCALE},
            "title": {"fontSize": 15, "anchor": "middle", "font": FONT},
            "axis": {"labelFontSize": 12, "titleFontSize": 12, "labelFont": FONT},
            "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom"},
            "view": {"stroke": None},
            "background": "white",
        }
    )
    return spec


def _unit(results: Results, unit_code: str) -> UnitResult:
    for unit in results.units:
        if unit.unit_code == unit_code:
            return unit
    raise ChartError(
        f"không có đơn vị mã {unit_code!r} trong kết quả năm {results.framework.year}"
    )


def _level_title(results: Results) -> str:
    return f"{results.framework.name} năm {results.framework.year}"


def ranking_chart(results: Results, *, unit_code: str | None = None) -> Chart:
    """Units by index, best first; ``unit_code`` highlighted; band thresholds as rules."""
    if unit_code is not None:
        _unit(results, unit_code)
    n = len(results.units)
    rows = [
        {
            "code": u.unit_code,
            "unit": f"{u.rank}. {u.unit_name}",
            "rank": u.rank,
            "index": u.index,
            "label": format_number(u.index),
            "band": u.band or "",
            "highlight": u.unit_code == unit_code,
        }
        for u in results.units
    ]
    bands = [
        {"min": float(b.min), "label": str(b.label)}
        for b in results.framework.bands
        if float(b.min) > 0
    ]
    x = alt.X(
        "index:Q",
        title="Chỉ số (%)",
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(format=",.0f", values=list(range(0, 101, 10))),
    )
    y = alt.Y(
        "unit:N",
        title=None,
        sort=alt.EncodingSortField(field="rank", order="ascending"),
        axis=alt.Axis(labelLimit=260),
    )
    base = alt.Chart(alt.Data(values=rows))
    bars = base.mark_bar(height=16).encode(
        x=x,
        y=y,
        color=alt.condition("datum.highlight", alt.value(HIGHLIGHT), alt.value(BASE)),
        tooltip=[
            alt.Tooltip("unit:N", title="Đơn vị"),
            alt.Tooltip("index:Q", title="Chỉ số (%)", format=",.2f"),
            alt.Tooltip("band:N", title="Xếp loại"),
        ],
    )
    labels = base.mark_text(align="left", dx=3, fontSize=11).encode(
        x=x, y=y, text="label:N"
    )
    layers: list[Any] = []
    if bands:
        band_base = alt.Chart(alt.Data(values=bands))
        # Rules first, so the bars hide them and the value labels stay readable.
        layers.append(band_base.mark_rule(strokeDash=[4, 3], color=BAND_RULE).encode(x="min:Q"))
        # Left-aligned, each label sits inside its own band, so neighbours never overlap.
        layers.append(
            band_base.mark_text(align="left", baseline="bottom", dx=3, y=-3, fontSize=10).encode(
                x="min:Q", text="label:N"
            )
        )
    layers += [bars, labels]
    title = f"Xếp hạng {_level_title(results)[0].lower()}{_level_title(results)[1:]}"
    subtitle = f"{n} đơn vị, xếp theo tổng điểm"
    if bands:
        subtitle += "; đường đứt: ngưỡng xếp loại"
    chart = alt.layer(*layers).properties(
        title=alt.Title(title, subtitle=subtitle, subtitlePadding=4, offset=16),
        width=WIDTH,
        height=alt.Step(22),
    )
    return Chart("xep-hang", title, _config(chart))


def component_chart(results: Results, *, unit_code: str | None = None) -> Chart:
    """Points per component against its maximum for one unit; stacked for all units if None."""
    components = list(results.framework.components)
    if unit_code is None:
        return _stacked_components(results, components)
    unit = _unit(results, unit_code)
    rows: list[dict[str, Any]] = []
    for order, comp in enumerate(components):
        node = unit.components[comp.code]
        if node.score is None or node.index is None:
            label = "không áp dụng"  # the whole component does not apply to this unit
        else:
            label = (
                f"{format_number(node.score, trim=True)}/"
                f"{format_number(node.max, trim=True)} ({format_number(node.index)}%)"
            )
        rows.append(
            {
                "order": order,
                "component": comp.name,
                "score": node.score or 0.0,
                "max": float(node.max),
                "label": label,
            }
        )
    top = max(r["max"] for r in rows) if rows else 1.0
    y = alt.Y(
        "component:N",
        title=None,
        sort=alt.EncodingSortField(field="order", order="ascending"),
        axis=alt.Axis(labelLimit=300),
    )
    x_scale = alt.Scale(domain=[0, top * 1.3])
    base = alt.Chart(alt.Data(values=rows))
    max_bar = base.mark_bar(color=MAX_GREY, height=20).encode(
        x=alt.X("max:Q", title="Điểm", scale=x_scale, axis=alt.Axis(format=",.0f")), y=y
    )
    score_bar = base.mark_bar(color=HIGHLIGHT, height=12).encode(
        x=alt.X("score:Q", scale=x_scale),
        y=y,
        tooltip=[
            alt.Tooltip("component:N", title="Thành phần"),
            alt.Tooltip("score:Q", title="Điểm đạt", format=",.2f"),
            alt.Tooltip("max:Q", title="Điểm tối đa", format=",.2f"),
        ],
    )
    labels = base.mark_text(align="left", dx=4, fontSize=11).encode(
        x=alt.X("max:Q", scale=x_scale), y=y, text="label:N"
    )
    title = f"Điểm các thành phần của {unit.unit_name} năm {results.framework.year}"
    chart = alt.layer(max_bar, score_bar, labels).properties(
        title=alt.Title(title, subtitle="Cột xám: điểm tối đa; cột đỏ: điểm đạt được"),
        width=WIDTH - 120,
        height=alt.Step(34),
    )
    return Chart("thanh-phan", title, _config(chart))


def _stacked_components(results: Results, components: Sequence[Any]) -> Chart:
    rows = [
        {
            "unit": f"{u.rank}. {u.unit_name}",
            "rank": u.rank,
            "component": f"{comp.name} ({format_number(comp.max, trim=True)})",
            "order": order,
            "score": u.components[comp.code].score or 0.0,
        }
        for u in results.units
        for order, comp in enumerate(components)
    ]
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(height=16)
        .encode(
            x=alt.X("score:Q", title="Điểm", stack="zero", axis=alt.Axis(format=",.0f")),
            y=alt.Y(
                "unit:N",
                title=None,
                sort=alt.EncodingSortField(field="rank", order="ascending"),
                axis=alt.Axis(labelLimit=260),
            ),
            color=alt.Color(
                "component:N",
                title="Thành phần (điểm tối đa)",
                sort=alt.EncodingSortField(field="order", order="ascending"),
                legend=alt.Legend(columns=1, labelLimit=420),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("unit:N", title="Đơn vị"),
                alt.Tooltip("component:N", title="Thành phần"),
                alt.Tooltip("score:Q", title="Điểm", format=",.2f"),
            ],
        )
    )
    title = f"Điểm theo thành phần, {_level_title(results)[0].lower()}{_level_title(results)[1:]}"
    chart = chart.properties(title=title, width=WIDTH, height=alt.Step(22))
    return Chart("thanh-phan", title, _config(chart))


def _trend_row(year: int, index: float, rank: int, units: int | None) -> dict[str, Any]:
    return {
        "year": str(year),
        "index": index,
        "index_label": format_number(index),
        "rank": rank,
        "rank_label": f"{rank}/{units}" if units else str(rank),
        "n": units or rank,
    }


def trend_chart(history: Sequence[Results], unit_code: str) -> Chart:
    """A unit's index and rank over the years of ``history`` (one Results per year).

    Each Results also brings the year it was compared with (``UnitResult.previous``), so
    one year's results computed against the year before already draw a two-year trend.
    Going back in time the unit is followed through ``previous.unit_code``, which the
    engine fills from the units' lineage when a code changed.
    """
    rows: dict[int, dict[str, Any]] = {}
    code, name = unit_code, None
    for results in sorted(history, key=lambda r: int(r.framework.year), reverse=True):
        unit = next((u for u in results.units if u.unit_code == code), None)
        if unit is None:
            continue
        name = name or unit.unit_name
        year = int(results.framework.year)
        rows[year] = _trend_row(year, unit.index, unit.rank, len(results.units))
        prev, prev_year = unit.previous, results.previous_year
        if prev is not None and prev_year is not None:
            rows.setdefault(
                prev_year, _trend_row(prev_year, prev.index, prev.rank, results.previous_units)
            )
            code = prev.unit_code
    if name is None:
        raise ChartError(f"không có đơn vị mã {unit_code!r} trong các năm đã cho")
    data = [rows[y] for y in sorted(rows)]
    worst = max(int(r["n"]) for r in data)
    base = alt.Chart(alt.Data(values=data))
    x = alt.X("year:O", title="Năm", axis=alt.Axis(labelAngle=0))
    index_panel = alt.layer(
        base.mark_line(point=alt.OverlayMarkDef(color=HIGHLIGHT), color=HIGHLIGHT).encode(
            x=x,
            y=alt.Y(
                "index:Q",
                title=None,
                scale=alt.Scale(zero=False, padding=12),
                axis=alt.Axis(format=",.0f"),
            ),
        ),
        base.mark_text(dy=-10, fontSize=11).encode(x=x, y="index:Q", text="index_label:N"),
    ).properties(title="Chỉ số (%)", width=200, height=160)
    rank_panel = alt.layer(
        base.mark_line(point=alt.OverlayMarkDef(color=BASE), color=BASE).encode(
            x=x,
            y=alt.Y(
                "rank:Q",
                title=None,
                scale=alt.Scale(domain=[1, worst], reverse=True),
                axis=alt.Axis(format="d", values=list(range(1, worst + 1))),
            ),
        ),
        # Below the point: rank 1 sits on the top edge, where a label above would be cut.
        base.mark_text(dy=14, fontSize=11).encode(x=x, y="rank:Q", text="rank_label:N"),
    ).properties(title="Xếp hạng", width=200, height=160)
    title = f"Chỉ số cải cách hành chính của {name} qua các năm"
    chart = alt.hconcat(index_panel, rank_panel, spacing=40).properties(title=title)
    return Chart("xu-huong", title, _config(chart))


def report_charts(
    results: Results, *, unit_code: str | None = None, previous: Results | None = None
) -> list[Chart]:
    """The charts of a results report (and of a results page), in reading order.

    Ranking and components always; the trend only for a unit with an earlier year known,
    from the engine's comparison or from ``previous`` (one point is not a trend).
    """
    charts = [
        ranking_chart(results, unit_code=unit_code),
        component_chart(results, unit_code=unit_code),
    ]
    if unit_code is not None:
        earlier = _unit(results, unit_code).previous is not None or (
            previous is not None and any(u.unit_code == unit_code for u in previous.units)
        )
        if earlier:
            history = [results] if previous is None else [previous, results]
            charts.append(trend_chart(history, unit_code))
    return charts
