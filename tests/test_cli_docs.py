"""Every command a user can type is documented in docs/cli.md (a practice of the project)."""

from pathlib import Path

import typer
from typer.main import get_command

from cchc.cli import app

DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"


def _command_paths(command, prefix: str) -> list[str]:
    sub = getattr(command, "commands", None)
    if not sub:
        return [prefix]
    paths: list[str] = []
    for name, child in sorted(sub.items()):
        if getattr(child, "hidden", False):
            continue
        paths.extend(_command_paths(child, f"{prefix} {name}"))
    return paths


def test_every_command_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    commands = _command_paths(get_command(app), "cchc")
    assert commands, "the CLI has no commands"
    missing = [c for c in commands if f"`{c}" not in text]
    assert not missing, f"undocumented in docs/cli.md: {missing}"


def test_every_command_has_help_text():
    root = get_command(app)
    undocumented = []

    def walk(command, path):
        sub = getattr(command, "commands", None)
        if sub:
            for name, child in sub.items():
                walk(child, f"{path} {name}")
        elif not (command.help or "").strip():
            undocumented.append(path)

    walk(root, "cchc")
    assert not undocumented, f"commands without help text: {undocumented}"


def test_typer_app_is_importable_without_heavy_libraries():
    # `cchc --help` must stay fast: the CLI modules import engines inside commands.
    import subprocess
    import sys

    code = "import sys, cchc.cli; heavy = {'django', 'ibis', 'pyspark', 'pandas', 'duckdb'} & set(sys.modules); print(sorted(heavy))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
    assert isinstance(app, typer.Typer)
