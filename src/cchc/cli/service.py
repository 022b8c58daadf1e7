"""`cchc service ...` commands: import a dossier ledger, compute the Decision 766 index.

Heavy libraries (Ibis, DuckDB, Arrow, Spark) are imported inside the commands so that
``cchc --help`` stays fast.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from cchc.cli.service_generate import generate

if TYPE_CHECKING:
    from cchc.service.index import ServiceIndex

app = typer.Typer(
    no_args_is_help=True,
    help="Một cửa: nhập sổ hồ sơ, tính chỉ số phục vụ theo Quyết định 766/QĐ-TTg.",
)


app.command("generate")(generate)


class Engine(StrEnum):
    duckdb = "duckdb"
    spark = "spark"


class OutputFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    table = "table"


def _fail(message: str) -> None:
    typer.echo(f"Lỗi: {message}", err=True)
    raise typer.Exit(2)


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
        _fail(f"không nhập được {input}:\n{exc}")
        return
    try:
        write_ledger(ledger, output)
    except OSError as exc:
        _fail(f"không ghi được {output}: {exc.strerror or exc}")
    from cchc.fmt import format_int

    typer.echo(f"Đã ghi {format_int(ledger.num_rows)} hồ sơ vào {output}")


def _compute(input: Path, period: Any, engine: Engine) -> ServiceIndex:
    """Parquet in the interchange types is read in place; anything else is imported first."""
    from cchc.service import engines

    is_parquet = input.suffix.lower() in {".parquet", ".pq"}
    if engine is Engine.duckdb:
        result = engines.duckdb_index(input, period) if is_parquet else None
        if result is None:
            result = engines.duckdb_index(_load(input), period)
        assert result is not None
        return result
    from pyspark.sql import SparkSession

    # A session already running in this process (a notebook, a test) is used, not stopped.
    ours = SparkSession.getActiveSession() is None
    spark = engines.local_spark_session()
    try:
        if is_parquet and engines.is_interchange_parquet(input):
            con = engines.spark_ledger(spark, input)
        else:
            import ibis

            spark.createDataFrame(_load(input)).createOrReplaceTempView("dossiers")
            con = ibis.pyspark.connect(spark)
        return engines.compute_index(con, period)
    finally:
        if ours:
            spark.stop()


@app.command("index")
def index(
    input: Path = typer.Argument(..., help="Sổ hồ sơ: .parquet (đọc trực tiếp), .csv hoặc .xlsx."),
    period: str = typer.Option(..., "--period", help="Kỳ: YYYY, YYYY-Hn, YYYY-Qn hoặc YYYY-MM."),
    engine: Engine = typer.Option(Engine.duckdb, "--engine", help="Máy tính: duckdb (mặc định) hoặc spark."),
    format: OutputFormat = typer.Option(OutputFormat.json, "--format", help="json, csv, xlsx hoặc table."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Tệp kết quả (mặc định: in ra màn hình; bắt buộc với xlsx)."),
    catalogue: Path | None = typer.Option(None, "--catalogue", help="Danh mục TTHC mở rộng (công bố, công khai, mức độ trực tuyến, phí): thêm nhóm 1, 3.1, 3.5."),
    feedback: Path | None = typer.Option(None, "--feedback", help="Sổ phản ánh, kiến nghị: thêm chỉ tiêu 5.2, 5.3."),
) -> None:
    """Tính 7 chỉ tiêu 766 lấy từ hồ sơ (2.1, 3.3, 3.6, 4.1, 4.2, 4.3, 5.4) cho từng đơn vị.

    Với --catalogue và/hoặc --feedback (chỉ định dạng json): thêm các chỉ tiêu khác
    (other_indicators), tổng 6 nhóm (groups) và tổng điểm quy về thang 100 (total_100).
    """
    from cchc.service.engines import LedgerError
    from cchc.service.importer import LedgerImportError
    from cchc.service.period import PeriodError, parse_period

    try:
        the_period = parse_period(period)
    except PeriodError as exc:
        _fail(str(exc))
        return
    if not input.exists():
        _fail(f"tệp {input} không tồn tại")
    if format is OutputFormat.xlsx and output is None:
        _fail("định dạng xlsx cần --output TỆP.xlsx")
    if catalogue is not None or feedback is not None:
        if format is not OutputFormat.json:
            _fail("--catalogue và --feedback hiện chỉ dùng với --format json")
        _extended(input, the_period, engine, catalogue, feedback, output)
        return
    import duckdb

    try:
        result = _compute(input, the_period, engine)
    except (LedgerImportError, LedgerError) as exc:
        _fail(f"không tính được chỉ số từ {input}:\n{exc}")
        return
    except duckdb.Error as exc:
        # A damaged or foreign file read in place: say so without a traceback.
        _fail(f"không đọc được {input}: {str(exc).splitlines()[0]}")
        return
    if output is not None and not output.parent.is_dir():
        _fail(f"thư mục '{output.parent}' không tồn tại (tùy chọn --output)")
    _write(result, format, output)


def _ledger_backend(input: Path, engine: Engine) -> tuple[Any, Any]:
    """An Ibis backend with the ledger as ``dossiers``, and the Spark session we started."""
    from cchc.service import engines

    is_parquet = input.suffix.lower() in {".parquet", ".pq"}
    if engine is Engine.duckdb:
        con = engines.duckdb_ledger(input) if is_parquet else None
        return (con if con is not None else engines.duckdb_from_arrow(_load(input))), None
    import ibis
    from pyspark.sql import SparkSession

    ours = SparkSession.getActiveSession() is None
    spark = engines.local_spark_session()
    if is_parquet and engines.is_interchange_parquet(input):
        return engines.spark_ledger(spark, input), spark if ours else None
    spark.createDataFrame(_load(input)).createOrReplaceTempView("dossiers")
    return ibis.pyspark.connect(spark), spark if ours else None


def _extended(
    input: Path, period: Any, engine: Engine, catalogue: Path | None, feedback: Path | None,
    output: Path | None,
) -> None:
    """The whole 766 index (contract JSON plus other_indicators, groups, total_100)."""
    import duckdb

    from cchc.service.catalogue_data import read_catalogue_data
    from cchc.service.engines import LedgerError
    from cchc.service.feedback import read_feedback
    from cchc.service.importer import LedgerImportError
    from cchc.service.other_indicators import extended_index

    try:
        entries = read_catalogue_data(catalogue) if catalogue is not None else None
        register = read_feedback(feedback) if feedback is not None else None
    except LedgerImportError as exc:
        _fail(f"không đọc được dữ liệu bổ sung:\n{exc}")
        return
    if output is not None and not output.parent.is_dir():
        _fail(f"thư mục '{output.parent}' không tồn tại (tùy chọn --output)")
    spark = None
    try:
        con, spark = _ledger_backend(input, engine)
        result = extended_index(con, period, catalogue=entries, feedback=register)
    except (LedgerImportError, LedgerError) as exc:
        _fail(f"không tính được chỉ số từ {input}:\n{exc}")
        return
    except duckdb.Error as exc:
        _fail(f"không đọc được {input}: {str(exc).splitlines()[0]}")
        return
    finally:
        if spark is not None:
            spark.stop()
    text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _write(result: ServiceIndex, format: OutputFormat, output: Path | None) -> None:
    from cchc.service import export

    if format is OutputFormat.json:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif format is OutputFormat.csv:
        text = export.to_csv(result)
    elif format is OutputFormat.xlsx:
        assert output is not None
        export.to_xlsx(result, output)
        typer.echo(f"Đã ghi {output}")
        return
    else:
        from rich.console import Console

        console = Console(file=output.open("w", encoding="utf-8") if output else None, width=200)
        console.print(_rich_table(result))
        return
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def _rich_table(result: ServiceIndex) -> Any:
    """The index on screen, numbers in Vietnamese form (88,41)."""
    from rich.table import Table

    from cchc.fmt import format_number, format_percent
    from cchc.service.index import INDICATOR_IDS

    table = Table(title=f"Chỉ số phục vụ 766 (các chỉ tiêu từ hồ sơ), kỳ {result.period}")
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
                "không có dữ liệu" if r.rate is None
                else f"{format_percent(float(r.rate))} / {format_number(float(r.points or 0))}"
            )
        table.add_row(str(unit.rank), unit.unit_code, format_number(float(unit.points)), *cells)
    return table


class QualityFormat(StrEnum):
    json = "json"
    table = "table"


@app.command("quality")
def quality(
    input: Path = typer.Argument(..., help="Sổ hồ sơ: .parquet, .csv hoặc .xlsx (có thể kèm cột contacts, agencies, steps_late, at_one_stop)."),
    period: str = typer.Option(..., "--period", help="Kỳ: YYYY, YYYY-Hn, YYYY-Qn hoặc YYYY-MM."),
    feedback: Path | None = typer.Option(None, "--feedback", help="Sổ phản ánh, kiến nghị (chỉ số 7, 8)."),
    catalogue: Path | None = typer.Option(None, "--catalogue", help="Danh mục TTHC mở rộng (chỉ số 6, 9)."),
    format: QualityFormat = typer.Option(QualityFormat.table, "--format", help="table (mặc định) hoặc json."),
) -> None:
    """Đánh giá chất lượng giải quyết TTHC theo Thông tư 01/2018/TT-VPCP (9 chỉ số, xếp loại đơn vị)."""
    import duckdb

    from cchc.service import quality as q
    from cchc.service.catalogue_data import read_catalogue_data
    from cchc.service.engines import LedgerError
    from cchc.service.feedback import read_feedback
    from cchc.service.importer import LedgerImportError
    from cchc.service.period import PeriodError, parse_period

    try:
        the_period = parse_period(period)
    except PeriodError as exc:
        _fail(str(exc))
        return
    if not input.exists():
        _fail(f"tệp {input} không tồn tại")
    try:
        entries = read_catalogue_data(catalogue) if catalogue is not None else None
        register = read_feedback(feedback) if feedback is not None else None
        con, _spark = _ledger_backend(input, Engine.duckdb)
        units = q.quality(con, the_period, catalogue=entries, feedback=register)
    except (LedgerImportError, LedgerError) as exc:
        _fail(f"không tính được:\n{exc}")
        return
    except duckdb.Error as exc:
        _fail(f"không đọc được {input}: {str(exc).splitlines()[0]}")
        return
    if format is QualityFormat.json:
        sys.stdout.write(json.dumps(q.to_dict(the_period.label, units), ensure_ascii=False, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    from cchc.fmt import format_int, format_number

    table = Table(title=f"Đánh giá chất lượng giải quyết TTHC (Thông tư 01/2018), kỳ {the_period.label}")
    table.add_column("Đơn vị")
    table.add_column("Số hồ sơ", justify="right")
    for k in q.ALL:
        table.add_column(f"CS {k}", justify="right")
    table.add_column("Tổng", justify="right")
    table.add_column("Xếp loại")
    for u in units:
        cells = [format_number(float(u.means[k]), 1) if k in u.means else "—" for k in q.ALL]
        table.add_row(
            u.unit_code, format_int(u.dossiers), *cells,
            format_number(float(u.total), 1) if u.total is not None else "—",
            u.band or "chưa đủ 9 chỉ số",
        )
    Console(width=200).print(table)
