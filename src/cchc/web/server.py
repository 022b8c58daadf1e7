"""Serve the WSGI application with waitress: one process, or several on POSIX.

One waitress process runs Python on one core at a time (the GIL), whatever its thread
count: the load test (benchmarks/load) saw one process top out at ~56 work lists a
second, so 50 officers clicking about once a second queued behind each other. Several
processes share the port the way gunicorn's workers do, each a plain waitress server:

- the parent binds one listening socket per worker with ``SO_REUSEPORT`` where the system
  has it (Linux: the kernel spreads new connections evenly), else one socket shared by all
  (the workers take turns accepting); binding in the parent means a port already in use is
  reported once, before anything forks, and the port stays held while a worker restarts;
- each worker is a forked child serving its socket with ``threads`` threads; database
  connections are closed before forking so no two processes share one;
- the parent restarts a worker that dies (at most once a second, so a worker that cannot
  start does not spin), and on SIGTERM or SIGINT stops all of them and returns.

Several processes need a cache they share (login and look-up rate limits count in it):
``cchc serve`` refuses ``--workers`` > 1 with the per-process memory cache (see
``cchc.web.config``, ``CCHC_CACHE_URL``).

Behind a reverse proxy (``CCHC_BEHIND_PROXY``, ``CCHC_TRUSTED_PROXIES``) waitress is told to
trust the proxy's ``X-Forwarded-*`` headers (``proxy_options``): without that, waitress drops
them, Django never learns the request came over HTTPS and redirects every page to itself,
and every client counts as the proxy's address in the rate limits.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import socket
import sys
import time
from collections.abc import Callable
from typing import Any

import waitress

from cchc.web.config import Settings

IDENT = "cchc"
RESTART_PAUSE_SECONDS = 1.0


class ServerError(RuntimeError):
    """The server cannot start as asked (message in Vietnamese, for the command line)."""


def proxy_options(config: Settings) -> dict[str, Any]:
    """Waitress's trusted-proxy options for the settings (empty: trust no proxy).

    Only headers from the peer ``CCHC_PROXY_ADDRESS`` are read; waitress removes every other
    ``X-Forwarded-*`` header (``clear_untrusted_proxy_headers``), so a client reaching the
    port directly cannot claim HTTPS or another address. With the proxy trusted, waitress
    sets ``wsgi.url_scheme``, the host and ``REMOTE_ADDR`` to the client the outermost of the
    ``CCHC_TRUSTED_PROXIES`` proxies saw, and cuts ``X-Forwarded-For`` to those entries
    (which ``cchc.web.ops.clientaddr`` then reads to the same address).
    """
    headers: set[str] = set()
    if config.behind_proxy:
        headers |= {"x-forwarded-proto", "x-forwarded-host", "x-forwarded-port"}
    if config.trusted_proxies > 0:
        headers.add("x-forwarded-for")
    if not headers:
        return {}  # waitress's default already drops every X-Forwarded-* header
    return {
        "trusted_proxy": config.proxy_address,
        "trusted_proxy_count": max(1, config.trusted_proxies),
        "trusted_proxy_headers": headers,
        "clear_untrusted_proxy_headers": True,
    }


def can_fork() -> bool:
    return hasattr(os, "fork")


def _listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    family, kind, proto, _, address = info[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    if family == socket.AF_INET6:
        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.listen(1024)
    return sock


def sockets_for(host: str, port: int, workers: int) -> list[socket.socket]:
    """One listening socket per worker (``SO_REUSEPORT``) or one shared by all."""
    if hasattr(socket, "SO_REUSEPORT") and sys.platform.startswith("linux"):
        first = _listening_socket(host, port, reuse_port=True)
        # Port 0 asks the system for a free port: the other workers join the one it chose.
        chosen = first.getsockname()[1]
        rest = [_listening_socket(host, chosen, reuse_port=True) for _ in range(workers - 1)]
        return [first, *rest]
    return [_listening_socket(host, port, reuse_port=False)] * workers


def serve(
    application: Callable[..., Any],
    *,
    host: str,
    port: int,
    threads: int,
    workers: int = 1,
    before_fork: Callable[[], None] = lambda: None,
    options: dict[str, Any] | None = None,
) -> None:
    """Serve until interrupted; ``workers`` > 1 forks that many waitress processes.

    ``before_fork`` closes what a child must not inherit open (database connections);
    ``options`` are more waitress options (``proxy_options``), the same for every worker.
    Raises ``OSError`` when the address cannot be bound.
    """
    extra = dict(options or {})
    if workers < 1:
        raise ServerError("--workers phải từ 1 trở lên")
    if workers == 1:
        waitress.serve(application, host=host, port=port, threads=threads, ident=IDENT, **extra)
        return
    if not can_fork():
        raise ServerError(
            "--workers > 1 chỉ chạy được trên Linux/Unix; trên Windows hãy dùng --workers 1"
        )
    sockets = sockets_for(host, port, workers)
    before_fork()
    _supervise(application, sockets, threads, extra)


def _run_worker(
    application: Callable[..., Any], sock: socket.socket, threads: int, options: dict[str, Any]
) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        waitress.serve(application, sockets=[sock], threads=threads, ident=IDENT, **options)
    except KeyboardInterrupt:
        pass
    finally:
        os._exit(0)


def _supervise(
    application: Callable[..., Any],
    sockets: list[socket.socket],
    threads: int,
    options: dict[str, Any],
) -> None:
    children: dict[int, int] = {}  # pid → worker number
    stopping = False

    def spawn(number: int) -> None:
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns here (coverage misses forks)
            _run_worker(application, sockets[number], threads, options)
        children[pid] = number

    def stop(signum: int, _frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        for number in range(len(sockets)):
            spawn(number)
        last_restart = 0.0
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:  # pragma: no cover - PEP 475 retries os.wait itself
                continue
            number = children.pop(pid, -1)
            if number < 0 or stopping:
                continue
            print(
                f"cchc: tiến trình phục vụ số {number + 1} (pid {pid}) dừng bất thường "
                f"(mã {os.waitstatus_to_exitcode(status)}); khởi động lại.",
                file=sys.stderr,
                flush=True,
            )
            pause = RESTART_PAUSE_SECONDS - (time.monotonic() - last_restart)
            if pause > 0:
                time.sleep(pause)
            last_restart = time.monotonic()
            if not stopping:
                spawn(number)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        for sock in set(sockets):
            sock.close()


def serve_django(*, host: str, port: int, threads: int, workers: int = 1) -> None:
    """Serve ``cchc.web.wsgi:application`` (Django must be set up): ``cchc serve``'s call."""
    from django.conf import settings
    from django.db import connections
    from django.urls import get_resolver

    from cchc.web.wsgi import application

    # Import every view (and the chart/report libraries behind them) before forking: once
    # for all workers, and no first visitor waits for it.
    get_resolver().url_patterns  # noqa: B018
    # Everything imported so far lives as long as the process: move it out of the garbage
    # collector's sight (Python's gc docs recommend freeze() before fork). A full collection
    # then no longer walks its ~140 000 objects (~60 ms with the GIL held, measured), and
    # forked workers keep sharing those pages instead of copying them when the GC touches them.
    gc.collect()
    gc.freeze()
    serve(
        application,
        host=host,
        port=port,
        threads=threads,
        workers=workers,
        before_fork=connections.close_all,
        options=proxy_options(settings.CONFIG),
    )
