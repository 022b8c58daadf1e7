"""The ``cchc`` command line: one sub-command group per domain noun.

Each group lives in its own module and imports heavy libraries inside its commands, so
``cchc --help`` stays fast.
"""

from __future__ import annotations

import typer

from cchc.cli import calendar, ops, par, serve, service, survey, units

app = typer.Typer(
    name="cchc",
    help="Cải cách hành chính: chỉ số CCHC, hồ sơ một cửa, chỉ số phục vụ 766, khảo sát.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(par.app, name="par")
app.add_typer(calendar.app, name="calendar")
app.add_typer(service.app, name="service")
app.add_typer(survey.app, name="survey")
app.add_typer(units.app, name="units")
serve.register(app)
ops.register(app)


def main() -> None:
    app()
