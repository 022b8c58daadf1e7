"""What every command of the command line shows the same way: unit names beside their codes,
level names in Vietnamese, a sentence when there is nothing to show, the choices of
``--format``, JSON and text written to ``--output`` or the screen, and a refusal of bad input.

The words come from the core (the unit registry, ``cchc.par.levels``); this module only
puts them on screen, so a command adds a name column, an empty-result line or an error in
one call.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any, NoReturn

import typer

__all__ = [
    "OutputFormat",
    "ScreenFormat",
    "SheetFormat",
    "emit",
    "fail",
    "json_text",
    "level_name",
    "nothing",
    "refuse",
    "unit_label",
    "unit_name",
]


class OutputFormat(StrEnum):
    """``--format`` of a command that writes a table as JSON, CSV, a workbook or on screen."""

    json = "json"
    csv = "csv"
    xlsx = "xlsx"
    table = "table"


class SheetFormat(StrEnum):
    """``--format`` of a command with no CSV form (its result is more than one flat table)."""

    json = "json"
    table = "table"
    xlsx = "xlsx"


class ScreenFormat(StrEnum):
    """``--format`` of a command that only prints."""

    json = "json"
    table = "table"


def json_text(doc: Any) -> str:
    """A result as the commands print JSON: Vietnamese letters as they are, indented."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def emit(text: str, output: Path | None) -> None:
    """Text to ``--output`` when given, else to standard output."""
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")


def fail(message: str, code: int = 2) -> NoReturn:
    """Bad input: "Lỗi: message" on stderr and exit status 2, never a traceback."""
    refuse(f"Lỗi: {message}", code)


def refuse(text: str, code: int = 2) -> NoReturn:
    """Like ``fail`` for a message worded in full already (the core's problems, one a line)."""
    typer.echo(text, err=True)
    raise typer.Exit(code)


@cache
def _registry():  # type: ignore[no-untyped-def]
    from cchc.units import national_registry

    return national_registry()


def unit_name(code: str) -> str:
    """The unit's name from the national registry (official codes, ids and the demo's codes);
    "" for a code it does not know."""
    registry = _registry()
    return registry.get(code).name if code in registry else ""


def unit_label(code: str) -> str:
    """ "BSO (Phường Bồng Sơn)": the code a file uses with the name an officer knows."""
    name = unit_name(code)
    return f"{code} ({name})" if name else code


def level_name(level: str) -> str:
    """ "cấp huyện" for ``district``: the words the reports use (cchc.par.levels)."""
    from cchc.par.levels import LEVELS

    found = LEVELS.get(level)
    return found.label if found is not None else level


def nothing(what: str) -> None:
    """An empty result says so, instead of an empty table."""
    typer.echo(f"Không có {what}.")
