"""The CCHC results report as PDF: the same contents as the Word report, through HTML.

A Jinja2 template (templates/bao_cao.html + bao_cao.css) is rendered by WeasyPrint; the
CSS ``@page`` rules carry the Decree 30/2020 page layout. No network: charts are embedded
as data URIs and WeasyPrint is given a URL fetcher that refuses everything else.
"""

from __future__ import annotations

import base64
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

import jinja2
import weasyprint
from weasyprint.urls import URLFetcher

from cchc.reports.charts import print_width_mm
from cchc.reports.contents import MOTTO, NATION, ContentsOptions, ReportContents, build_contents

if TYPE_CHECKING:
    from cchc.par.results import Results

__all__ = ["build_pdf", "render_html", "render_pdf"]

TEMPLATES = Path(__file__).with_name("templates")


def _environment(template_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_dir)),
        autoescape=jinja2.select_autoescape(["html"]),
        undefined=jinja2.StrictUndefined,
    )


def render_html(contents: ReportContents, *, template_dir: Path | None = None) -> str:
    """The report as one self-contained HTML page (charts inlined as SVG data URIs)."""
    folder = template_dir or TEMPLATES
    env = _environment(folder)
    charts = []
    for i, chart in enumerate(contents.charts, start=1):
        svg = chart.svg()
        charts.append(
            {
                "src": "data:image/svg+xml;base64,"
                + base64.b64encode(svg.encode("utf-8")).decode("ascii"),
                "caption": f"Biểu đồ {i}. {chart.title}",
                "width_mm": f"{print_width_mm(svg):.1f}",
            }
        )
    css = (folder / "bao_cao.css").read_text(encoding="utf-8")
    return env.get_template("bao_cao.html").render(
        c=contents,
        charts=charts,
        css=css,
        nation=NATION,
        motto=MOTTO,
        widths=[f"{w:.2f}" for w in contents.table.widths(100.0)],
    )


def render_pdf(contents: ReportContents, *, template_dir: Path | None = None) -> bytes:
    """Lay ``contents`` out as an A4 PDF and return its bytes."""
    html = render_html(contents, template_dir=template_dir)
    # Only data: URIs (the inlined charts) may be read; nothing from disk or network.
    fetcher = URLFetcher(allowed_protocols=["data"])
    document = weasyprint.HTML(string=html, url_fetcher=fetcher)
    return bytes(document.write_pdf())


def build_pdf(
    results: Results, *, template_dir: Path | None = None, **options: Unpack[ContentsOptions]
) -> bytes:
    """The results report as PDF bytes; ``options`` as in
    :class:`cchc.reports.contents.ContentsOptions`."""
    return render_pdf(build_contents(results, **options), template_dir=template_dir)
