"""One validated settings object for the web application, read from the environment.

Django's settings module (``cchc.web.settings``) is built from ``Settings.from_env()`` and
nothing else, so every knob is listed, typed and checked here (docs/web.md documents each
one; a test fails when one is missing there). In production the object refuses to exist
with a missing or placeholder secret key or without allowed hosts.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from cchc.tables import DEFAULT_LIMITS, TableLimits

ENVIRONMENTS = ("development", "test", "production")

# Values people copy from examples and forget to change; never accepted in production.
PLACEHOLDER_SECRETS = frozenset(
    {
        "",
        "changeme",
        "change-me",
        "changethis",
        "secret",
        "secret-key",
        "your-secret-key",
        "django-insecure",
        "xxx",
    }
)
MIN_SECRET_LENGTH = 32
# Survey figures of a unit with fewer respondents are withheld (cchc.surveys.disclosure).
# Assumed: a common small-cell threshold in official statistics; small enough that a
# commune's sample (n = N / (1 + N e²), tens of people) reaches it.
DEFAULT_SURVEY_MIN_RESPONDENTS = 10

# Every variable the application reads, with a one-line meaning (docs/web.md repeats them).
ENV_VARS: dict[str, str] = {
    "CCHC_ENV": "development | test | production (default development)",
    "CCHC_SECRET_KEY": "Django secret key; required (≥ 32 characters, not a placeholder) in production",
    "CCHC_DATA_DIR": "folder for the SQLite file, uploads and the generated dev key (default ./var)",
    "DATABASE_URL": "sqlite:///path or postgresql://user:password@host:port/name (default SQLite in the data dir)",
    "CCHC_ALLOWED_HOSTS": "comma-separated host names served; required in production",
    "CCHC_PUBLIC_URL": "the site's address as citizens reach it (https://motcua.example.vn), printed on the desk's papers as the look-up address; empty = the address of the officer's request",
    "CCHC_DEMO_UNIT_CODES": "official (default) | home-made: cchc serve --demo stores its units under their official registry ids, or under the made-up codes of its files (HNH, BSO) as before",
    "CCHC_CSRF_TRUSTED_ORIGINS": "comma-separated origins (https://cchc.example.vn) for forms behind a proxy",
    "CCHC_DEBUG": "1 to show Django debug pages (never in production)",
    "CCHC_SUPPLEMENT_RESTART": "1 (default): a completed supplement recomputes the dossier's appointment from that moment (Decree 61/2018); 0: the appointment stays",
    "CCHC_BEHIND_PROXY": "1 when a reverse proxy sets X-Forwarded-Proto (trust it for HTTPS detection)",
    "CCHC_TRUSTED_PROXIES": "number of reverse proxies that append to X-Forwarded-For (default 1 with CCHC_BEHIND_PROXY, else 0)",
    "CCHC_PROXY_ADDRESS": "address of the reverse proxy whose X-Forwarded-* headers cchc serve trusts (default 127.0.0.1; * = any peer, only when nothing else can reach the port)",
    "CCHC_UPLOAD_MAX_MB": "largest uploaded file accepted (evidence, score, answer and ledger files), in megabytes (default 20)",
    "CCHC_TABLE_MAX_ROWS": "rows of an uploaded CSV/XLSX/Parquet table, declared or real (default 1048576)",
    "CCHC_TABLE_MAX_COLUMNS": "columns of an uploaded CSV/XLSX table (default 16384)",
    "CCHC_TABLE_MAX_CELLS": "rows × columns of an uploaded spreadsheet's range, declared or real (default 5000000)",
    "CCHC_TABLE_MAX_UNCOMPRESSED_MB": "an uploaded XLSX once decompressed, in megabytes (default 512)",
    "CCHC_STATIC_ROOT": "where collected static files go (default <data dir>/static)",
    "CCHC_CACHE_URL": "cache shared by the server's processes (rate limits, cached pages): empty = each process's memory, database, or redis://host:6379/0; needed by cchc serve --workers > 1",
    "CCHC_PERSONAL_DATA_RETENTION_DAYS": "days after a dossier ends before its applicant's name, phone, address are erased (default unset = keep)",
    "CCHC_ACCOUNT_RETENTION_DAYS": "days after a deactivated account's last activity before it is anonymised (default unset = keep)",
    "CCHC_SURVEY_MIN_RESPONDENTS": "fewest respondents a unit needs before its survey figures are shown to non-organisers and its points published (default 10)",
    "CCHC_SURVEY_TOKEN_RETENTION_DAYS": "days after a survey closes before its respondents are unlinked from tokens and dossiers (default unset = keep)",
    "CCHC_BACKUP_KEY": "secret (≥ 32 characters) that signs backups (HMAC-SHA256 of the manifest) and that restore checks (default unset = unsigned)",
    "CCHC_LOGIN_MAX_FAILURES": "failed log-ins allowed per account and address within the window before the log-in answers 429 (default 5)",
    "CCHC_LOGIN_MAX_FAILURES_PER_ADDRESS": "failed log-ins allowed per address, whatever the account, within the window (default 20)",
    "CCHC_LOGIN_WINDOW_SECONDS": "the window of the log-in limits, in seconds (default 900)",
    "CCHC_LOOKUP_PER_MINUTE": "public dossier look-ups and ratings allowed per address and minute (default 20)",
    "CCHC_SERVICE_INDEX_PER_MINUTE": "calls of GET /api/v1/service/index allowed per user and minute (default 30)",
    "CCHC_SERVICE_INDEX_CACHE_SECONDS": "how long an answer of GET /api/v1/service/index is kept, in seconds (default 60; 0 = not kept)",
}


class ConfigError(ValueError):
    """The environment does not describe a safe, working configuration."""


@dataclass(frozen=True)
class Database:
    """A database connection in Django's terms."""

    engine: str
    name: str
    user: str = ""
    password: str = ""
    host: str = ""
    port: str = ""
    options: dict[str, str] = field(default_factory=dict)

    def as_django(self, *, persistent: bool = True) -> dict[str, Any]:
        """The ``DATABASES['default']`` dict; ``persistent`` keeps PostgreSQL connections
        open between requests (off in tests, so the test database can be dropped)."""
        out: dict[str, Any] = {"ENGINE": self.engine, "NAME": self.name}
        if self.engine.endswith("postgresql"):
            out.update(USER=self.user, PASSWORD=self.password, HOST=self.host, PORT=self.port)
            if self.options:
                out["OPTIONS"] = dict(self.options)
            # Several requests at once under waitress: keep connections for a minute.
            out["CONN_MAX_AGE"] = 60 if persistent else 0
            out["CONN_HEALTH_CHECKS"] = True
        else:
            # SQLite under a threaded server: wait for the write lock instead of failing.
            out["OPTIONS"] = {"timeout": 20}
        return out


def create_private_sqlite(database: Database) -> None:
    """Create a missing SQLite file readable by its owner only (0600) before SQLite does.

    SQLite creates the file with the process's umask (usually 0644: readable by every local
    account), and the file holds password hashes and applicants' personal data. SQLite gives
    its journal and WAL files the database file's mode. An existing file is left as it is.
    """
    if not database.engine.endswith("sqlite3") or database.name in ("", ":memory:"):
        return
    path = Path(database.name)
    if path.exists() or not path.parent.is_dir():
        return
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first
        return
    os.close(fd)


def parse_database_url(url: str, *, base_dir: Path) -> Database:
    """``sqlite:///relative.db``, ``sqlite:////abs.db``, ``postgresql://u:p@h:5432/db?sslmode=require``."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        raw = unquote(parts.path)
        if raw in ("", "/"):
            raise ConfigError(f"DATABASE_URL {url!r}: thiếu tên tệp SQLite")
        if raw == "/:memory:":
            return Database("django.db.backends.sqlite3", ":memory:")
        # sqlite:///x.db → path "/x.db" (relative); sqlite:////abs/x.db → "//abs/x.db".
        path = Path(raw[1:])
        if not path.is_absolute():
            path = base_dir / path
        return Database("django.db.backends.sqlite3", str(path))
    if scheme in ("postgres", "postgresql", "pgsql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(f"DATABASE_URL {url!r}: thiếu tên cơ sở dữ liệu")
        return Database(
            "django.db.backends.postgresql",
            name,
            user=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            host=parts.hostname or "",
            port=str(parts.port or ""),
            options=dict(parse_qsl(parts.query)),
        )
    raise ConfigError(f"DATABASE_URL {url!r}: chỉ hỗ trợ sqlite:// và postgresql://")


CACHE_TABLE = "cchc_cache"


def parse_cache_url(url: str) -> dict[str, Any]:
    """``CCHC_CACHE_URL`` → Django's ``CACHES['default']``.

    Login and look-up rate limits count in the cache, so processes that do not share it
    each allow the full limit: one process (``cchc serve``'s default) may keep it in its own
    memory; several (``--workers``, several servers) need the database or Redis.
    """
    value = url.strip()
    if value in ("", "memory", "locmem"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if value in ("database", "db"):
        # The table is created by `cchc serve` (createcachetable) next to the migrations.
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": CACHE_TABLE}
    if urlsplit(value).scheme in ("redis", "rediss", "unix"):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": value}
    raise ConfigError(
        f"CCHC_CACHE_URL={url!r}: chỉ nhận giá trị trống (bộ nhớ của tiến trình), "
        "database hoặc redis://máy:cổng/số"
    )


def _flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"{name}={raw!r}: giá trị phải là 1/0, true/false, yes/no hoặc on/off")


def _csv(environ: Mapping[str, str], name: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in environ.get(name, "").split(",") if item.strip())


def _public_url(environ: Mapping[str, str]) -> str:
    """``CCHC_PUBLIC_URL``: an http(s) address with a host and nothing after the path, kept
    without its final slash; unset or empty = ""."""
    raw = environ.get("CCHC_PUBLIC_URL", "").strip()
    if not raw:
        return ""
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"CCHC_PUBLIC_URL={raw!r}: phải là địa chỉ http:// hoặc https:// có tên miền, "
            "không có ? hay # (ví dụ https://motcua.example.vn)"
        )
    return raw.rstrip("/")


def _days(environ: Mapping[str, str], name: str) -> int | None:
    """A retention period in whole days; unset or empty = ``None`` (keep everything)."""
    raw = environ.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ConfigError(f"{name}={raw!r}: phải là số ngày nguyên không âm (để trống: không xóa)")
    return int(raw)


def _is_ip_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _table_limits(environ: Mapping[str, str]) -> TableLimits:
    """``TableLimits`` for uploads: each CCHC_TABLE_* variable, or the core's default."""
    values: dict[str, int] = {}
    for name, field_name, unit in (
        ("CCHC_TABLE_MAX_ROWS", "max_rows", 1),
        ("CCHC_TABLE_MAX_COLUMNS", "max_columns", 1),
        ("CCHC_TABLE_MAX_CELLS", "max_cells", 1),
        ("CCHC_TABLE_MAX_UNCOMPRESSED_MB", "max_uncompressed_bytes", 1024 * 1024),
    ):
        raw = environ.get(name, "").strip()
        if not raw:
            continue
        if not raw.isdigit() or int(raw) <= 0:
            raise ConfigError(f"{name}={raw!r}: phải là số nguyên dương")
        values[field_name] = int(raw) * unit
    limits = replace(DEFAULT_LIMITS, **values)
    # The server also bounds the rows of CSV and Parquet uploads (ledgers, answers).
    return replace(limits, max_file_rows=limits.max_rows)


def _count(
    environ: Mapping[str, str], name: str, default: int, maximum: int, minimum: int = 1
) -> int:
    """A limit: a whole number from ``minimum`` to ``maximum``; unset or empty = ``default``."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        raise ConfigError(f"{name}={raw!r}: phải là số nguyên từ {minimum} đến {maximum}")
    return int(raw)


def _positive(environ: Mapping[str, str], name: str, default: int) -> int:
    """A whole number ≥ 1; unset or empty = ``default``."""
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise ConfigError(f"{name}={raw!r}: phải là số nguyên từ 1 trở lên")
    return int(raw)


def _dev_secret(data_dir: Path) -> str:
    """A random key kept in the data dir, so sessions survive restarts on a laptop."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key + "\n", encoding="utf-8")
    path.chmod(0o600)
    return key


@dataclass(frozen=True)
class Settings:
    """Everything the web application can be told from outside, validated."""

    env: str
    secret_key: str
    data_dir: Path
    database: Database
    allowed_hosts: tuple[str, ...]
    csrf_trusted_origins: tuple[str, ...]
    debug: bool
    behind_proxy: bool
    upload_max_bytes: int
    static_root: Path
    # Reverse proxies that append to X-Forwarded-For; 0 = ignore the header (it is forgeable).
    trusted_proxies: int = 0
    # The peer whose X-Forwarded-* headers waitress accepts (cchc serve); others are dropped.
    proxy_address: str = "127.0.0.1"
    # Decree 61 restart of the appointment after a completed supplement (docs/desk.md).
    supplement_restart: bool = True
    # Django's CACHES['default'] (parse_cache_url); the default is this process's memory.
    cache: dict[str, Any] = field(
        default_factory=lambda: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
    # Personal-data retention periods in days (cchc privacy erase); None = keep.
    personal_data_retention_days: int | None = None
    account_retention_days: int | None = None
    survey_token_retention_days: int | None = None
    # Signs backups (cchc.web.ops.backup); None = archives carry checksums only.
    backup_key: str | None = None
    # The public address printed on the desk's papers (look-up); "" = the request's own.
    public_url: str = ""
    # The demo's units: "official" registry ids, or "home-made" (the codes of its files).
    demo_unit_codes: str = "official"
    # Largest table an upload may hold (checked before a spreadsheet is decoded).
    table_limits: TableLimits = DEFAULT_LIMITS
    # Rate limits (assumed values; docs/security.md): failed log-ins per account and address,
    # per address, within a window in seconds; public look-ups per address and minute.
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_window_seconds: int = 900
    lookup_per_minute: int = 20
    # GET /api/v1/service/index: calls per user and minute, seconds an answer is kept.
    service_index_per_minute: int = 30
    service_index_cache_seconds: int = 60
    # A unit's survey figures are published from this many respondents up (assumed default).
    survey_min_respondents: int = DEFAULT_SURVEY_MIN_RESPONDENTS

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def shared_cache(self) -> bool:
        """Whether every process of the server sees the same cache (``--workers`` > 1)."""
        return not self.cache["BACKEND"].endswith("LocMemCache")

    @property
    def media_root(self) -> Path:
        return self.data_dir / "uploads"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and check the environment; raise ``ConfigError`` naming the variable at fault."""
        env_map: Mapping[str, str] = os.environ if environ is None else environ
        env = env_map.get("CCHC_ENV", "development").strip().lower() or "development"
        if env not in ENVIRONMENTS:
            raise ConfigError(f"CCHC_ENV={env!r}: phải là một trong {', '.join(ENVIRONMENTS)}")
        production = env == "production"

        data_dir = Path(env_map.get("CCHC_DATA_DIR", "var")).expanduser().resolve()

        secret = env_map.get("CCHC_SECRET_KEY", "").strip()
        if production:
            lowered = secret.lower()
            if (
                lowered in PLACEHOLDER_SECRETS
                or lowered.startswith("django-insecure")
                or "change" in lowered
                or len(set(secret)) < 8
            ):
                raise ConfigError(
                    "CCHC_SECRET_KEY chưa đặt hoặc là giá trị mẫu; môi trường production cần một "
                    "khóa bí mật ngẫu nhiên (ví dụ: python3 -c 'import secrets; "
                    "print(secrets.token_urlsafe(50))')"
                )
            if len(secret) < MIN_SECRET_LENGTH:
                raise ConfigError(
                    f"CCHC_SECRET_KEY chỉ có {len(secret)} ký tự; production cần ít nhất "
                    f"{MIN_SECRET_LENGTH}"
                )
        elif not secret:
            secret = _dev_secret(data_dir)

        db_url = env_map.get("DATABASE_URL", "").strip()
        database = (
            parse_database_url(db_url, base_dir=Path.cwd())
            if db_url
            else Database("django.db.backends.sqlite3", str(data_dir / "cchc.sqlite3"))
        )

        hosts = _csv(env_map, "CCHC_ALLOWED_HOSTS")
        if not hosts:
            if production:
                raise ConfigError(
                    "CCHC_ALLOWED_HOSTS trống; môi trường production phải khai báo tên miền phục vụ"
                )
            hosts = ("localhost", "127.0.0.1", "[::1]", "testserver")

        debug = _flag(env_map, "CCHC_DEBUG")
        if debug and production:
            raise ConfigError("CCHC_DEBUG phải tắt khi CCHC_ENV=production")

        raw_mb = env_map.get("CCHC_UPLOAD_MAX_MB", "20").strip()
        try:
            upload_mb = float(raw_mb)
        except ValueError as exc:
            raise ConfigError(f"CCHC_UPLOAD_MAX_MB={raw_mb!r}: không phải là số") from exc
        if not 0 < upload_mb <= 1024:
            raise ConfigError(f"CCHC_UPLOAD_MAX_MB={raw_mb!r}: phải lớn hơn 0 và không quá 1024")

        static_root = Path(env_map.get("CCHC_STATIC_ROOT", "") or data_dir / "static")

        behind_proxy = _flag(env_map, "CCHC_BEHIND_PROXY")
        raw_proxies = env_map.get("CCHC_TRUSTED_PROXIES", "").strip()
        if raw_proxies:
            if not raw_proxies.isdigit() or int(raw_proxies) > 10:
                raise ConfigError(
                    f"CCHC_TRUSTED_PROXIES={raw_proxies!r}: phải là số nguyên từ 0 đến 10"
                )
            trusted_proxies = int(raw_proxies)
        else:
            trusted_proxies = 1 if behind_proxy else 0

        proxy_address = env_map.get("CCHC_PROXY_ADDRESS", "").strip() or "127.0.0.1"
        if proxy_address != "*" and not _is_ip_address(proxy_address):
            raise ConfigError(
                f"CCHC_PROXY_ADDRESS={proxy_address!r}: phải là một địa chỉ IP (ví dụ 127.0.0.1) "
                "hoặc *"
            )

        backup_key = env_map.get("CCHC_BACKUP_KEY", "").strip() or None
        if backup_key is not None and len(backup_key) < MIN_SECRET_LENGTH:
            raise ConfigError(
                f"CCHC_BACKUP_KEY chỉ có {len(backup_key)} ký tự; cần ít nhất {MIN_SECRET_LENGTH} "
                "(ví dụ: python3 -c 'import secrets; print(secrets.token_urlsafe(32))')"
            )

        public_url = _public_url(env_map)
        demo_unit_codes = env_map.get("CCHC_DEMO_UNIT_CODES", "").strip() or "official"
        if demo_unit_codes not in ("official", "home-made"):
            raise ConfigError(
                f"CCHC_DEMO_UNIT_CODES={demo_unit_codes!r}: chọn official hoặc home-made"
            )

        return cls(
            env=env,
            public_url=public_url,
            demo_unit_codes=demo_unit_codes,
            secret_key=secret,
            data_dir=data_dir,
            database=database,
            allowed_hosts=hosts,
            csrf_trusted_origins=_csv(env_map, "CCHC_CSRF_TRUSTED_ORIGINS"),
            debug=debug,
            behind_proxy=behind_proxy,
            upload_max_bytes=int(upload_mb * 1024 * 1024),
            static_root=static_root.expanduser().resolve(),
            trusted_proxies=trusted_proxies,
            proxy_address=proxy_address,
            supplement_restart=_flag(env_map, "CCHC_SUPPLEMENT_RESTART", default=True),
            cache=parse_cache_url(env_map.get("CCHC_CACHE_URL", "")),
            personal_data_retention_days=_days(env_map, "CCHC_PERSONAL_DATA_RETENTION_DAYS"),
            account_retention_days=_days(env_map, "CCHC_ACCOUNT_RETENTION_DAYS"),
            survey_token_retention_days=_days(env_map, "CCHC_SURVEY_TOKEN_RETENTION_DAYS"),
            backup_key=backup_key,
            table_limits=_table_limits(env_map),
            login_max_failures=_count(env_map, "CCHC_LOGIN_MAX_FAILURES", 5, 1000),
            login_max_failures_per_address=_count(
                env_map, "CCHC_LOGIN_MAX_FAILURES_PER_ADDRESS", 20, 100_000
            ),
            login_window_seconds=_count(env_map, "CCHC_LOGIN_WINDOW_SECONDS", 900, 86_400),
            lookup_per_minute=_count(env_map, "CCHC_LOOKUP_PER_MINUTE", 20, 100_000),
            service_index_per_minute=_count(env_map, "CCHC_SERVICE_INDEX_PER_MINUTE", 30, 100_000),
            service_index_cache_seconds=_count(
                env_map, "CCHC_SERVICE_INDEX_CACHE_SECONDS", 60, 86_400, minimum=0
            ),
            survey_min_respondents=_positive(
                env_map, "CCHC_SURVEY_MIN_RESPONDENTS", DEFAULT_SURVEY_MIN_RESPONDENTS
            ),
        )
