"""`cchc survey ...` commands: sample size, the respondent draw, indices, points, comparison.

A thin shell over ``cchc.surveys``: parse options, call the core, print. Bad input exits
with status 2 and a Vietnamese message naming file, row and column on stderr.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from cchc.cli.display import fail, refuse, unit_label

if TYPE_CHECKING:
    from cchc.surveys import Answer, Questionnaire

app = typer.Typer(
    no_args_is_help=True,
    help="Khảo sát: sự hài lòng của người dân, tổ chức (SIPAS) và khảo sát lãnh đạo, công chức.",
)

F = TypeVar("F", bound=Callable[..., Any])


_OS_REASONS = {
    errno.ENOENT: "tệp hoặc thư mục không tồn tại",
    errno.EACCES: "không có quyền truy cập",
    errno.EISDIR: "đây là một thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
}


def _user_errors(command: F) -> F:
    """Turn the core's input errors into exit status 2 with the message on stderr."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from cchc.surveys import QuestionnaireError, SurveyInputError

        try:
            return command(*args, **kwargs)
        except SurveyInputError as exc:  # its message names file, row and column already
            refuse(str(exc))
        except (QuestionnaireError, LookupError, ValueError) as exc:
            fail(str(exc))
        except OSError as exc:  # e.g. --output into a folder that does not exist
            reason = _OS_REASONS.get(exc.errno or 0, exc.strerror or str(exc))
            fail(f"không ghi hoặc đọc được {exc.filename or ''}: {reason}")

    return wrapper  # type: ignore[return-value]


def _questionnaire(spec: str, year: int) -> Questionnaire:
    from cchc.surveys import load_questionnaire, load_questionnaire_file

    if spec.endswith((".yaml", ".yml")):
        return load_questionnaire_file(spec)
    return load_questionnaire(spec, year)


def _answers(
    path: Path, kobo: bool, questionnaire: str | None, year: int, unit_column: str
) -> tuple[list[Answer], int]:
    """The answers and the lowest "satisfied" level (4 unless the questionnaire says otherwise)."""
    from cchc.surveys import read_answers, read_kobo

    if kobo:
        form = _questionnaire(questionnaire or "sipas", year)
        return read_kobo(path, form, unit_column=unit_column), form.scale.satisfied_min
    if questionnaire:
        form = _questionnaire(questionnaire, year)
        return read_answers(path, form), form.scale.satisfied_min
    return read_answers(path), 4


def _factor_labels(kobo: bool, questionnaire: str | None, year: int) -> dict[str, str]:
    """Vietnamese factor names from the questionnaire in use, if any."""
    spec = questionnaire or ("sipas" if kobo else None)
    if spec is None:
        return {}
    return {f.key: f.label for f in _questionnaire(spec, year).factors}


def _weights(items: list[str]) -> dict[str, float] | None:
    from cchc.fmt import parse_number

    if not items:
        return None
    weights: dict[str, float] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValueError(f"trọng số '{item}' không hợp lệ: dùng YẾU_TỐ=SỐ, ví dụ tiep_can=0,2")
        weights[key.strip()] = parse_number(value)
    return weights


def _pct(value: float | None) -> str:
    from cchc.fmt import format_percent

    return format_percent(value, 2) if value is not None else "không có dữ liệu"


def _ci(low: float | None, high: float | None) -> str:
    from cchc.fmt import format_percent

    if low is None or high is None:
        return "—"
    return f"{format_percent(low, 2)} – {format_percent(high, 2)}"


def _unit_and(code: str, index: float | None) -> str:
    """ "Phường Bồng Sơn (BSO, 81,20%)", or "BSO (81,20%)" for a code the registry does not know."""
    from cchc.cli.display import unit_name

    name = unit_name(code)
    return f"{name} ({code}, {_pct(index)})" if name else f"{code} ({_pct(index)})"


ANSWERS_ARG = typer.Argument(
    ..., exists=True, dir_okay=False, help="Tệp câu trả lời .csv hoặc .xlsx."
)
KOBO_OPT = typer.Option(False, "--kobo", help="Tệp xuất dạng rộng từ KoboToolbox/ODK.")
FORM_OPT = typer.Option(
    None, "--questionnaire", help="Phiếu: sipas, officials hoặc đường dẫn .yaml."
)
YEAR_OPT = typer.Option(dt.date.today().year, "--year", help="Năm khảo sát (chọn phiên bản phiếu).")
UNIT_COL_OPT = typer.Option("unit_code", "--unit-column", help="Trường mã đơn vị trong tệp Kobo.")
WEIGHT_OPT = typer.Option(
    [], "--weight", help="Trọng số yếu tố, YẾU_TỐ=SỐ (lặp lại); mặc định bằng nhau."
)


@app.command("sample-size")
@_user_errors
def sample_size_command(
    population: int = typer.Option(..., "--population", help="Quy mô tổng thể N."),
    margin: float = typer.Option(0.05, "--margin", help="Sai số e (mặc định 0.05)."),
) -> None:
    """In cỡ mẫu n = ⌈N / (1 + N·e²)⌉."""
    from cchc.surveys import sample_size

    typer.echo(sample_size(population, margin))


@app.command("sample")
@_user_errors
def sample_command(
    ledger: Path = typer.Option(
        ..., "--ledger", exists=True, dir_okay=False, help="Sổ hồ sơ .parquet, .csv hoặc .xlsx."
    ),
    period: str = typer.Option(..., "--period", help="Kỳ: YYYY, YYYY-Hn, YYYY-Qn hoặc YYYY-MM."),
    seed: int = typer.Option(
        ..., "--seed", help="Hạt giống ngẫu nhiên (rút lại cho cùng kết quả)."
    ),
    output: Path = typer.Option(
        ..., "--output", dir_okay=False, help="Tệp CSV danh sách được chọn."
    ),
    margin: float = typer.Option(0.05, "--margin", help="Sai số e."),
    by_procedure: bool = typer.Option(
        False, "--by-procedure", help="Phân tầng theo thủ tục trong mỗi đơn vị."
    ),
    reserve_ratio: float = typer.Option(
        0.5, "--reserve-ratio", help="Tỷ lệ dự phòng so với mẫu (giả định)."
    ),
) -> None:
    """Rút mẫu người trả lời phân tầng theo đơn vị từ hồ sơ đã giải quyết xong trong kỳ."""
    from rich.console import Console
    from rich.table import Table

    from cchc.fmt import format_int
    from cchc.service.readers import read_raw
    from cchc.surveys import (
        draw_sample,
        parse_period,
        write_sample_csv,
    )

    # The one table reader of the dossier importers (.parquet, .csv, .xlsx; limits checked).
    table, first_row = read_raw(ledger)
    sample = draw_sample(
        table,
        parse_period(period),
        seed=seed,
        margin=margin,
        by_procedure=by_procedure,
        reserve_ratio=reserve_ratio,
        file=str(ledger),
        first_row=first_row,
    )
    write_sample_csv(sample, output)
    if not sample.strata:
        from cchc.cli.display import nothing

        nothing(f"hồ sơ nào đã giải quyết xong trong kỳ {sample.period.label} để rút mẫu")
        return
    view = Table(title=f"Mẫu khảo sát kỳ {sample.period.label} (hạt giống {seed})")
    for head in ("Đơn vị", "Tầng", "Tổng thể", "Mẫu", "Dự phòng"):
        view.add_column(head, justify="right" if head not in ("Đơn vị", "Tầng") else "left")
    for plan in sample.strata:
        view.add_row(
            unit_label(plan.unit_code),
            plan.stratum or "—",
            format_int(plan.population),
            format_int(plan.sample),
            format_int(plan.reserve),
        )
    console = Console()
    console.print(view)
    console.print(
        f"Đã ghi {format_int(len(sample.respondents))} người (kèm mã dùng một lần) vào {output}"
    )


@app.command("index")
@_user_errors
def index_command(
    answers: Path = ANSWERS_ARG,
    output_format: str = typer.Option("table", "--format", help="table hoặc json."),
    kobo: bool = KOBO_OPT,
    questionnaire: str | None = FORM_OPT,
    year: int = YEAR_OPT,
    unit_column: str = UNIT_COL_OPT,
    weight: list[str] = WEIGHT_OPT,
    xlsx: Path | None = typer.Option(
        None, "--xlsx", dir_okay=False, help="Xuất thêm ra tệp .xlsx."
    ),
    chart: Path | None = typer.Option(
        None, "--chart", dir_okay=False, help="Vẽ biểu đồ đơn vị (.png/.svg)."
    ),
    factor_charts: Path | None = typer.Option(
        None,
        "--factor-charts",
        file_okay=False,
        help="Thư mục ghi biểu đồ theo yếu tố của từng đơn vị (<mã đơn vị>.png).",
    ),
) -> None:
    """Chỉ số hài lòng theo đơn vị và yếu tố, với khoảng tin cậy 95% (Wilson)."""
    from cchc.surveys import compute_index, index_json

    if output_format not in ("table", "json"):
        raise ValueError(f"--format '{output_format}' không hợp lệ: dùng table hoặc json")
    if kobo:
        rows, satisfied_min = _answers(answers, kobo, questionnaire, year, unit_column)
        result = compute_index(rows, weights=_weights(weight), satisfied_min=satisfied_min)
    else:
        # A long answers file is validated and counted column-wise (a national wave is
        # a million rows); a bad file is read again row by row to name its bad rows.
        from cchc.surveys.counts import count_answers_file
        from cchc.surveys.index import index_from_counts

        form = _questionnaire(questionnaire, year) if questionnaire else None
        satisfied_min = form.scale.satisfied_min if form else 4
        counts = count_answers_file(answers, form, satisfied_min=satisfied_min)
        result = index_from_counts(counts, weights=_weights(weight), satisfied_min=satisfied_min)
    if xlsx is not None:
        from cchc.surveys.export import export_xlsx

        export_xlsx(result, xlsx)
    if chart is not None:
        from cchc.surveys.chart import save_chart, unit_chart

        save_chart(unit_chart(result), chart)
    if factor_charts is not None:
        from cchc.surveys.chart import factor_chart, save_chart

        labels = _factor_labels(kobo, questionnaire, year)
        factor_charts.mkdir(parents=True, exist_ok=True)
        for unit in result.units:
            save_chart(
                factor_chart(result, unit.unit_code, labels),
                factor_charts / f"{unit.unit_code}.png",
            )
    if output_format == "json":
        typer.echo(json.dumps(index_json(result), ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    from cchc.fmt import format_int

    view = Table(title="Chỉ số hài lòng (mức 4–5 trên số câu trả lời hợp lệ)")
    for head in ("Đơn vị", "Yếu tố", "Hài lòng/Hợp lệ", "Chỉ số", "Khoảng tin cậy 95%"):
        view.add_column(head)
    for unit in result.units:
        for key, factor in unit.factors.items():
            share = factor.share
            view.add_row(
                unit_label(unit.unit_code),
                key,
                f"{format_int(share.satisfied)}/{format_int(share.valid)}",
                _pct(share.index),
                _ci(*(share.interval or (None, None))),
            )
        view.add_row(
            unit_label(unit.unit_code),
            f"[b]Chung ({format_int(unit.respondents)} người)[/b]",
            "",
            f"[b]{_pct(unit.index)}[/b]",
            _ci(unit.ci_low, unit.ci_high),
            end_section=True,
        )
    console = Console()
    console.print(view)
    for unit in result.units:
        if unit.factors_without_data:
            console.print(
                f"{unit_label(unit.unit_code)}: yếu tố {', '.join(unit.factors_without_data)} không có câu trả lời hợp lệ, không tính vào chỉ số chung."
            )


@app.command("points")
@_user_errors
def points_command(
    answers: Path = ANSWERS_ARG,
    max_points: float = typer.Option(..., "--max", help="Điểm tối đa K của thành phần."),
    kind: str = typer.Option(
        "sipas", "--kind", help="sipas (K × chỉ số) hoặc officials (K × điểm TB ÷ thang)."
    ),
    scale_max: int = typer.Option(
        5, "--scale-max", help="Điểm cao nhất của thang (khảo sát lãnh đạo, công chức)."
    ),
    output_format: str = typer.Option("table", "--format", help="table, json hoặc csv."),
    component: str = typer.Option(
        "HL",
        "--component",
        help="Mã thành phần trong khung chỉ số (cột của tệp điểm, --format csv).",
    ),
    kobo: bool = KOBO_OPT,
    questionnaire: str | None = FORM_OPT,
    year: int = YEAR_OPT,
    unit_column: str = UNIT_COL_OPT,
    weight: list[str] = WEIGHT_OPT,
) -> None:
    """Điểm thành phần khảo sát của từng đơn vị, để đưa vào đợt đánh giá CCHC."""
    from cchc.fmt import format_number
    from cchc.surveys import (
        compute_index,
        compute_means,
        officials_points,
        points_json,
        sipas_points,
    )

    if output_format not in ("table", "json", "csv"):
        raise ValueError(f"--format '{output_format}' không hợp lệ: dùng table, json hoặc csv")
    form = questionnaire or (kind if kobo else None)
    rows, satisfied_min = _answers(answers, kobo, form, year, unit_column)
    if kind == "sipas":
        result = compute_index(rows, weights=_weights(weight), satisfied_min=satisfied_min)
        points = sipas_points(result, max_points)
    elif kind == "officials":
        points = officials_points(
            compute_means(rows, scale_max=scale_max, weights=_weights(weight)), max_points
        )
    else:
        raise ValueError(f"--kind '{kind}' không hợp lệ: dùng sipas hoặc officials")
    if output_format == "json":
        typer.echo(json.dumps(points_json(points), ensure_ascii=False, indent=2))
        return
    if output_format == "csv":
        from cchc.surveys.summary import points_csv

        typer.echo(points_csv(points, component), nl=False)
        return
    from rich.console import Console
    from rich.table import Table

    view = Table(
        title=f"Điểm thành phần khảo sát (tối đa {format_number(max_points, 2, trim=True)} điểm)"
    )
    for head in ("Đơn vị", "Số người", "Điểm", "Khoảng tin cậy 95%"):
        view.add_column(head)
    for p in points:
        interval = (
            "—"
            if p.points_low is None or p.points_high is None
            else (f"{format_number(p.points_low)} – {format_number(p.points_high)}")
        )
        view.add_row(
            unit_label(p.unit_code),
            str(p.respondents),
            format_number(p.points) if p.points is not None else "không có dữ liệu",
            interval,
        )
    Console().print(view)


@app.command("compare")
@_user_errors
def compare_command(
    answers: Path = ANSWERS_ARG,
    factor: str | None = typer.Option(
        None, "--factor", help="So sánh theo một yếu tố thay vì chỉ số chung."
    ),
    kobo: bool = KOBO_OPT,
    questionnaire: str | None = FORM_OPT,
    year: int = YEAR_OPT,
    unit_column: str = UNIT_COL_OPT,
) -> None:
    """So sánh từng cặp đơn vị: khoảng tin cậy giao nhau thì không khác biệt có ý nghĩa thống kê."""
    from cchc.surveys import compare_units, compute_index

    rows, satisfied_min = _answers(answers, kobo, questionnaire, year, unit_column)
    result = compute_index(rows, satisfied_min=satisfied_min)
    if factor is not None and factor not in result.factor_keys:
        raise ValueError(f"yếu tố '{factor}' không có trong dữ liệu")
    pairs = compare_units(result, factor)
    if not pairs:
        from cchc.cli.display import nothing

        nothing("cặp đơn vị nào để so sánh (cần ít nhất hai đơn vị có câu trả lời hợp lệ)")
    for pair in pairs:
        typer.echo(
            f"{_unit_and(pair.higher, pair.higher_index)} và "
            f"{_unit_and(pair.lower, pair.lower_index)}: {pair.phrase}"
        )
