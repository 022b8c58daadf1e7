"""`cchc serve --demo` end to end: the README's main command, in a fresh folder."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import lxml.html
import pytest

CCHC = Path(sys.executable).parent / "cchc"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CCHC_", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(CCHC_DATA_DIR=str(tmp_path / "var"), **extra)
    return env


@pytest.mark.slow
def test_serve_demo_migrates_loads_prints_accounts_and_serves_the_portal(tmp_path: Path):
    port = _free_port()
    proc = subprocess.Popen(
        [str(CCHC), "serve", "--demo", "--port", str(port)],
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 240  # generous: CI machines are busy
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as r:
                    assert r.status == 200
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    out, err = proc.communicate(timeout=5)
                    pytest.fail(f"cchc serve did not come up: {out}\n{err}")
                time.sleep(0.5)
        with urllib.request.urlopen(base + "/", timeout=120) as r:
            doc = lxml.html.fromstring(r.read().decode("utf-8"))
        first = [td.text_content().strip() for td in doc.xpath("//table[contains(@class,'ranking')]/tbody/tr[1]/td")]
        assert first[1] == "Thị xã Hoài Nhơn" and first[5] == "88,41"
        assert (tmp_path / "var" / "cchc.sqlite3").exists()
        assert (tmp_path / "var" / "secret_key").exists()
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in out
    for username in ("noivu", "canbo.hoainhon", "thamdinh", "lanhdao", "motcua.hoainhon", "quantri"):
        assert username in out
    assert "Traceback" not in err


def test_serve_refuses_a_placeholder_secret_in_production(tmp_path: Path):
    result = subprocess.run(
        [str(CCHC), "serve"],
        cwd=tmp_path,
        env=_env(tmp_path, CCHC_ENV="production", CCHC_SECRET_KEY="changeme", CCHC_ALLOWED_HOSTS="x.vn"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "CCHC_SECRET_KEY" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "var" / "cchc.sqlite3").exists()


def test_manage_passes_commands_through_to_django(tmp_path: Path):
    result = subprocess.run(
        [str(CCHC), "manage", "check"], cwd=tmp_path, env=_env(tmp_path), capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
