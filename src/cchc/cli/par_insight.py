"""`cchc par robustness | gaps | whatif`: how sure a rank is, where the next points are, and
what a change would do. A thin shell over ``cchc.par.robustness``, ``gaps`` and ``whatif``;
bad input exits with status 2 and a Vietnamese message, and nothing is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cchc.cli.display import ScreenFormat, SheetFormat, fail, refuse
from cchc.cli.par import (
    _DEMO,
    _FRAMEWORK,
    _PREVIOUS,
    _PREVIOUS_FRAMEWORK,
    _SCORES,
    DEMO_FILES,
    _results,
    _unit_code,
    app,
)

if TYPE_CHECKING:
    from rich.table import Table

    from cchc.par.scores import ScoreSheet


#: The demo's survey sampling error (illustrative), used by ``robustness --demo``.
DEMO_UNCERTAINTY = "district_2022_uncertainty.csv"


_OUTPUT = typer.Option(
    None,
    "--output",
    help="Tệp kết quả (mặc định: in ra màn hình; bắt buộc với xlsx).",
    dir_okay=False,
)


def _check_output(output_format: str, output: Path | None) -> None:
    if output_format == "xlsx" and output is None:
        fail("định dạng xlsx cần --output TỆP.xlsx.")
    if output is not None and not output.parent.is_dir():
        fail(f"không có thư mục {output.parent} để ghi {output.name}.")


def _sheet(framework: Path | None, scores: Path | None, demo: bool) -> ScoreSheet:
    """The current year's score sheet (already validated by ``_results``)."""
    from cchc.par.framework import load_framework
    from cchc.par.scores import load_scores

    if demo:
        from cchc.demo import data_path

        framework, scores = data_path(DEMO_FILES["framework"]), data_path(DEMO_FILES["scores"])
    assert framework is not None and scores is not None
    return load_scores(scores, load_framework(framework))


def _emit_json(data: dict[str, Any], output: Path | None) -> None:
    from cchc.par.export import atomic_path

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_path(output) as tmp:
        tmp.write_text(text, encoding="utf-8")


def _emit_table(tables: list[Table], output: Path | None) -> None:
    from rich.console import Console

    from cchc.par.export import atomic_path

    if output is None:
        console = Console() if sys.stdout.isatty() else Console(width=160)
        for table in tables:
            console.print(table)
        return
    with atomic_path(output) as tmp, tmp.open("w", encoding="utf-8") as handle:
        console = Console(file=handle, width=200)
        for table in tables:
            console.print(table)


@app.command("robustness")
def robustness(
    uncertainty: Path | None = typer.Option(
        None,
        "--uncertainty",
        help="Tệp sai số khảo sát (CSV hoặc XLSX): số người trả lời và số hài lòng theo yếu tố, "
        "hoặc sai số chuẩn theo thành phần.",
        dir_okay=False,
    ),
    framework: Path | None = _FRAMEWORK,
    scores: Path | None = _SCORES,
    draws: int = typer.Option(10_000, "--draws", help="Số lần mô phỏng (mặc định 10.000).", min=1, max=1_000_000),
    seed: int = typer.Option(0, "--seed", help="Hạt giống ngẫu nhiên: cùng hạt giống, cùng kết quả."),
    weight_step: float = typer.Option(
        10.0, "--weight-step", help="Mức dịch chuyển trọng số mỗi thành phần, % (mặc định 10).",
        min=0.0, max=99.0,
    ),
    output_format: SheetFormat = typer.Option(
        SheetFormat.table, "--format", help="json, table hoặc xlsx."
    ),
    output: Path | None = _OUTPUT,
    demo: bool = _DEMO,
) -> None:
    """Độ tin cậy của xếp hạng: khoảng tin cậy 90% của tổng điểm và thứ hạng, xác suất xếp loại."""
    from cchc.par import insight_export as out
    from cchc.par.robustness import robustness as compute
    from cchc.par.uncertainty import UncertaintyError, load_uncertainty

    _check_output(output_format, output)
    if uncertainty is None and demo:
        from cchc.demo import data_path

        uncertainty = data_path(DEMO_UNCERTAINTY)
    if uncertainty is None:
        fail("cần --uncertainty TỆP (sai số của các thành phần khảo sát).")
    results = _results(framework, scores, None, None, demo)
    try:
        items = load_uncertainty(uncertainty, results)
    except UncertaintyError as exc:
        refuse(str(exc))
    report = compute(
        results, items, sheet=_sheet(framework, scores, demo), draws=draws, seed=seed,
        weight_step=weight_step / 100,
    )
    if output_format is SheetFormat.json:
        _emit_json(out.robustness_to_json(report), output)
    elif output_format is SheetFormat.xlsx:
        assert output is not None
        out.write_robustness_xlsx(report, output)
    else:
        _emit_table([out.robustness_table(report)], output)


@app.command("gaps")
def gaps(
    framework: Path | None = _FRAMEWORK,
    scores: Path | None = _SCORES,
    previous: Path | None = _PREVIOUS,
    previous_framework: Path | None = _PREVIOUS_FRAMEWORK,
    unit: str | None = typer.Option(None, "--unit", help="Mã đơn vị (mã chính thức hoặc mã cũ tự đặt); bỏ trống để có mọi đơn vị."),
    top: int = typer.Option(3, "--top", help="Số tiêu chí có nhiều điểm trong tầm tay nhất.", min=1),
    output_format: SheetFormat = typer.Option(
        SheetFormat.table, "--format", help="json, table hoặc xlsx."
    ),
    output: Path | None = _OUTPUT,
    demo: bool = _DEMO,
) -> None:
    """Điểm còn thiếu: điểm mất theo tiêu chí so với tối đa và với đơn vị cao nhất cùng cấp."""
    from cchc.cli.display import nothing
    from cchc.par import insight_export as out
    from cchc.par.export import title
    from cchc.par.gaps import gaps_paragraph, unit_gaps

    _check_output(output_format, output)
    results = _results(framework, scores, previous, previous_framework, demo)
    unit = _unit_code(results, unit)
    if unit is not None:
        try:
            results.unit(unit)
        except KeyError:
            codes = ", ".join(sorted(u.unit_code for u in results.units))
            fail(f"không có đơn vị mã {unit!r} trong tệp điểm (có: {codes}).")
    chosen = [unit] if unit is not None else [u.unit_code for u in results.units]
    found = [unit_gaps(results, code, top=top) for code in chosen]
    if not found:
        nothing("đơn vị nào")
        return
    if output_format is SheetFormat.json:
        _emit_json(out.gaps_to_json(found), output)
    elif output_format is SheetFormat.xlsx:
        assert output is not None
        out.write_gaps_xlsx(
            found, output, title="Điểm còn thiếu — " + title(results), illustrative=results.illustrative
        )
    else:
        _emit_table([out.gaps_table(g, results.illustrative) for g in found], output)
        if output is None and unit is not None:
            typer.echo(gaps_paragraph(results, found[0]))


@app.command("whatif")
def whatif(
    framework: Path | None = _FRAMEWORK,
    scores: Path | None = _SCORES,
    set_scores: list[str] | None = typer.Option(
        None, "--set", help="Đổi điểm: ĐƠN_VỊ:MỤC=ĐIỂM (lặp lại được), ví dụ HNH:HL=27,5."
    ),
    weights: list[str] | None = typer.Option(
        None, "--weight", help="Đổi trọng số: MỤC=ĐIỂM_TỐI_ĐA (lặp lại được), ví dụ HL=33."
    ),
    output_format: ScreenFormat = typer.Option(ScreenFormat.table, "--format", help="json hoặc table."),
    output: Path | None = _OUTPUT,
    demo: bool = _DEMO,
) -> None:
    """Mô phỏng: đổi điểm một đơn vị hoặc trọng số bộ chỉ số, xem tổng điểm, thứ hạng, xếp loại mới."""
    from cchc.par import insight_export as out
    from cchc.par.whatif import WhatIfError, parse_score_change, parse_weight, simulate

    _check_output(output_format, output)
    results = _results(framework, scores, None, None, demo)
    try:
        changes = [parse_score_change(s) for s in set_scores or []]
        parsed = [parse_weight(w) for w in weights or []]
        new_weights = dict(parsed)
        if len(new_weights) != len(parsed):
            fail("--weight lặp lại cùng một mục.")
        result = simulate(
            results.framework, _sheet(framework, scores, demo), scores=changes,
            weights=new_weights, published=results,
        )
    except WhatIfError as exc:
        fail("\nLỗi: ".join(exc.problems))
    if output_format is ScreenFormat.json:
        _emit_json(out.whatif_to_json(result), output)
    else:
        _emit_table([out.whatif_table(result)], output)
