"""Problems found in an input file, and the error that carries them (file, row, column, reason).

Checks are Arrow compute kernels over whole columns: ``Checker.mask`` turns a boolean mask
into problems (``cchc.tables.Problem``) without a Python loop over the good rows, keeping
the first ``MAX_PROBLEMS`` and counting the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from cchc.tables import MAX_PROBLEMS, Problem, TableError

if TYPE_CHECKING:
    import pyarrow as pa

#: Problems and the error are the one type every importer uses (``cchc.tables``);
#: ``LedgerImportError`` is its name in the dossier importers.
LedgerImportError = TableError


class Checker:
    """Collects problems from boolean masks without looping over good rows."""

    def __init__(self, file: str, first_row: int) -> None:
        self.file, self.first_row = file, first_row
        self.problems: list[Problem] = []
        self.total = 0
        #: Cells that held text, per column, so an unreadable cell is not also "empty".
        self.present: dict[str, pa.Array | pa.ChunkedArray] = {}

    def add(self, column: str | None, reason: str) -> None:
        self.total += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.file, None, column, reason))

    def mask(
        self, mask: pa.Array | pa.ChunkedArray, column: str, reason: Callable[[object], str],
        values: pa.Array | pa.ChunkedArray | None = None,
    ) -> None:
        import pyarrow.compute as pc

        mask = pc.fill_null(mask, False)
        count = pc.sum(mask).as_py() or 0
        if not count:
            return
        self.total += count
        room = MAX_PROBLEMS - len(self.problems)
        if room <= 0:
            return
        where = pc.indices_nonzero(mask)[:room]
        shown = pc.take(values, where).to_pylist() if values is not None else [None] * len(where)
        for index, value in zip(where.to_pylist(), shown, strict=True):
            self.problems.append(Problem(self.file, index + self.first_row, column, reason(value)))

    def required(self, values: pa.Array | pa.ChunkedArray, column: str) -> None:
        """Report the empty cells of a required column.

        A cell that held text the converter could not read is already reported as
        unreadable, so it is not also called empty.
        """
        import pyarrow.compute as pc

        empty = pc.is_null(values)
        if column in self.present:
            empty = pc.and_(empty, pc.invert(self.present[column]))
        self.mask(empty, column, lambda _v: "trống (cột bắt buộc)")


__all__ = ["MAX_PROBLEMS", "Checker", "LedgerImportError", "Problem"]
