"""Charts: Vega-Lite specs for pages, PNG and SVG rendered offline, Vietnamese numbers."""

from __future__ import annotations

import struct

import pytest

from cchc.par.results import Results
from cchc.reports.charts import (
    NUMBER_LOCALE,
    Chart,
    ChartError,
    component_chart,
    ranking_chart,
    report_charts,
    trend_chart,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def layer_values(spec: dict[str, object]) -> list[list[dict[str, object]]]:
    """The inline data of every layer of a layered spec."""
    return [layer["data"]["values"] for layer in spec["layer"]]  # type: ignore[index]


def test_ranking_chart_renders_png_of_a_document_size(results_2022: Results) -> None:
    width, height = png_size(ranking_chart(results_2022, unit_code="HNH").png())
    # 11 bars at 22 px each, rendered at scale 2: wide enough for 16 cm at ~150 dpi.
    assert width >= 900
    assert height >= 2 * 11 * 22


def test_ranking_chart_svg_writes_the_index_with_a_decimal_comma(results_2022: Results) -> None:
    svg = ranking_chart(results_2022, unit_code="HNH").svg()
    assert svg.lstrip().startswith("<svg")
    assert "88,41" in svg
    assert "88.41" not in svg
    assert "Thị xã Hoài Nhơn" in svg
    assert "Xếp hạng chỉ số cải cách hành chính cấp huyện năm 2022" in svg


def test_ranking_chart_highlights_only_the_unit_and_draws_band_thresholds(
    results_2022: Results,
) -> None:
    spec = ranking_chart(results_2022, unit_code="HNH").spec
    values = layer_values(spec)
    bars = next(v for v in values if v and "highlight" in v[0])
    assert [row["code"] for row in bars if row["highlight"]] == ["HNH"]
    assert [row["rank"] for row in bars] == sorted(row["rank"] for row in bars)
    thresholds = next(v for v in values if v and "min" in v[0])
    expected = sorted(b.min for b in results_2022.framework.bands if b.min > 0)
    assert sorted(row["min"] for row in thresholds) == expected


def test_spec_carries_the_vietnamese_number_locale_for_interactive_pages(
    results_2022: Results,
) -> None:
    spec = ranking_chart(results_2022).spec
    assert spec["config"]["locale"]["number"] == NUMBER_LOCALE
    assert NUMBER_LOCALE["decimal"] == ","
    assert NUMBER_LOCALE["thousands"] == "."
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v")


def test_component_chart_shows_each_component_against_its_maximum(results_2022: Results) -> None:
    chart = component_chart(results_2022, unit_code="HNH")
    svg = chart.svg()
    for text in ("55,46/60", "6,67/10", "26,28/30"):
        assert text in svg
    assert "Kết quả thực hiện công tác cải cách hành chính" in svg
    png_size(chart.png())


def test_component_chart_for_the_whole_level_stacks_every_unit(results_2022: Results) -> None:
    chart = component_chart(results_2022)
    values = chart.spec["data"]["values"]
    components = results_2022.framework.components
    assert len(values) == len(results_2022.units) * len(components)
    hoai_nhon = [v for v in values if v["unit"].endswith("Thị xã Hoài Nhơn")]
    assert round(sum(v["score"] for v in hoai_nhon), 2) == 88.41


def test_trend_chart_takes_the_previous_year_from_the_engine(results_2022: Results) -> None:
    chart = trend_chart([results_2022], "HNH")
    svg = chart.svg()
    assert "2021" in svg and "2022" in svg
    assert "88,41" in svg
    assert "85,28" in svg  # 53,46 + 8 + 23,82 in 2021
    assert "1/11" in svg


def test_trend_chart_draws_a_history_of_separately_computed_years(
    results_2021: Results, results_2022_alone: Results
) -> None:
    assert results_2022_alone.previous_year is None
    spec = trend_chart([results_2022_alone, results_2021], "HNH").spec
    values = spec["data"]["values"]
    assert [v["year"] for v in values] == ["2021", "2022"]
    assert [v["index_label"] for v in values] == ["85,28", "88,41"]


def test_unknown_unit_is_a_clear_error(results_2022: Results) -> None:
    with pytest.raises(ChartError, match="XYZ"):
        ranking_chart(results_2022, unit_code="XYZ")
    with pytest.raises(ChartError, match="XYZ"):
        trend_chart([results_2022], "XYZ")


def test_report_charts_draw_a_trend_only_when_an_earlier_year_is_known(
    results_2021: Results, results_2022: Results, results_2022_alone: Results
) -> None:
    def names(charts: list[Chart]) -> list[str]:
        return [c.name for c in charts]

    assert names(report_charts(results_2022)) == ["xep-hang", "thanh-phan"]
    assert names(report_charts(results_2022, unit_code="HNH")) == [
        "xep-hang",
        "thanh-phan",
        "xu-huong",
    ]
    assert names(report_charts(results_2022_alone, unit_code="HNH")) == ["xep-hang", "thanh-phan"]
    with_history = report_charts(results_2022_alone, unit_code="HNH", previous=results_2021)
    assert names(with_history)[-1] == "xu-huong"
