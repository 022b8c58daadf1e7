"""The ``cchc`` command line: one sub-command group per domain noun.

Each group lives in its own module and imports heavy libraries inside its commands, so
``cchc --help`` stays fast. Help and errors are in Vietnamese for every command, typer's own
words included (``cchc.cli.language``); ``-h`` is ``--help`` everywhere.
"""

from __future__ import annotations

import typer

from cchc.cli import calendar, language, ops, par, serve, service, survey, units

language.install()

app = typer.Typer(
    name="cchc",
    help="Cải cách hành chính: chỉ số CCHC, hồ sơ một cửa, chỉ số phục vụ 766, khảo sát.",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": language.HELP_OPTION_NAMES},
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("cchc")
        except PackageNotFoundError:  # run from a source tree that was never installed
            number = "chưa cài đặt"
        typer.echo(f"cchc {number}")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="In số phiên bản của cchc rồi thoát.",
    ),
) -> None:
    """Cải cách hành chính: chỉ số CCHC, hồ sơ một cửa, chỉ số phục vụ 766, khảo sát."""
app.add_typer(par.app, name="par")
app.add_typer(calendar.app, name="calendar")
app.add_typer(service.app, name="service")
app.add_typer(survey.app, name="survey")
app.add_typer(units.app, name="units")
serve.register(app)
ops.register(app)


def main() -> None:
    app()
