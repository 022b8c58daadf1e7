"""Within one GET request, a read of the published campaigns is made once.

A results page asks "which campaigns are published?" from several places (the edition
tabs, the version banner, the cache stamp, last year's edition): ten queries returning the
same rows. ``once_per_request`` remembers a function's answer for the rest of the request;
outside a request (commands, tests calling functions directly) and in POST requests —
which may publish, then read — every call queries as before.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, ParamSpec, TypeVar

from django.http import HttpRequest, HttpResponse

__all__ = ["ReadOnceMiddleware", "once_per_request"]

P = ParamSpec("P")
R = TypeVar("R")

_answers: ContextVar[dict[Any, Any] | None] = ContextVar("cchc_read_once", default=None)


def once_per_request(fn: Callable[P, R]) -> Callable[P, R]:
    """``fn``'s answer for the same arguments is reused until the GET request ends
    (arguments compared by equality: model instances by primary key)."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        answers = _answers.get()
        if answers is None:
            return fn(*args, **kwargs)
        key = (fn, args, tuple(sorted(kwargs.items())))
        if key not in answers:
            answers[key] = fn(*args, **kwargs)
        return answers[key]  # type: ignore[no-any-return]

    return wrapper


class ReadOnceMiddleware:
    """Opens the memory of ``once_per_request`` for a GET or HEAD request, closes it after."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _answers.set({})
        try:
            return self.get_response(request)
        finally:
            _answers.reset(token)
