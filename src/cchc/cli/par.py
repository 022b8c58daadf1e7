"""`cchc par ...`: rank units on a CCHC index framework and describe the results.

A thin shell over ``cchc.par``: parse options, load and validate, compute, write. Bad input
exits with status 2 and a Vietnamese message naming file, row and column on stderr, and
nothing is written (outputs go to a temporary file renamed into place).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cchc.cli.display import OutputFormat, fail, refuse

if TYPE_CHECKING:
    from cchc.par.results import Results

app = typer.Typer(
    no_args_is_help=True,
    help="Chỉ số cải cách hành chính: xếp hạng, xếp loại, báo cáo bằng lời.",
)

#: The packaged demo used by --demo: district level, 2022 compared with 2021.
DEMO_FILES = {
    "framework": "framework_district_2022.yaml",
    "scores": "district_2022.csv",
    "previous": "district_2021.csv",
    "previous_framework": "framework_district_2021.yaml",
}


def _results(
    framework: Path | None,
    scores: Path | None,
    previous: Path | None,
    previous_framework: Path | None,
    demo: bool,
) -> Results:
    """Load, validate and compute; every input error becomes exit status 2."""
    from cchc.par.framework import FrameworkError, load_framework
    from cchc.par.results import compute_results
    from cchc.par.scores import ScoresError, load_scores

    if demo:
        if any(p is not None for p in (framework, scores, previous, previous_framework)):
            fail("--demo dùng bộ dữ liệu minh họa; không dùng kèm --framework, --scores, --previous.")
        from cchc.demo import data_path

        framework, scores = data_path(DEMO_FILES["framework"]), data_path(DEMO_FILES["scores"])
        previous = data_path(DEMO_FILES["previous"])
        previous_framework = data_path(DEMO_FILES["previous_framework"])
    if framework is None or scores is None:
        fail("cần --framework và --scores (hoặc --demo).")
    if previous_framework is not None and previous is None:
        fail("--previous-framework chỉ dùng kèm --previous.")
    try:
        current_fw = load_framework(framework)
        previous_fw = load_framework(previous_framework) if previous_framework else None
        sheet = load_scores(scores, current_fw)
        previous_sheet = load_scores(previous, previous_fw or current_fw) if previous else None
        # A unit missing a score is refused here too (never ranked as "not applicable").
        return compute_results(
            current_fw, sheet, previous_sheet, previous_fw, lineage=_registry_lineage()
        )
    except (FrameworkError, ScoresError) as exc:
        refuse(str(exc))


def _unit_code(results: Any, unit: str | None) -> str | None:
    """The results' code for ``--unit``: made-up and official codes name the same unit
    (cchc.units.official.same_unit); unchanged when neither is in the file."""
    if unit is None:
        return None
    from cchc.units.official import same_unit

    return same_unit(unit, [u.unit_code for u in results.units]) or unit


def _registry_lineage() -> Callable[[str], list[str]]:
    """Match renamed or merged units (communes, provincial departments) through the shipped
    unit registries (cchc.units.official.earlier_codes); made-up and official codes alike."""
    from cchc.units.official import earlier_codes

    return earlier_codes


_FRAMEWORK = typer.Option(None, "--framework", help="Tệp YAML bộ chỉ số.", dir_okay=False)
_SCORES = typer.Option(
    None, "--scores", help="Tệp điểm (CSV hoặc XLSX; dạng ngang hoặc dọc).", dir_okay=False
)
_PREVIOUS = typer.Option(
    None, "--previous", help="Tệp điểm năm trước (để so sánh).", dir_okay=False
)
_PREVIOUS_FRAMEWORK = typer.Option(
    None,
    "--previous-framework",
    help="Bộ chỉ số năm trước (mặc định: như năm nay).",
    dir_okay=False,
)
_DEMO = typer.Option(
    False, "--demo", help="Dùng dữ liệu minh họa đóng gói sẵn (cấp huyện 2022, so với 2021)."
)


@app.command("rank")
def rank(
    framework: Path | None = _FRAMEWORK,
    scores: Path | None = _SCORES,
    previous: Path | None = _PREVIOUS,
    previous_framework: Path | None = _PREVIOUS_FRAMEWORK,
    output_format: OutputFormat = typer.Option(
        OutputFormat.json, "--format", help="json, csv, xlsx hoặc table."
    ),
    output: Path | None = typer.Option(
        None,
        "--output",
        help="Tệp kết quả (mặc định: in ra màn hình; bắt buộc với xlsx).",
        dir_okay=False,
    ),
    demo: bool = _DEMO,
) -> None:
    """Tính điểm, chỉ số, xếp hạng và xếp loại các đơn vị theo bộ chỉ số."""
    if output_format is OutputFormat.xlsx and output is None:
        fail("định dạng xlsx cần --output TỆP.xlsx.")
    if output is not None and not output.parent.is_dir():
        fail(f"không có thư mục {output.parent} để ghi {output.name}.")
    results = _results(framework, scores, previous, previous_framework, demo)
    from cchc.par import export

    if output_format is OutputFormat.json:
        export.write_json(results, output if output is not None else sys.stdout)
    elif output_format is OutputFormat.csv:
        export.write_csv(results, output if output is not None else sys.stdout)
    elif output_format is OutputFormat.xlsx:
        assert output is not None
        export.write_xlsx(results, output)
    else:
        from rich.console import Console

        if output is None:
            # A pipe gets rich's 80 columns by default; give it room for every figure.
            console = Console() if sys.stdout.isatty() else Console(width=160)
            console.print(export.render_table(results))
        else:
            with export.atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as handle:
                Console(file=handle, width=200).print(export.render_table(results))


@app.command("framework")
def framework_show(
    path: Path = typer.Argument(..., help="Tệp YAML bộ chỉ số.", dir_okay=False),
) -> None:
    """Kiểm tra một tệp bộ chỉ số và in cây tiêu chí, điểm tối đa, công thức tính điểm."""
    from cchc.fmt import format_number
    from cchc.par.framework import FrameworkError, Node, load_framework
    from cchc.par.rules import describe_rule

    try:
        fw = load_framework(path)
    except FrameworkError as exc:
        refuse(str(exc))
    typer.echo(f"{fw.name} ({fw.code}), năm {fw.year}, {fw.level_label}: tối đa {_points(fw.max)}")

    def show(node: Node, depth: int) -> None:
        line = f"{'  ' * depth}{node.code}  {node.name}: {_points(node.max)}"
        if node.survey and (depth == 0 or not node.parent or not fw.node(node.parent).survey):
            line += " (điều tra xã hội học)"
        typer.echo(line)
        if node.rule is not None:
            typer.echo(f"{'  ' * (depth + 1)}→ {describe_rule(node.rule, node.max)}")
        for child in node.children:
            show(child, depth + 1)

    for component in fw.components:
        show(component, 0)
    leaves = [n for n in fw.nodes() if n.is_leaf]
    formulas = sum(1 for n in leaves if n.rule is not None)
    typer.echo(
        f"{len(leaves)} mục chấm điểm, {formulas} mục tính theo công thức; "
        f"{len(fw.bands)} mức xếp loại"
        + (
            ": "
            + ", ".join(f"{b.label} từ {format_number(b.min, 2, trim=True)}%" for b in fw.bands)
            if fw.bands
            else ""
        )
    )


def _points(value: float) -> str:
    from cchc.fmt import format_number

    return f"{format_number(value, 2, trim=True)} điểm"


@app.command("narrative")
def narrative(
    framework: Path | None = _FRAMEWORK,
    scores: Path | None = _SCORES,
    previous: Path | None = _PREVIOUS,
    previous_framework: Path | None = _PREVIOUS_FRAMEWORK,
    unit: str | None = typer.Option(
        None, "--unit", help="Mã đơn vị (mã chính thức hoặc mã cũ tự đặt); bỏ trống để có đoạn tổng hợp cả cấp."
    ),
    demo: bool = _DEMO,
    uncertainty: Path | None = typer.Option(
        None,
        "--uncertainty",
        help="Tệp sai số khảo sát: thêm đoạn về độ tin cậy của thứ hạng (cần --unit).",
        dir_okay=False,
    ),
    gaps: bool = typer.Option(
        False, "--gaps", help="Thêm đoạn về điểm còn thiếu và tiêu chí trong tầm tay (cần --unit)."
    ),
) -> None:
    """Viết đoạn văn bản tiếng Việt về kết quả của một đơn vị hoặc của cả cấp."""
    from cchc.demo import ILLUSTRATIVE_NOTE
    from cchc.par.narrative import level_narrative, unit_narrative

    if unit is None and (uncertainty is not None or gaps):
        fail("--uncertainty và --gaps cần --unit MÃ_ĐƠN_VỊ.")
    results = _results(framework, scores, previous, previous_framework, demo)
    unit = _unit_code(results, unit)
    if unit is None:
        text = level_narrative(results)
    else:
        try:
            found = results.unit(unit)
        except KeyError:
            codes = ", ".join(sorted(u.unit_code for u in results.units))
            fail(f"không có đơn vị mã {unit!r} trong tệp điểm (có: {codes}).")
        text = f"{found.unit_name}: {unit_narrative(results, unit)}"
        if uncertainty is not None:
            from cchc.par.robustness import robustness, robustness_paragraph
            from cchc.par.uncertainty import UncertaintyError, load_uncertainty

            try:
                items = load_uncertainty(uncertainty, results)
            except UncertaintyError as exc:
                refuse(str(exc))
            text += "\n" + robustness_paragraph(robustness(results, items), unit)
        if gaps:
            from cchc.par.gaps import gaps_paragraph, unit_gaps

            text += "\n" + gaps_paragraph(results, unit_gaps(results, unit))
    if results.illustrative:
        text += f"\n({ILLUSTRATIVE_NOTE})"
    typer.echo(text)


def _parse_date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"ngày không hợp lệ {text!r} (dạng YYYY-MM-DD).")


@app.command("report")
def report(
    output: Path = typer.Option(
        ..., "--output", help="Tệp báo cáo: .docx (Word), .pdf hoặc .xlsx.", dir_okay=False
    ),
    framework: Path | None = _FRAMEWORK,
    scores: Path | None = _SCORES,
    previous: Path | None = _PREVIOUS,
    previous_framework: Path | None = _PREVIOUS_FRAMEWORK,
    unit: str | None = typer.Option(None, "--unit", help="Mã đơn vị được báo cáo (nhấn mạnh; mã chính thức hoặc mã cũ tự đặt)."),
    organisation: str = typer.Option("Sở Nội vụ", "--organisation", help="Cơ quan ban hành."),
    place: str = typer.Option("", "--place", help="Địa danh ghi ở dòng ngày tháng."),
    date: str | None = typer.Option(None, "--date", help="Ngày ban hành (YYYY-MM-DD; mặc định hôm nay)."),
    number: str | None = typer.Option(None, "--number", help="Số, ký hiệu văn bản."),
    demo: bool = _DEMO,
) -> None:
    """Viết báo cáo kết quả Chỉ số CCHC (Word theo Nghị định 30/2020, PDF hoặc Excel)."""
    from cchc.reports import ReportFormatError, write_report
    from cchc.reports.contents import ReportError

    if not output.parent.is_dir():
        fail(f"không có thư mục {output.parent} để ghi {output.name}.")
    issued = _parse_date(date)
    results = _results(framework, scores, previous, previous_framework, demo)
    unit = _unit_code(results, unit)
    try:
        write_report(
            results, output, unit_code=unit, organisation=organisation, place=place,
            date=issued, document_number=number,
        )
    except (ReportFormatError, ReportError) as exc:
        fail(str(exc))
    typer.echo(f"Đã ghi {output}")


class ChartKind(StrEnum):
    ranking = "ranking"
    components = "components"


@app.command("chart")
def chart(
    output: Path = typer.Option(..., "--output", help="Tệp hình: .png hoặc .svg.", dir_okay=False),
    kind: ChartKind = typer.Option(ChartKind.ranking, "--kind", help="ranking hoặc components."),
    framework: Path | None = _FRAMEWORK,
    scores: Path | None = _SCORES,
    previous: Path | None = _PREVIOUS,
    previous_framework: Path | None = _PREVIOUS_FRAMEWORK,
    unit: str | None = typer.Option(None, "--unit", help="Mã đơn vị được tô đậm (mã chính thức hoặc mã cũ tự đặt)."),
    demo: bool = _DEMO,
) -> None:
    """Vẽ biểu đồ xếp hạng hoặc cơ cấu điểm theo thành phần (PNG hoặc SVG)."""
    from cchc.par.export import atomic_path
    from cchc.reports.charts import ChartError, component_chart, ranking_chart

    suffix = output.suffix.lower()
    if suffix not in {".png", ".svg"}:
        fail(f"{output.name}: chỉ ghi được .png hoặc .svg.")
    if not output.parent.is_dir():
        fail(f"không có thư mục {output.parent} để ghi {output.name}.")
    results = _results(framework, scores, previous, previous_framework, demo)
    unit = _unit_code(results, unit)
    try:
        drawn = (ranking_chart if kind is ChartKind.ranking else component_chart)(
            results, unit_code=unit
        )
    except ChartError as exc:
        fail(str(exc))
    with atomic_path(output) as tmp:
        if suffix == ".png":
            tmp.write_bytes(drawn.png())
        else:
            tmp.write_text(drawn.svg(), encoding="utf-8")
    typer.echo(f"Đã ghi {output}")


# robustness, gaps and whatif live in their own module and register on this app.
from cchc.cli import par_insight as _par_insight  # noqa: E402, F401
