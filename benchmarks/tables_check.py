"""What checking a workbook against TableLimits costs, as a ratio to reading it.

Writes a genuine XLSX of ``--rows`` ledger-like rows (10 columns, text and numbers, one
unique text per row so the shared strings grow too), then times, best of ``--repeat``:

- ``check``: ``cchc.tables.check_workbook`` (inflate every part, scan sheets and shared
  strings), the work added before the reader;
- ``read``: python-calamine reading the first sheet row by row (what the importers did
  before the check, and still do after it).

Prints both and ``check / read``; appends a JSON line to benchmarks/results/tables_check.jsonl.
The ratio is the figure to watch (both runs share the machine's load).
"""

from __future__ import annotations

import argparse
import io
import json
import time
from collections.abc import Callable
from pathlib import Path

RESULTS = Path(__file__).parent / "results" / "tables_check.jsonl"


def workbook(rows: int) -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "constant_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["dossier_code", "unit_code", "procedure_code", "received_at", "fee",
                           "number", "status", "channel", "applicant", "note"])
    for r in range(1, rows + 1):
        sheet.write_row(r, 0, [f"BSO-250303-{r:06d}", "BSO", "HT-KS", "2025-03-03 09:00", 12.5, r,
                               "received", "counter", "Nguyễn Văn A", "ghi chú"])
    book.close()
    return out.getvalue()


def best(run: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    from python_calamine import CalamineWorkbook

    from cchc.tables import check_workbook

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    data = workbook(args.rows)
    check = best(lambda: check_workbook(io.BytesIO(data), "bench.xlsx"), args.repeat)
    read = best(
        lambda: sum(1 for _ in CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).iter_rows()),
        args.repeat,
    )
    result = {"rows": args.rows, "bytes": len(data), "check_s": round(check, 3),
              "read_s": round(read, 3), "check_over_read": round(check / read, 2)}
    RESULTS.parent.mkdir(exist_ok=True)
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(json.dumps(result) + "\n")
    print(f"{args.rows} rows, {len(data) / 1e6:.1f} MB: check {check:.2f} s, read {read:.2f} s, "
          f"check/read {check / read:.2f}")


if __name__ == "__main__":
    main()
