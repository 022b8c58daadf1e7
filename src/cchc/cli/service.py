"""`cchc service ...` commands: import a dossier ledger, compute the Decision 766 index and the
Circular 01/2018 quality score.

Heavy libraries (Ibis, DuckDB, Arrow, Spark) are imported inside the commands so that
``cchc --help`` stays fast.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cchc.cli.display import OutputFormat, ScreenFormat, emit, fail, json_text
from cchc.cli.service_generate import generate
from cchc.cli.service_portal import portal, reconcile, whatif

if TYPE_CHECKING:
    from cchc.service.index import ServiceIndex
    from cchc.service.period import Period

app = typer.Typer(
    no_args_is_help=True,
    help="Một cửa: nhập sổ hồ sơ, tính chỉ số phục vụ theo Quyết định 766/QĐ-TTg.",
)


app.command("generate")(generate)
app.command("portal")(portal)
app.command("reconcile")(reconcile)
app.command("whatif")(whatif)


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


_PERIOD_HELP = "Kỳ: YYYY, YYYY-Hn, YYYY-Qn hoặc YYYY-MM."
_ENGINE_HELP = "Máy tính: duckdb (mặc định) hoặc spark."


def _load(path: Path, procedures: Path | None = None) -> Any:
    """Validate any supported file into an Arrow ledger, with a progress bar on a terminal."""
    from rich.progress import Progress

    from cchc.service.importer import read_ledger

    catalogue = None
    if procedures is not None:
        from cchc.service.procedure import load_catalogue

        catalogue = load_catalogue(procedures)
    with Progress(transient=True, disable=not sys.stderr.isatty()) as bar:
        task = bar.add_task("Đang đọc tệp", total=None)

        def step(text: str, done: int, total: int) -> None:
            bar.update(task, description=text.capitalize(), completed=done, total=total)

        return read_ledger(path, procedures=catalogue, progress=step)


def _checked(input: Path, period: str, output: Path | None = None) -> Period:
    """The period, after the checks every computing command makes before reading anything."""
    from cchc.service.period import PeriodError, parse_period

    try:
        the_period = parse_period(period)
    except PeriodError as exc:
        fail(str(exc))
    if not input.exists():
        fail(f"tệp {input} không tồn tại")
    if output is not None and not output.parent.is_dir():
        fail(f"thư mục '{output.parent}' không tồn tại (tùy chọn --output)")
    return the_period


@contextmanager
def _reported(input: Path) -> Iterator[None]:
    """A ledger the service cannot use ends the command with its reason, not a traceback."""
    import duckdb

    from cchc.service.engines import LedgerError
    from cchc.service.importer import LedgerImportError

    try:
        yield
    except (LedgerImportError, LedgerError) as exc:
        fail(f"không tính được chỉ số từ {input}:\n{exc}")
    except duckdb.Error as exc:
        # A damaged or foreign file read in place: say so without a traceback.
        fail(f"không đọc được {input}: {str(exc).splitlines()[0]}")


def _extra_inputs(catalogue: Path | None, feedback: Path | None) -> tuple[Any, Any]:
    """The catalogue extension and the feedback register, each None when not given."""
    from cchc.service.catalogue_data import read_catalogue_data
    from cchc.service.feedback import read_feedback
    from cchc.service.importer import LedgerImportError

    try:
        entries = read_catalogue_data(catalogue) if catalogue is not None else None
        register = read_feedback(feedback) if feedback is not None else None
    except LedgerImportError as exc:
        fail(f"không đọc được dữ liệu bổ sung:\n{exc}")
    return entries, register


def _is_parquet(input: Path) -> bool:
    return input.suffix.lower() in {".parquet", ".pq"}


SPARK_INSTALL = "pip install 'cchc[spark]'"


def _spark_session_class() -> Any:
    """PySpark's SparkSession, or exit 2 with the install command when the extra is missing."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        fail(f"--engine spark cần PySpark, chưa được cài đặt; hãy cài phần mở rộng: {SPARK_INSTALL}")
    return SparkSession


@contextmanager
def _ledger_backend(input: Path, engine: Engine) -> Iterator[Any]:
    """An Ibis backend with the ledger as ``dossiers``: interchange Parquet is read in place,
    anything else is imported (validated) first. A Spark session started here is stopped."""
    from cchc.service import engines

    if engine is Engine.duckdb:
        con = engines.duckdb_ledger(input) if _is_parquet(input) else None
        con = con if con is not None else engines.duckdb_from_arrow(_load(input))
        try:
            yield con
        finally:
            con.disconnect()
        return
    import ibis

    SparkSession = _spark_session_class()
    # A session already running in this process (a notebook, a test) is used, not stopped.
    ours = SparkSession.getActiveSession() is None
    spark = engines.local_spark_session()
    try:
        if _is_parquet(input) and engines.is_interchange_parquet(input):
            yield engines.spark_ledger(spark, input)
        else:
            spark.createDataFrame(_load(input)).createOrReplaceTempView("dossiers")
            yield ibis.pyspark.connect(spark)
    finally:
        if ours:
            spark.stop()


@app.command("import")
def import_ledger(
    input: Path = typer.Argument(..., help="Tệp hồ sơ .csv, .xlsx hoặc .parquet (tên cột của cchc hoặc của Cổng DVCQG)."),
    output: Path = typer.Option(..., "--output", "-o", help="Tệp Parquet chuẩn hóa sẽ ghi."),
    procedures: Path | None = typer.Option(None, "--procedures", help="Danh mục thủ tục (CSV) để tính ngày hẹn trả còn thiếu."),
) -> None:
    """Kiểm tra và chuẩn hóa sổ hồ sơ thành tệp Parquet theo định dạng trao đổi."""
    from cchc.service.importer import LedgerImportError, write_ledger
    from cchc.service.procedure import CatalogueError

    try:
        ledger = _load(input, procedures)
    except (LedgerImportError, CatalogueError) as exc:
        fail(f"không nhập được {input}:\n{exc}")
    try:
        write_ledger(ledger, output)
    except OSError as exc:
        fail(f"không ghi được {output}: {exc.strerror or exc}")
    from cchc.fmt import format_int

    typer.echo(f"Đã ghi {format_int(ledger.num_rows)} hồ sơ vào {output}")


def _compute(input: Path, period: Period, engine: Engine) -> ServiceIndex:
    """The contract's index; on DuckDB the fast path (the shipped SQL, no Ibis import)."""
    from cchc.service import engines

    if engine is Engine.spark:
        with _ledger_backend(input, engine) as con:
            return engines.compute_index(con, period)
    result = engines.duckdb_index(input, period) if _is_parquet(input) else None
    if result is None:
        result = engines.duckdb_index(_load(input), period)
    assert result is not None  # an Arrow ledger is always read
    return result


@app.command("index")
def index(
    input: Path = typer.Argument(..., help="Sổ hồ sơ: .parquet (đọc trực tiếp), .csv hoặc .xlsx."),
    period: str = typer.Option(..., "--period", help=_PERIOD_HELP),
    engine: Engine = typer.Option(Engine.duckdb, "--engine", help=_ENGINE_HELP),
    format: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json, csv, xlsx hoặc table."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (mặc định: in ra màn hình; bắt buộc với xlsx)."),
    catalogue: Path | None = typer.Option(None, "--catalogue", help="Danh mục TTHC mở rộng (công bố, công khai, mức độ trực tuyến, phí): thêm nhóm 1, 3.1, 3.5."),
    feedback: Path | None = typer.Option(None, "--feedback", help="Sổ phản ánh, kiến nghị: thêm chỉ tiêu 5.2, 5.3."),
) -> None:
    """Tính 7 chỉ tiêu 766 lấy từ hồ sơ (2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 5.4) cho từng đơn vị.

    Với --catalogue và/hoặc --feedback (chỉ định dạng json): thêm các chỉ tiêu khác
    (other_indicators), tổng 6 nhóm (groups) và tổng điểm quy về thang 100 (total_100).
    """
    the_period = _checked(input, period, output)
    if format is OutputFormat.xlsx and output is None:
        fail("định dạng xlsx cần --output TỆP.xlsx")
    if catalogue is not None or feedback is not None:
        if format is not OutputFormat.json:
            fail("--catalogue và --feedback hiện chỉ dùng với --format json")
        _extended(input, the_period, engine, catalogue, feedback, output)
        return
    with _reported(input):
        result = _compute(input, the_period, engine)
    _write(result, format, output)


def _extended(
    input: Path, period: Period, engine: Engine, catalogue: Path | None, feedback: Path | None,
    output: Path | None,
) -> None:
    """The whole 766 index (contract JSON plus other_indicators, groups, total_100)."""
    from cchc.service.other_indicators import extended_index

    entries, register = _extra_inputs(catalogue, feedback)
    with _reported(input), _ledger_backend(input, engine) as con:
        result = extended_index(con, period, catalogue=entries, feedback=register)
    emit(json_text(result.to_dict()), output)


def _write(result: ServiceIndex, format: OutputFormat, output: Path | None) -> None:
    from cchc.service import export

    if format is OutputFormat.json:
        emit(json_text(result.to_dict()), output)
    elif format is OutputFormat.csv:
        emit(export.to_csv(result), output)
    elif format is OutputFormat.xlsx:
        assert output is not None
        export.to_xlsx(result, output)
        typer.echo(f"Đã ghi {output}")
    else:
        from rich.console import Console

        if output is None and not result.units:
            from cchc.cli.display import nothing

            nothing(f"đơn vị nào có hồ sơ trong kỳ {result.period}")
        elif output is None:
            Console(width=200).print(_rich_table(result))
        else:
            with output.open("w", encoding="utf-8") as handle:
                Console(file=handle, width=200).print(_rich_table(result))


def _rich_table(result: ServiceIndex) -> Any:
    """The index on screen, numbers in Vietnamese form (88,41)."""
    from rich.table import Table

    from cchc.cli.display import unit_label
    from cchc.fmt import format_number, format_percent
    from cchc.service.index import INDICATOR_IDS, framework

    legend = [
        f"{d.id}: {d.name} (tối đa {format_number(float(d.max_points), trim=True)} điểm)"
        for d in framework().indicators
    ]
    table = Table(
        title=f"Chỉ số phục vụ 766 (các chỉ tiêu từ hồ sơ), kỳ {result.period}",
        caption="\n".join(legend),
        caption_justify="left",
    )
    table.add_column("Hạng", justify="right")
    table.add_column("Đơn vị")
    table.add_column("Điểm", justify="right")
    for key in INDICATOR_IDS:
        table.add_column(f"{key}\ntỷ lệ / điểm", justify="right")
    for unit in result.units:
        cells = []
        for key in INDICATOR_IDS:
            r = unit.indicators[key]
            cells.append(
                # No dossier to count: no rate, and 0 points as the portal gives.
                f"không có dữ liệu / {format_number(float(r.points))}" if r.rate is None
                else f"{format_percent(float(r.rate))} / {format_number(float(r.points))}"
            )
        table.add_row(
            str(unit.rank), unit_label(unit.unit_code), format_number(float(unit.points)), *cells
        )
    return table


@app.command("score")
def score(
    counts: list[Path] = typer.Argument(..., help="Tệp số liệu .csv hoặc .xlsx (unit_code, unit_name, indicator, numerator, denominator), hoặc tệp của Cổng DVCQG (phản hồi JSON của các trang nhóm chỉ số, tệp Excel xuất ra)."),
    period: str | None = typer.Option(None, "--period", help="Kỳ của số liệu (ghi vào tiêu đề và tệp kết quả): " + _PERIOD_HELP),
    format: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json, csv, xlsx hoặc table."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (mặc định: in ra màn hình; bắt buộc với xlsx)."),
) -> None:
    """Chấm điểm chỉ số 766 từ số liệu tử số, mẫu số của từng đơn vị, như Cổng DVCQG chấm.

    Chỉ tiêu là mã chỉ tiêu (2.1, 4.5b, …) hoặc mã chỉ tiêu của Cổng (SO_HOA_GIAY_TO_GIAI_QUYET,
    …). Chỉ tiêu không có trong tệp thì không có trong kết quả; điểm nhóm là tổng điểm các
    chỉ tiêu có mặt. Cũng nhận tệp tải từ Cổng DVCQG (phản hồi JSON, tệp Excel).
    """
    from cchc.service.importer import LedgerImportError
    from cchc.service.portal766 import score_units
    from cchc.service.portal_files import read_any_counts

    if period is not None:
        from cchc.service.period import PeriodError, parse_period

        try:
            period = parse_period(period).label
        except PeriodError as exc:
            fail(str(exc))
    for path in counts:
        if not path.exists():
            fail(f"tệp {path} không tồn tại")
    if output is not None and not output.parent.is_dir():
        fail(f"thư mục '{output.parent}' không tồn tại (tùy chọn --output)")
    if format is OutputFormat.xlsx and output is None:
        fail("định dạng xlsx cần --output TỆP.xlsx")
    try:
        units = score_units(read_any_counts(counts))
    except LedgerImportError as exc:
        fail(f"không chấm được điểm từ {', '.join(str(p) for p in counts)}:\n{exc}")
    _write_scores(units, period, format, output)


def _write_scores(units: list[Any], period: str | None, format: OutputFormat, output: Path | None) -> None:
    from cchc.service import export

    if format is OutputFormat.json:
        emit(json_text({"units": [u.to_dict() for u in units]}), output)
    elif format is OutputFormat.csv:
        emit(export.scores_to_csv(units, period), output)
    elif format is OutputFormat.xlsx:
        assert output is not None
        export.scores_to_xlsx(units, output, period)
        typer.echo(f"Đã ghi {output}")
    else:
        from rich.console import Console

        table = _scores_table(units, period)
        if output is None:
            Console(width=200).print(table)
        else:
            with output.open("w", encoding="utf-8") as handle:
                Console(file=handle, width=200).print(table)


def _scores_table(units: list[Any], period: str | None) -> Any:
    """Ranks, units by name, each group's points out of its maximum and the total."""
    from rich.table import Table

    from cchc.fmt import format_number
    from cchc.service.portal766 import GROUPS

    groups = [g for g in GROUPS if any(g.number in u.groups for u in units)]
    title = "Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)"
    table = Table(title=title + (f", kỳ {period}" if period else ""))
    table.add_column("Hạng", justify="right")
    table.add_column("Đơn vị")
    for g in groups:
        table.add_column(f"{g.number}. {g.name}", justify="right")
    table.add_column("Tổng điểm", justify="right")

    def out_of(points: Any, maximum: Any) -> str:
        return f"{format_number(float(points))}/{format_number(float(maximum), trim=True)}"

    for u in units:
        name = f"{u.unit_name} ({u.unit_code})" if u.unit_name else u.unit_code
        cells = [out_of(*u.groups[g.number]) if g.number in u.groups else "—" for g in groups]
        table.add_row(str(u.rank), name, *cells, out_of(u.total_points, u.total_max))
    return table


@app.command("quality")
def quality(
    input: Path = typer.Argument(..., help="Sổ hồ sơ: .parquet, .csv hoặc .xlsx (có thể kèm cột contacts, agencies, steps_late, at_one_stop)."),
    period: str = typer.Option(..., "--period", help=_PERIOD_HELP),
    feedback: Path | None = typer.Option(None, "--feedback", help="Sổ phản ánh, kiến nghị (chỉ số 7, 8)."),
    catalogue: Path | None = typer.Option(None, "--catalogue", help="Danh mục TTHC mở rộng (chỉ số 6, 9)."),
    engine: Engine = typer.Option(Engine.duckdb, "--engine", help=_ENGINE_HELP),
    format: ScreenFormat = typer.Option(ScreenFormat.table, "--format", help="table (mặc định) hoặc json."),
) -> None:
    """Đánh giá chất lượng giải quyết TTHC theo Thông tư 01/2018/TT-VPCP (9 chỉ số, xếp loại đơn vị)."""
    from cchc.service import quality as q

    the_period = _checked(input, period)
    entries, register = _extra_inputs(catalogue, feedback)
    with _reported(input), _ledger_backend(input, engine) as con:
        units = q.quality(con, the_period, catalogue=entries, feedback=register)
    if format is ScreenFormat.json:
        emit(json_text(q.to_dict(the_period.label, units)), None)
        return
    from rich.console import Console
    from rich.table import Table

    from cchc.cli.display import nothing, unit_label
    from cchc.fmt import format_int, format_number

    if not units:
        nothing(f"hồ sơ nào đã giải quyết xong trong kỳ {the_period.label}")
        return
    names = q.scheme().indicators
    table = Table(
        title=f"Đánh giá chất lượng giải quyết TTHC (Thông tư 01/2018), kỳ {the_period.label}",
        caption="\n".join(f"CS {k}: {names[k].name}" for k in q.ALL),
        caption_justify="left",
    )
    table.add_column("Đơn vị")
    table.add_column("Số hồ sơ", justify="right")
    for k in q.ALL:
        table.add_column(f"CS {k}", justify="right")
    table.add_column("Tổng", justify="right")
    table.add_column("Xếp loại")
    for u in units:
        cells = [format_number(float(u.means[k]), 1) if k in u.means else "—" for k in q.ALL]
        table.add_row(
            unit_label(u.unit_code), format_int(u.dossiers), *cells,
            format_number(float(u.total), 1) if u.total is not None else "—",
            u.band or "chưa đủ 9 chỉ số",
        )
    Console(width=200).print(table)


@app.command("integrity")
def integrity_check(
    input: Path = typer.Argument(..., help="Sổ hồ sơ: .parquet (đọc trực tiếp), .csv hoặc .xlsx."),
    period: str = typer.Option(..., "--period", help=_PERIOD_HELP),
    engine: Engine = typer.Option(Engine.duckdb, "--engine", help=_ENGINE_HELP),
    format: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table (mặc định), json hoặc xlsx."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (bắt buộc với xlsx)."),
) -> None:
    """Kiểm tra sổ hồ sơ: yêu cầu bổ sung sát hạn hoặc sau hạn, thời điểm không hợp lý, mã trùng
    (kèm mã hồ sơ), và các tín hiệu thống kê theo từng đơn vị."""
    from cchc.service.integrity import duckdb_integrity, integrity, write_xlsx

    the_period = _checked(input, period, output)
    if format is OutputFormat.csv:
        fail("định dạng csv chưa hỗ trợ cho lệnh này: dùng json, xlsx hoặc table")
    if format is OutputFormat.xlsx and output is None:
        fail("định dạng xlsx cần --output TỆP.xlsx")
    with _reported(input):
        # On DuckDB the fast path, like the index's: the shipped SQL, no Ibis import.
        report = None
        if engine is Engine.duckdb:
            report = duckdb_integrity(input, the_period) if _is_parquet(input) else None
            if report is None:
                report = duckdb_integrity(_load(input), the_period)
        if report is None:
            with _ledger_backend(input, engine) as con:
                report = integrity(con, the_period)
    if format is OutputFormat.json:
        emit(json_text(report.to_dict()), output)
        return
    if format is OutputFormat.xlsx:
        assert output is not None
        write_xlsx(report, output)
        typer.echo(f"Đã ghi {output}")
        return
    _integrity_table(report, output)


def _integrity_table(report: Any, output: Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    from cchc.fmt import format_int, format_percent
    from cchc.service.integrity import RULE_NAMES, RULES, SIGNAL_NAMES, SIGNALS

    if not report.units:
        from cchc.cli.display import nothing

        nothing(f"hồ sơ nào trong phạm vi kỳ {report.period}")
        return
    table = Table(title=f"Kiểm tra sổ hồ sơ, kỳ {report.period}")
    table.add_column("Đơn vị")
    table.add_column("Hồ sơ", justify="right")
    for rule in RULES:
        table.add_column(RULE_NAMES[rule], justify="right")
    for name in SIGNALS:
        table.add_column(f"{SIGNAL_NAMES[name]} (tín hiệu)", justify="right")
    from cchc.cli.display import unit_label

    for unit in report.units:
        label = unit_label(unit.unit_code)
        signals = [
            (format_percent(s.share) if s.share is not None else "—") + (" ⚠" if s.flagged else "")
            for s in (unit.signals[name] for name in SIGNALS)
        ]
        table.add_row(label, format_int(unit.dossiers),
                      *(format_int(unit.checks[r]) for r in RULES), *signals)
    codes = [(u.unit_code, rule, code) for u in report.units for rule in RULES for code in u.codes[rule]]
    shown = codes[:50]
    lines = [report.to_dict()["signals_note"]]
    if codes:
        rest = len(codes) - len(shown)
        lines.append(
            "Hồ sơ cần kiểm tra: "
            + "; ".join(f"{c} ({u}, {RULE_NAMES[r].lower()})" for u, r, c in shown)
            + (f" … và {format_int(rest)} hồ sơ khác (xem --format json hoặc xlsx)" if rest else "")
        )
    if output is None:
        console = Console(width=200)
        console.print(table)
        for line in lines:
            console.print(line)
        return
    with output.open("w", encoding="utf-8") as handle:
        console = Console(file=handle, width=200)
        console.print(table)
        for line in lines:
            console.print(line)
