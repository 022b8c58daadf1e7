"""Optional columns beyond the interchange contract, for the Circular 01/2018 score.

They are never required and never added when absent, so a ledger without them keeps
exactly the contract's columns (docs/service.md). When present they are validated like the others
and appended after the contract's columns:

- ``contacts`` (integer ≥ 0): times the citizen had to contact the agency to complete the
  dossier (Circular 01/2018 Art. 13, indicator 3);
- ``agencies`` (integer ≥ 0): agencies the citizen had to contact (indicator 4);
- ``steps_late`` (integer ≥ 0): steps of the process-control sheet (form 05) handled after
  their share of the time limit (indicator 2);
- ``at_one_stop`` (true/false): the whole procedure was done at the one-stop shop
  (indicator 5). Empty = missing (not false): the indicator then has no data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import ibis.backends
    import ibis.expr.types as ir

EXTENSION_COLUMNS: Final[tuple[tuple[str, str], ...]] = (
    ("contacts", "int64"),
    ("agencies", "int64"),
    ("steps_late", "int64"),
    ("at_one_stop", "boolean"),
)
EXTENSION_NAMES: Final = tuple(name for name, _ in EXTENSION_COLUMNS)


def extended_table(con: ibis.backends.BaseBackend, name: str = "dossiers") -> ir.Table:
    """The unbound ledger table: the contract's columns plus the optional ones ``con`` has.

    Expressions test ``table.columns`` to use an optional column only where it exists, so
    one expression serves ledgers with and without them.
    """
    import ibis

    from cchc.service.schema import COLUMNS

    present = set(con.table(name).columns)
    schema = dict(COLUMNS) | {n: kind for n, kind in EXTENSION_COLUMNS if n in present}
    return ibis.table(schema, name=name)
