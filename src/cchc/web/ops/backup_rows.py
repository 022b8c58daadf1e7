"""The rows of one table in a ``cchc-backup/2`` archive, streamed out and streamed back in.

A member ``data/NNN_app.model.jsonl`` is UTF-8 JSON Lines::

    {"model": "desk.dossier", "columns": ["id", "code", …], "natural_keys": {}}
    [[1, "HNH-250102-0001", …, "2025-01-02T01:30:00.123456Z", …], [2, …], …]
    …

The first line names the model and its columns (the fields' ``attname``, in the model's
field order); every further line holds up to ``CHUNK`` rows as arrays. Times are ISO 8601
with their microseconds; decimals and UUIDs are strings, durations whole microseconds,
binary data base64. Columns referring to content types or permissions hold natural keys
(``["desk", "dossier"]``, ``["view_dossier", "desk", "dossier"]``): ``migrate`` numbers
those rows differently in each database.

Why not Django's JSON fixtures (format ``cchc-backup/1``): ``loaddata`` reads a whole
fixture into memory and saves one model instance at a time, and the serializer builds a
model instance per row: at 100,000 dossiers a restore took ten minutes and 0.7 GiB, and
grew with the ledger. Here rows are read with ``values_list`` in chunks, written a chunk per
line into the ZIP as they come, and loaded back a line at a time (COPY on PostgreSQL,
``executemany`` elsewhere), so memory stays flat whatever the ledger's size
(docs/operations.md has the figures). Values go through each field's own database
preparation (``get_db_prep_save``), as a ``save()`` would, except where a faster path gives
the same stored value: times are printed by the database itself when read, SQLite gets
Django's own text for them, and COPY passes PostgreSQL the archived text of times,
decimals and UUIDs to parse.
"""

from __future__ import annotations

import base64
import json
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import partial
from itertools import islice
from typing import IO, Any, Protocol

from django.conf import settings
from django.db import connection, models
from django.db.models import Func

CHUNK = 1000  # rows per line: one json.dumps / json.loads call each

# Rows referring to these are written with natural keys (``migrate`` recreates them).
NATURAL_KEY_MODELS = frozenset({"contenttypes.contenttype", "auth.permission"})

# Field kinds whose JSON value is already what the database driver takes.
_PLAIN = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "SmallAutoField",
        "IntegerField",
        "BigIntegerField",
        "SmallIntegerField",
        "PositiveIntegerField",
        "PositiveBigIntegerField",
        "PositiveSmallIntegerField",
        "CharField",
        "TextField",
        "SlugField",
        "EmailField",
        "URLField",
        "BooleanField",
    }
)

# What COPY can pass to PostgreSQL as the archived text ("2025-12-30T08:15:42.123456Z",
# "8000", …): its own input parsing is faster than building Python objects first.
_POSTGRESQL_PARSES = frozenset(
    {"DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField"}
)

Convert = Callable[[Any], Any]


class Sink(Protocol):
    """Where a table's bytes go (a ZIP member, through the backup's member writer)."""

    def write(self, data: bytes, /) -> int: ...


class TableError(ValueError):
    """A member cannot be loaded into this database; the message says why (Vietnamese)."""


def columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The stored columns of ``model``, in the model's field order."""
    if model._meta.parents:
        # Never the case in cchc; a multi-table child's rows would need its parents' too.
        raise TypeError(f"{model._meta.label}: multi-table inheritance is not backed up")
    return list(model._meta.concrete_fields)


def link_models(ordered: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The automatic many-to-many link tables of ``ordered`` (user ↔ groups, …)."""
    out: list[type[models.Model]] = []
    for model in ordered:
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through._meta.auto_created and through not in out:
                out.append(through)
    return out


def _stored_kind(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    """The field whose type a column holds (a foreign key holds its target's)."""
    while field.is_relation and field.target_field is not field:  # type: ignore[attr-defined]
        field = field.target_field  # type: ignore[attr-defined]
    return field


def _natural_key_model(field: models.Field[Any, Any]) -> str | None:
    if field.is_relation and field.related_model is not None:
        label = field.related_model._meta.label_lower  # type: ignore[union-attr]
        if label in NATURAL_KEY_MODELS:
            return str(label)
    return None


# -- out ----------------------------------------------------------------------------------


class _UtcIsoText(Func):
    """A datetime column as the JSON text of its value, made by the database itself: parsing
    every time into Python and printing it back was half of a backup's time.

    Only for SQLite and PostgreSQL with ``USE_TZ`` and the connection in UTC (how cchc runs;
    see ``_times_travel_as_text``). SQLite holds Django's own text, naive UTC
    ``YYYY-MM-DD HH:MM:SS[.ffffff]``; PostgreSQL prints ``YYYY-MM-DDTHH:MM:SS.ffffffZ``.
    """

    output_field = models.TextField()

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        template = "REPLACE(%(expressions)s, ' ', 'T') || 'Z'"
        return self.as_sql(compiler, conn, template=template, **extra)

    def as_postgresql(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        template = (
            "TO_CHAR(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        )
        return self.as_sql(compiler, conn, template=template, **extra)


def _times_travel_as_text() -> bool:
    """Whether times can travel as text here: SQLite or PostgreSQL, ``USE_TZ``, the connection
    in UTC (_UtcIsoText on the way out; _sqlite_text and COPY on the way in)."""
    return (
        bool(settings.USE_TZ)
        and connection.vendor in ("sqlite", "postgresql")
        and connection.timezone_name == "UTC"
    )


def _to_json(value: Any) -> Any:
    """JSON form of the values ``json`` cannot write itself (called by its C encoder)."""
    if isinstance(value, datetime):
        text = value.isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, timedelta):
        return (value.days * 86_400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


_dumps = partial(json.dumps, ensure_ascii=False, separators=(",", ":"), default=_to_json)


def natural_keys() -> dict[str, dict[Any, list[Any]]]:
    """Primary key → natural key of every content type and permission in this database."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    return {
        "contenttypes.contenttype": {
            ct.pk: list(ct.natural_key()) for ct in ContentType.objects.all()
        },
        "auth.permission": {
            p.pk: list(p.natural_key()) for p in Permission.objects.select_related("content_type")
        },
    }


def write_table(model: type[models.Model], out: Sink, keys: dict[str, dict[Any, list[Any]]]) -> int:
    """Write every row of ``model`` to ``out`` (header line, then chunks); return the count."""
    fields = columns(model)
    names = [f.attname for f in fields]
    natural = {f.attname: n for f in fields if (n := _natural_key_model(f))}
    header = {"model": model._meta.label_lower, "columns": names, "natural_keys": natural}
    out.write(_dumps(header).encode() + b"\n")
    swaps = [(names.index(col), keys[label]) for col, label in natural.items()]
    in_sql = _times_travel_as_text()
    select = [
        _UtcIsoText(f.attname)
        if in_sql and _stored_kind(f).get_internal_type() == "DateTimeField"
        else f.attname
        for f in fields
    ]
    rows = model._base_manager.order_by("pk").values_list(*select).iterator(chunk_size=CHUNK)
    count = 0
    while chunk := list(islice(rows, CHUNK)):
        if swaps:
            chunk = [list(r) for r in chunk]
            for row in chunk:
                for i, by_pk in swaps:
                    if row[i] is not None:
                        row[i] = by_pk[row[i]]
        out.write(_dumps(chunk).encode() + b"\n")
        count += len(chunk)
    return count


# -- in -----------------------------------------------------------------------------------


def _from_json(field: models.Field[Any, Any]) -> Convert | None:
    """JSON value → the Python value the field holds (None: it already is)."""
    kind = _stored_kind(field).get_internal_type()
    decoders: dict[str, Convert] = {
        "DateTimeField": datetime.fromisoformat,
        "DateField": date.fromisoformat,
        "TimeField": time.fromisoformat,
        "DecimalField": Decimal,
        "UUIDField": uuid.UUID,
        "DurationField": lambda v: timedelta(microseconds=v),
        "BinaryField": base64.b64decode,
    }
    return decoders.get(kind)


def _sqlite_text(value: str) -> str:
    """``2025-12-30T08:15:42.123456Z`` → ``2025-12-30 08:15:42.123456``, the text Django's
    SQLite back-end stores for that time (naive UTC, no fraction when it is zero), without
    a round trip through ``datetime``."""
    if value[-1:] != "Z" or len(value) not in (20, 27):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return str(moment)
    text = value[:-1].replace("T", " ", 1)
    return text[:-7] if text.endswith(".000000") else text


def _to_database(field: models.Field[Any, Any]) -> Convert | None:
    """Python value → what the driver takes, as ``save()`` prepares it (None: as is)."""
    kind = _stored_kind(field).get_internal_type()
    ops = connection.ops
    if kind in _PLAIN:
        return None
    # The decoded value already has the field's type, so only the back-end's adaptation
    # of get_db_prep_save remains (PostgreSQL takes datetimes as they are).
    if kind == "DateTimeField":
        return None if connection.vendor == "postgresql" else ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "TimeField":
        return ops.adapt_timefield_value
    return partial(field.get_db_prep_save, connection=connection)


def _psycopg3() -> bool:
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    return bool(is_psycopg3)


def _compose(first: Convert | None, then: Convert | None) -> Convert | None:
    if first is None or then is None:
        return first or then
    return lambda v: then(first(v))


class TableLoader:
    """Loads one member's rows into the model's table: COPY on PostgreSQL, else one
    prepared INSERT run for every row of a chunk (``executemany``)."""

    def __init__(self, model: type[models.Model], header: dict[str, Any]) -> None:
        fields = columns(model)
        names = [f.attname for f in fields]
        if header.get("columns") != names:
            raise TableError(
                f"các cột {header.get('columns')} không khớp bảng "
                f"{model._meta.db_table} của phiên bản này ({names})"
            )
        self.model = model
        self.converts: list[tuple[int, Convert]] = []
        times_as_text = _times_travel_as_text()
        self.copy = connection.vendor == "postgresql" and _psycopg3()
        for i, field in enumerate(fields):
            kind = _stored_kind(field).get_internal_type()
            if times_as_text and kind == "DateTimeField" and connection.vendor == "sqlite":
                self.converts.append((i, _sqlite_text))
                continue
            if times_as_text and self.copy and kind in _POSTGRESQL_PARSES:
                continue  # COPY hands PostgreSQL the archived text, which it parses itself
            convert = _compose(_from_json(field), _to_database(field))
            if convert is not None:
                self.converts.append((i, convert))
        self.swaps: list[tuple[int, str, dict[tuple[Any, ...], Any]]] = []
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        column_sql = ", ".join(quote(f.column) for f in fields)
        self.copy_sql = f"COPY {table} ({column_sql}) FROM STDIN"
        self.insert_sql = (
            f"INSERT INTO {table} ({column_sql}) VALUES ({', '.join(['%s'] * len(fields))})"
        )
        self.natural = dict(header.get("natural_keys") or {})

    def use_natural_keys(self, ids: dict[str, dict[tuple[Any, ...], Any]]) -> None:
        """Map natural-key columns to this database's ids (``ids``: label → key → pk)."""
        names = [f.attname for f in columns(self.model)]
        self.swaps = [(names.index(col), label, ids[label]) for col, label in self.natural.items()]

    def load(self, lines: Iterable[bytes]) -> int:
        """Insert every row of the member's remaining lines; return how many."""
        count = 0
        with connection.cursor() as cursor:
            if self.copy:
                # psycopg 3's COPY: five to eight times faster than INSERTs here, with the
                # same prepared values (psycopg adapts them as it would for an INSERT).
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for line in lines:
                        rows = self._rows(line)
                        for row in rows:
                            copy.write_row(row)
                        count += len(rows)
                return count
            for line in lines:
                rows = self._rows(line)
                cursor.executemany(self.insert_sql, rows)
                count += len(rows)
        return count

    def _rows(self, line: bytes) -> list[list[Any]]:
        rows: list[list[Any]] = json.loads(line)
        self._convert(rows)
        return rows

    def _convert(self, rows: list[list[Any]]) -> None:
        for i, label, by_key in self.swaps:
            for row in rows:
                if row[i] is not None:
                    key = tuple(row[i])
                    if key not in by_key:
                        raise TableError(f"{label} {list(key)} không có trong cơ sở dữ liệu đích")
                    row[i] = by_key[key]
        for i, convert in self.converts:
            for row in rows:
                if row[i] is not None:
                    row[i] = convert(row[i])


def lines(member: IO[bytes]) -> Iterator[bytes]:
    """The lines of a ZIP member, read in large blocks (ZipExtFile.readline peeks in small
    steps: a quarter of a restore's time before)."""
    rest = b""
    while block := member.read(1 << 20):
        *whole, rest = (rest + block).split(b"\n")
        yield from whole
    if rest:
        yield rest


def natural_ids() -> dict[str, dict[tuple[Any, ...], Any]]:
    """Natural key → primary key of every content type and permission in this database."""
    return {
        label: {tuple(key): pk for pk, key in by_pk.items()}
        for label, by_pk in natural_keys().items()
    }
