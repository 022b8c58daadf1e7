"""`cchc serve --workers N`: several waitress processes on one port, sharing one cache.

The load test (benchmarks/load, issue 6) showed one process cannot serve 50 officers' work
lists within 100 ms; these tests hold what several processes must keep true: the port is
served, a worker that dies is replaced, the log-in limit counts across processes (the
cache is shared), and stopping the server stops every worker.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from cchc.web.config import ConfigError, Settings

CCHC = Path(sys.executable).parent / "cchc"
LOGIN = "/tai-khoan/dang-nhap/"

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="--workers needs fork (POSIX)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CCHC_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(CCHC_DATA_DIR=str(tmp_path / "var"), **extra)
    return env


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …; comm may hold spaces, so split after the last ")".
            fields = stat.rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def _get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str, list[str]]:
    """One request on a NEW connection, so the kernel may hand it to any worker."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read().decode(), response.headers.get_all("Set-Cookie") or []
    finally:
        conn.close()


def _wait_until(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def two_workers(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = _free_port()
    proc = subprocess.Popen(
        [str(CCHC), "serve", "--port", str(port), "--workers", "2", "--threads", "2"],
        cwd=tmp_path,
        env=_env(tmp_path, CCHC_CACHE_URL="database"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def up() -> bool:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"cchc serve --workers 2 stopped: {out}\n{err}")
        try:
            return _get(port, "/healthz")[0] == 200
        except OSError:
            return False

    try:
        _wait_until(up, 240, "the server to answer /healthz")  # migrations on a busy machine
        yield proc, port
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=30)


@pytest.mark.slow
@needs_fork
def test_several_workers_share_the_port_and_the_log_in_limit_and_stop_together(two_workers):
    proc, port = two_workers
    workers = _children(proc.pid)
    assert len(workers) == 2

    # The log-in limit (5 failures per account and address) counts in the shared cache:
    # six attempts on six connections, spread over both workers, and the sixth is refused.
    # With a cache per process, each worker would allow five of its own.
    statuses = []
    for _ in range(6):
        status, page, cookies = _get(port, LOGIN)
        assert status == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token
        cookie = "; ".join(c.split(";", 1)[0] for c in cookies)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        body = urlencode(
            {"username": "khong.co", "password": "sai-mat-khau", "csrfmiddlewaretoken": token.group(1)}
        )
        conn.request(
            "POST",
            LOGIN,
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Referer": f"http://127.0.0.1:{port}{LOGIN}",
            },
        )
        statuses.append(conn.getresponse().status)
        conn.close()
    assert statuses == [200] * 5 + [429]

    # A worker that dies is replaced; the port keeps answering meanwhile.
    victim = min(workers)
    os.kill(victim, signal.SIGKILL)
    assert _get(port, "/healthz")[0] == 200
    _wait_until(lambda: len(_children(proc.pid) - {victim}) == 2, 30, "a replacement worker")
    assert _get(port, "/healthz")[0] == 200

    # Stopping the server stops every worker.
    survivors = _children(proc.pid)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0
    assert "2 tiến trình" in out
    assert "khởi động lại" in err  # the restart was reported
    assert "Traceback" not in err
    # The parent waits for its workers before it returns, so none is left running.
    assert not any(Path(f"/proc/{pid}").exists() for pid in survivors)


def test_several_workers_need_a_shared_cache(tmp_path: Path):
    result = subprocess.run(
        [str(CCHC), "serve", "--workers", "2", "--port", str(_free_port())],
        cwd=tmp_path,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "CCHC_CACHE_URL" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("value", "backend", "shared"),
    [
        ("", "locmem.LocMemCache", False),
        ("memory", "locmem.LocMemCache", False),
        ("database", "db.DatabaseCache", True),
        ("redis://127.0.0.1:6379/0", "redis.RedisCache", True),
    ],
)
def test_the_cache_setting_names_a_django_backend(tmp_path: Path, value: str, backend: str, shared: bool):
    config = Settings.from_env({"CCHC_DATA_DIR": str(tmp_path), "CCHC_CACHE_URL": value})
    assert config.cache["BACKEND"] == f"django.core.cache.backends.{backend}"
    assert config.shared_cache is shared
    if value.startswith("redis"):
        assert config.cache["LOCATION"] == value


def test_an_unknown_cache_is_refused_with_the_variable_named(tmp_path: Path):
    with pytest.raises(ConfigError, match="CCHC_CACHE_URL='memcached://x'"):
        Settings.from_env({"CCHC_DATA_DIR": str(tmp_path), "CCHC_CACHE_URL": "memcached://x"})


@pytest.fixture
def redis_cache(settings):
    """Django's cache on the Redis server at 127.0.0.1:6379 (database 15, emptied)."""
    url = os.environ.get("CCHC_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=2).close()
    except OSError:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {url} (CI=true needs it)")
        pytest.skip(f"Redis is not reachable at {url}")
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}}
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.django_db
def test_the_log_in_limit_counts_in_redis(redis_cache, client):
    for _ in range(5):
        assert client.post(LOGIN, {"username": "khong.co", "password": "sai"}).status_code == 200
    assert client.post(LOGIN, {"username": "khong.co", "password": "sai"}).status_code == 429
    assert any(key.startswith(b":1:cchc:login-fail:") for key in redis_cache._cache.get_client().keys("*"))
