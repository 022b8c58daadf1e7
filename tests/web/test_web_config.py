"""The one settings object: safe defaults, and refusal to start production unsafely."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cchc.web.config import ENV_VARS, ConfigError, Settings, parse_database_url

GOOD_SECRET = "p4-Lr9zQ-xw2Vb7nK1mT8cY3uE6oA0sD5fG"
ROOT = Path(__file__).resolve().parents[2]


def prod(**extra: str) -> dict[str, str]:
    env = {"CCHC_ENV": "production", "CCHC_ALLOWED_HOSTS": "cchc.binhdinh.gov.vn"}
    env.update(extra)
    return env


@pytest.mark.parametrize(
    "secret",
    ["", "changeme", "django-insecure-abc123abc123abc123abc123abc123", "change-this-secret-key-please-now!", "x" * 50],
)
def test_production_refuses_a_missing_or_placeholder_secret(secret: str, tmp_path: Path):
    with pytest.raises(ConfigError, match="CCHC_SECRET_KEY"):
        Settings.from_env(prod(CCHC_SECRET_KEY=secret, CCHC_DATA_DIR=str(tmp_path)))


def test_production_refuses_a_short_secret(tmp_path: Path):
    with pytest.raises(ConfigError, match="ít nhất 32"):
        Settings.from_env(prod(CCHC_SECRET_KEY="Short-But-Random-9x", CCHC_DATA_DIR=str(tmp_path)))


def test_production_needs_allowed_hosts_and_no_debug(tmp_path: Path):
    env = prod(CCHC_SECRET_KEY=GOOD_SECRET, CCHC_DATA_DIR=str(tmp_path))
    with pytest.raises(ConfigError, match="CCHC_ALLOWED_HOSTS"):
        Settings.from_env({**env, "CCHC_ALLOWED_HOSTS": ""})
    with pytest.raises(ConfigError, match="CCHC_DEBUG"):
        Settings.from_env({**env, "CCHC_DEBUG": "1"})


def test_production_accepts_a_random_secret(tmp_path: Path):
    settings = Settings.from_env(prod(CCHC_SECRET_KEY=GOOD_SECRET, CCHC_DATA_DIR=str(tmp_path)))
    assert settings.production and settings.secret_key == GOOD_SECRET
    assert settings.allowed_hosts == ("cchc.binhdinh.gov.vn",)
    assert not (tmp_path / "secret_key").exists()  # production never writes a key


def test_development_generates_a_key_once_and_keeps_it(tmp_path: Path):
    first = Settings.from_env({"CCHC_DATA_DIR": str(tmp_path)})
    second = Settings.from_env({"CCHC_DATA_DIR": str(tmp_path)})
    assert len(first.secret_key) >= 50 and first.secret_key == second.secret_key
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert first.database.engine.endswith("sqlite3")
    assert first.database.name == str(tmp_path / "cchc.sqlite3")


def test_database_urls(tmp_path: Path):
    pg = parse_database_url("postgresql://cchc:m%40t@db.local:5433/cchc?sslmode=require", base_dir=tmp_path)
    assert pg.as_django()["NAME"] == "cchc"
    assert (pg.user, pg.password, pg.host, pg.port) == ("cchc", "m@t", "db.local", "5433")
    assert pg.as_django()["OPTIONS"] == {"sslmode": "require"}
    assert parse_database_url("sqlite:///x.db", base_dir=tmp_path).name == str(tmp_path / "x.db")
    assert parse_database_url("sqlite:////srv/cchc.db", base_dir=tmp_path).name == "/srv/cchc.db"
    with pytest.raises(ConfigError, match="chỉ hỗ trợ sqlite"):
        parse_database_url("mysql://u@h/db", base_dir=tmp_path)


def test_bad_values_name_the_variable(tmp_path: Path):
    base = {"CCHC_DATA_DIR": str(tmp_path)}
    with pytest.raises(ConfigError, match="CCHC_UPLOAD_MAX_MB"):
        Settings.from_env({**base, "CCHC_UPLOAD_MAX_MB": "nhiều"})
    with pytest.raises(ConfigError, match="CCHC_ENV"):
        Settings.from_env({**base, "CCHC_ENV": "staging"})
    with pytest.raises(ConfigError, match="CCHC_BEHIND_PROXY"):
        Settings.from_env({**base, "CCHC_BEHIND_PROXY": "maybe"})


def test_upload_limit_in_bytes(tmp_path: Path):
    assert Settings.from_env({"CCHC_DATA_DIR": str(tmp_path), "CCHC_UPLOAD_MAX_MB": "2"}).upload_max_bytes == 2 * 1024 * 1024


def test_every_setting_is_documented_in_docs_web_md():
    text = (ROOT / "docs" / "web.md").read_text(encoding="utf-8")
    missing = [name for name in ENV_VARS if f"`{name}`" not in text]
    assert not missing, f"undocumented settings: {missing}"


def test_the_django_settings_use_vietnamese_locale_and_argon2():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh" and settings.USE_TZ
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_production_turns_on_secure_cookies_https_and_hsts(tmp_path: Path):
    """The Django settings module itself, imported in a fresh interpreter in production."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_"))}
    env.update(prod(CCHC_SECRET_KEY=GOOD_SECRET, CCHC_DATA_DIR=str(tmp_path), CCHC_BEHIND_PROXY="1"))
    code = (
        "import cchc.web.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_PROXY_SSL_HEADER, s.DEBUG)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "True", "31536000", "('HTTP_X_FORWARDED_PROTO',", "'https')", "False"]


def test_retention_periods_are_whole_days_unset_means_keep(tmp_path: Path):
    base = {"CCHC_DATA_DIR": str(tmp_path)}
    unset = Settings.from_env(base)
    assert (
        unset.personal_data_retention_days,
        unset.account_retention_days,
        unset.survey_token_retention_days,
    ) == (None, None, None)
    given = Settings.from_env(
        {
            **base,
            "CCHC_PERSONAL_DATA_RETENTION_DAYS": "1825",
            "CCHC_ACCOUNT_RETENTION_DAYS": " 1095 ",
            "CCHC_SURVEY_TOKEN_RETENTION_DAYS": "",
        }
    )
    assert (given.personal_data_retention_days, given.account_retention_days) == (1825, 1095)
    assert given.survey_token_retention_days is None
    for bad in ("-1", "5 năm", "1,5"):
        with pytest.raises(ConfigError, match="CCHC_ACCOUNT_RETENTION_DAYS"):
            Settings.from_env({**base, "CCHC_ACCOUNT_RETENTION_DAYS": bad})


# --- One settings object: every knob read through it, and nothing read elsewhere ---------

import ast  # noqa: E402
import re  # noqa: E402

SRC = ROOT / "src" / "cchc"
# Django's settings module is named, not configured: the one environment write allowed.
SETTINGS_MODULE_DEFAULT = ("setdefault", "DJANGO_SETTINGS_MODULE")
# Django settings that are test hooks, never set by an operator (docs/desk.md).
TEST_HOOKS = {"CCHC_DESK_NOW"}


class Recording(dict[str, str]):
    """An environment that remembers every variable asked for."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.asked: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.asked.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return super().__getitem__(key)


def test_settings_reads_exactly_the_variables_it_lists(tmp_path: Path) -> None:
    env = Recording({"CCHC_DATA_DIR": str(tmp_path), "CCHC_BEHIND_PROXY": "1"})
    Settings.from_env(env)
    assert env.asked == set(ENV_VARS), (sorted(env.asked - set(ENV_VARS)), sorted(set(ENV_VARS) - env.asked))


def test_rate_limits_are_settings_with_assumed_defaults_and_checked_values(tmp_path: Path) -> None:
    base = {"CCHC_DATA_DIR": str(tmp_path)}
    default = Settings.from_env(base)
    assert (
        default.login_max_failures,
        default.login_max_failures_per_address,
        default.login_window_seconds,
        default.lookup_per_minute,
    ) == (5, 20, 900, 20)
    given = Settings.from_env(
        {**base, "CCHC_LOGIN_MAX_FAILURES": "3", "CCHC_LOGIN_WINDOW_SECONDS": "60", "CCHC_LOOKUP_PER_MINUTE": " 100 "}
    )
    assert (given.login_max_failures, given.login_window_seconds, given.lookup_per_minute) == (3, 60, 100)
    for name in ("CCHC_LOGIN_MAX_FAILURES", "CCHC_LOGIN_MAX_FAILURES_PER_ADDRESS", "CCHC_LOGIN_WINDOW_SECONDS", "CCHC_LOOKUP_PER_MINUTE"):
        for bad in ("0", "-1", "nhiều", "2,5"):
            with pytest.raises(ConfigError, match=name):
                Settings.from_env({**base, name: bad})


def test_the_django_settings_carry_the_rate_limits_from_the_environment(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_"))}
    env.update(CCHC_DATA_DIR=str(tmp_path), CCHC_LOGIN_MAX_FAILURES="7", CCHC_LOOKUP_PER_MINUTE="9")
    code = "import cchc.web.settings as s; print(s.CCHC_LOGIN_MAX_FAILURES, s.CCHC_LOOKUP_PER_MINUTE, s.CCHC_LOGIN_WINDOW_SECONDS)"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["7", "9", "900"]


def _python_files() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def _environment_reads(tree: ast.AST) -> list[int]:
    """Lines that read the environment: os.environ, os.getenv, os.environb."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr == SETTINGS_MODULE_DEFAULT[0]
                and isinstance(func.value, ast.Attribute)
                and func.value.attr == "environ"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and node.args[0].value == SETTINGS_MODULE_DEFAULT[1]
            ):
                continue
        if (isinstance(node, ast.Attribute) and node.attr in ("environ", "environb", "getenv")) or (isinstance(node, ast.Name) and node.id in ("environ", "getenv")):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            lines.extend(node.lineno for a in node.names if a.name in ("environ", "getenv", "environb"))
    return lines


def test_no_module_reads_the_environment_outside_the_settings_object() -> None:
    """A new ``os.environ`` / ``getenv`` anywhere in the package fails here: add a field to
    ``Settings`` (and a row to docs/web.md) instead."""
    config = SRC / "web" / "config.py"
    stragglers = []
    for path in _python_files():
        if path == config:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # The DJANGO_SETTINGS_MODULE default is a Call whose func holds an ``environ``
        # attribute: collect those lines to leave them out.
        allowed = {
            node.lineno
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "setdefault"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "DJANGO_SETTINGS_MODULE"
        }
        stragglers += [
            f"{path.relative_to(ROOT)}:{line}" for line in _environment_reads(tree) if line not in allowed
        ]
    assert not stragglers, f"the environment read outside cchc.web.config: {stragglers}"


def test_every_cchc_django_setting_the_code_reads_is_derived_from_settings() -> None:
    """``settings.CCHC_X`` or ``getattr(settings, "CCHC_X", default)`` in the code: X must be
    set by cchc.web.settings from ``Settings`` (a default written at the call site would be
    a second, undocumented knob)."""
    import cchc.web.settings as django_settings

    pattern = re.compile(r"""settings\.(CCHC_[A-Z0-9_]+)|getattr\(\s*settings\s*,\s*["'](CCHC_[A-Z0-9_]+)["']""")
    read = set()
    for path in _python_files():
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            read.add(match.group(1) or match.group(2))
    assert read, "the scan found no settings at all"
    undefined = sorted(read - set(dir(django_settings)) - TEST_HOOKS)
    assert not undefined, f"Django settings read but not derived from Settings: {undefined}"


def test_the_service_index_api_limits_are_settings_and_its_cache_may_be_off(tmp_path: Path) -> None:
    base = {"CCHC_DATA_DIR": str(tmp_path)}
    default = Settings.from_env(base)
    assert (default.service_index_per_minute, default.service_index_cache_seconds) == (30, 60)
    off = Settings.from_env({**base, "CCHC_SERVICE_INDEX_CACHE_SECONDS": "0"})
    assert off.service_index_cache_seconds == 0
    with pytest.raises(ConfigError, match="CCHC_SERVICE_INDEX_PER_MINUTE"):
        Settings.from_env({**base, "CCHC_SERVICE_INDEX_PER_MINUTE": "0"})
    with pytest.raises(ConfigError, match="CCHC_SERVICE_INDEX_CACHE_SECONDS"):
        Settings.from_env({**base, "CCHC_SERVICE_INDEX_CACHE_SECONDS": "-5"})


def test_the_public_address_is_an_http_url_kept_without_its_final_slash(tmp_path: Path) -> None:
    base = {"CCHC_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).public_url == ""
    given = Settings.from_env(base | {"CCHC_PUBLIC_URL": " https://motcua.example.vn/ "})
    assert given.public_url == "https://motcua.example.vn"
    for wrong in ("motcua.example.vn", "ftp://motcua.example.vn", "https://x.vn/?a=1", "https://"):
        with pytest.raises(ConfigError, match="CCHC_PUBLIC_URL"):
            Settings.from_env(base | {"CCHC_PUBLIC_URL": wrong})
