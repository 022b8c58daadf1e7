"""`cchc serve` behind an HTTPS reverse proxy, exactly as docs/deployment.md deploys it.

The test reads the deployment page — the environment file (section 3), the `ExecStart`
command (section 4) and nginx's `proxy_set_header` lines (section 5) — starts that `cchc
serve`, and puts in front of it a small TLS-terminating proxy on loopback that sets those
headers the way nginx evaluates them (`$host`, `$scheme`, `$server_port`,
`$proxy_add_x_forwarded_for`). Clients connect from two loopback addresses (127.0.0.2 and
127.0.0.3), so the proxy writes two different client addresses.

Before waitress was told to trust the proxy it dropped the X-Forwarded-* headers: every
page redirected to itself over HTTPS, and every client counted as the proxy's address in
the log-in limit, so 20 failures from one client locked out everyone.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest

from cchc.web.config import Settings
from cchc.web.server import proxy_options

REPO = Path(__file__).resolve().parents[2]
DEPLOYMENT = REPO / "docs" / "deployment.md"
CCHC = Path(sys.executable).parent / "cchc"
LOGIN = "/tai-khoan/dang-nhap/"
CLIENT_A, CLIENT_B = "127.0.0.2", "127.0.0.3"

# --- what docs/deployment.md says ---------------------------------------------------------


def _section(text: str, title: str) -> str:
    start = text.index(title)
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def _block(section: str, language: str) -> str:
    match = re.search(rf"```{language}\n(.*?)```", section, re.S)
    assert match, f"no ```{language} block"
    return match.group(1)


@dataclass(frozen=True)
class Deployment:
    environment: dict[str, str]
    serve_args: list[str]
    upstream: tuple[str, int]
    headers: list[tuple[str, str]]  # proxy_set_header NAME VALUE, in order


def documented() -> Deployment:
    text = DEPLOYMENT.read_text(encoding="utf-8")
    env_file = _block(_section(text, "## 3. Environment"), "ini")
    environment = dict(
        re.findall(r"^((?:CCHC_|DATABASE_URL)\w*)=(.*)$", env_file, re.M)
    )
    unit = _block(_section(text, "## 4. Service"), "ini")
    exec_start = re.search(r"^ExecStart=\S+/cchc (serve .*)$", unit, re.M)
    assert exec_start, "no ExecStart=…/cchc serve line in section 4"
    nginx = _block(_section(text, "## 5. Reverse proxy"), "nginx")
    upstream = re.search(r"proxy_pass http://([\d.]+):(\d+);", nginx)
    assert upstream, "no proxy_pass http://ADDRESS:PORT; in section 5"
    headers = re.findall(r"^\s*proxy_set_header (\S+) (.+?);", nginx, re.M)
    return Deployment(
        environment=environment,
        serve_args=exec_start.group(1).split(),
        upstream=(upstream.group(1), int(upstream.group(2))),
        headers=headers,
    )


# --- a TLS-terminating proxy that sets the documented headers as nginx does --------------


def _self_signed(folder: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make the test's certificate (Debian: openssl)")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


class TlsProxy:
    """HTTPS on 127.0.0.1:<port> → plain HTTP to the upstream, one request per connection
    (as nginx talks HTTP/1.0 to its upstream by default), with ``proxy_set_header``s."""

    def __init__(self, cert: Path, key: Path, headers: list[tuple[str, str]]) -> None:
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.headers = headers
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.5)
        self.port = int(self.listener.getsockname()[1])
        self.upstream: tuple[str, int] | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        self.listener.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, peer = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn, peer[0]), daemon=True).start()

    def _value(self, expression: str, host: str, forwarded_for: str, peer: str) -> str:
        variables = {
            "$proxy_add_x_forwarded_for": f"{forwarded_for}, {peer}" if forwarded_for else peer,
            "$server_port": str(self.port),
            "$remote_addr": peer,
            "$scheme": "https",
            "$host": host,
        }
        value = expression
        for name, replacement in variables.items():  # longest names first
            value = value.replace(name, replacement)
        assert "$" not in value, f"the test proxy does not know {expression!r}"
        return value

    def _handle(self, raw: socket.socket, peer: str) -> None:
        raw.settimeout(60)
        try:
            conn = self.context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()
            return
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
                assert len(data) < 1 << 20
            head, _, body = data.partition(b"\r\n\r\n")
            request_line, *lines = head.decode("latin-1").split("\r\n")
            method, target, _version = request_line.split(" ")
            received = [tuple(x.strip() for x in line.split(":", 1)) for line in lines]
            fields = {name.lower(): value for name, value in received}
            length = int(fields.get("content-length", "0"))
            while len(body) < length:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                body += chunk
            # nginx's $host: the Host header's name, lower-cased, without the port.
            host = fields.get("host", "").rsplit(":", 1)[0].lower()
            set_here = {name.lower() for name, _ in self.headers}
            out = [
                (name, value)
                for name, value in received
                if name.lower() not in set_here and name.lower() not in ("connection", "host")
            ]
            for name, expression in self.headers:
                value = self._value(expression, host, fields.get("x-forwarded-for", ""), peer)
                if value:  # nginx does not send a header whose value is empty
                    out.append((name, value))
            out.append(("Connection", "close"))
            if not any(name.lower() == "host" for name, _ in out):
                out.append(("Host", host))
            request = f"{method} {target} HTTP/1.0\r\n" + "".join(
                f"{name}: {value}\r\n" for name, value in out
            )
            assert self.upstream is not None
            with socket.create_connection(self.upstream, timeout=120) as up:
                up.sendall(request.encode("latin-1") + b"\r\n" + body)
                while chunk := up.recv(65536):
                    conn.sendall(chunk)
        finally:
            try:
                conn.unwrap().close()
            except (ssl.SSLError, OSError):
                conn.close()


# --- the installation ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Site:
    proxy: TlsProxy
    client_context: ssl.SSLContext
    app_port: int

    def request(
        self,
        source: str,
        method: str,
        path: str,
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> http.client.HTTPResponse:
        conn = http.client.HTTPSConnection(
            "localhost",
            self.proxy.port,
            context=self.client_context,
            source_address=(source, 0),
            timeout=120,
        )
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        response.text = response.read().decode("utf-8", "replace")  # type: ignore[attr-defined]
        conn.close()
        return response

    @property
    def origin(self) -> str:
        return f"https://localhost:{self.proxy.port}"


def _serve_args(deployment: Deployment, port: int, workers: int | None) -> list[str]:
    args = list(deployment.serve_args)
    args[args.index("--port") + 1] = str(port)
    if workers is not None:
        args[args.index("--workers") + 1] = str(workers)
    return args


@pytest.fixture(params=["documented", "one-process"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    deployment = documented()
    workers = None if request.param == "documented" else 1
    if (workers or 2) > 1 and not hasattr(os, "fork"):
        pytest.skip("--workers needs fork (POSIX)")
    cert, key = _self_signed(tmp_path)
    proxy = TlsProxy(cert, key, deployment.headers)
    app_port = _free_port()
    proxy.upstream = (deployment.upstream[0], app_port)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CCHC_", "DJANGO_", "PYTEST_")) and k != "DATABASE_URL"
    }
    env.update(deployment.environment)
    # What a test installation must change: host names, secret, database, folders.
    env.update(
        CCHC_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'cchc.sqlite3'}",
        CCHC_ALLOWED_HOSTS="localhost",
        CCHC_CSRF_TRUSTED_ORIGINS=f"https://localhost:{proxy.port}",
        CCHC_DATA_DIR=str(tmp_path / "var"),
    )
    args = _serve_args(deployment, app_port, workers)
    assert args[args.index("--host") + 1] == deployment.upstream[0]
    proc = subprocess.Popen(
        [str(CCHC), *args],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    client_context = ssl.create_default_context(cafile=str(cert))

    def up() -> bool:
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"cchc {' '.join(args)} stopped: {out}\n{err}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", app_port, timeout=5)
            conn.request("GET", "/healthz", headers={"Host": "localhost"})
            ok = conn.getresponse().status == 200
            conn.close()
            return ok
        except OSError:
            return False

    try:
        deadline = time.monotonic() + 240  # migrations on a busy machine
        while not up():
            if time.monotonic() > deadline:
                pytest.fail("timed out waiting for cchc serve to answer /healthz")
            time.sleep(0.3)
        created = subprocess.run(
            [str(CCHC), "manage", "createsuperuser", "--noinput", "--username", "quantri",
             "--email", "quantri@example.gov.vn"],
            cwd=tmp_path,
            env={**env, "DJANGO_SUPERUSER_PASSWORD": "Mat-khau-dung-1234"},
            capture_output=True,
            text=True,
            timeout=180,
        )
        assert created.returncode == 0, created.stderr
        yield Site(proxy=proxy, client_context=client_context, app_port=app_port)
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate(timeout=30)
        proxy.close()


def _csrf(site: Site, source: str) -> tuple[str, str]:
    page = site.request(source, "GET", LOGIN)
    assert page.status == 200, (page.status, page.getheader("Location"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)  # type: ignore[attr-defined]
    assert token
    cookie = "; ".join(c.split(";", 1)[0] for c in page.headers.get_all("Set-Cookie") or [])
    return token.group(1), cookie


def _log_in(site: Site, source: str, username: str, password: str, token: str, cookie: str):
    return site.request(
        source,
        "POST",
        LOGIN,
        body=urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": site.origin,
            "Referer": site.origin + LOGIN,
        },
    )


@pytest.mark.slow
def test_the_documented_deployment_serves_https_and_limits_each_client(site: Site) -> None:
    # Pages answer over HTTPS, not with a redirect to themselves.
    for path in ("/", LOGIN, "/tra-cuu/"):
        page = site.request(CLIENT_A, "GET", path)
        assert page.status == 200, (path, page.status, page.getheader("Location"))
        assert "max-age=31536000" in (page.getheader("Strict-Transport-Security") or "")
    # A client reaching the application's port directly (not from the proxy's address)
    # cannot claim HTTPS: waitress drops its X-Forwarded-Proto, and Django redirects.
    direct = http.client.HTTPConnection(
        "127.0.0.1", site.app_port, timeout=60, source_address=(CLIENT_A, 0)
    )
    direct.request("GET", "/", headers={"Host": "localhost", "X-Forwarded-Proto": "https"})
    answer = direct.getresponse()
    assert answer.status == 301
    assert answer.getheader("Location", "").startswith("https://")
    direct.close()

    # One client fails 20 log-ins (20 accounts: the per-address limit) and is stopped …
    token, cookie = _csrf(site, CLIENT_A)
    for number in range(20):
        failed = _log_in(site, CLIENT_A, f"khach{number}", "sai-mat-khau", token, cookie)
        assert failed.status == 200, (number, failed.status)
    assert _log_in(site, CLIENT_A, "khach20", "sai-mat-khau", token, cookie).status == 429

    # … while another client behind the same proxy still signs in and is served over HTTPS.
    token_b, cookie_b = _csrf(site, CLIENT_B)
    signed_in = _log_in(site, CLIENT_B, "quantri", "Mat-khau-dung-1234", token_b, cookie_b)
    assert signed_in.status == 302, signed_in.text  # type: ignore[attr-defined]
    assert not signed_in.getheader("Location", "").startswith("http://")
    session = "; ".join(c.split(";", 1)[0] for c in signed_in.headers.get_all("Set-Cookie") or [])
    assert "Secure" in " ".join(signed_in.headers.get_all("Set-Cookie") or [])
    admin = site.request(CLIENT_B, "GET", "/quan-tri/", headers={"Cookie": session})
    assert admin.status == 200, (admin.status, admin.getheader("Location"))


def test_waitress_trusts_the_proxy_only_when_the_settings_say_so(tmp_path: Path) -> None:
    base = {"CCHC_DATA_DIR": str(tmp_path)}
    assert proxy_options(Settings.from_env(base)) == {}
    behind = proxy_options(Settings.from_env({**base, "CCHC_BEHIND_PROXY": "1"}))
    assert behind == {
        "trusted_proxy": "127.0.0.1",
        "trusted_proxy_count": 1,
        "trusted_proxy_headers": {
            "x-forwarded-proto",
            "x-forwarded-host",
            "x-forwarded-port",
            "x-forwarded-for",
        },
        "clear_untrusted_proxy_headers": True,
    }
    two = proxy_options(
        Settings.from_env(
            {
                **base,
                "CCHC_BEHIND_PROXY": "1",
                "CCHC_TRUSTED_PROXIES": "2",
                "CCHC_PROXY_ADDRESS": "10.0.0.5",
            }
        )
    )
    assert two["trusted_proxy"] == "10.0.0.5" and two["trusted_proxy_count"] == 2
    # Proto trusted for HTTPS detection, X-Forwarded-For not (CCHC_TRUSTED_PROXIES=0).
    proto_only = proxy_options(
        Settings.from_env({**base, "CCHC_BEHIND_PROXY": "1", "CCHC_TRUSTED_PROXIES": "0"})
    )
    assert "x-forwarded-for" not in proto_only["trusted_proxy_headers"]


def test_a_proxy_address_that_is_not_an_address_is_refused(tmp_path: Path) -> None:
    from cchc.web.config import ConfigError

    with pytest.raises(ConfigError, match="CCHC_PROXY_ADDRESS"):
        Settings.from_env({"CCHC_DATA_DIR": str(tmp_path), "CCHC_PROXY_ADDRESS": "nginx.local"})
