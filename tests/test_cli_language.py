"""The command line speaks one language: typer's and click's own words come out in Vietnamese.

Every command gets this from ``cchc.cli.language`` without doing anything, so the checks run
on commands of several groups; a typer upgrade that moves a hook fails here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import version

import pytest
import typer
from typer.testing import CliRunner

from cchc.cli import app, language

runner = CliRunner()

# English words typer/click print on their own; none may reach a user.
ENGLISH = re.compile(
    r"Usage:|Error|Try '|No such|Missing (argument|option|command)|Invalid value|"
    r"does not exist|is not one of|is not a valid|Show this message|\[default:|\[required\]|"
    r"Options|Arguments|Commands|Got unexpected|requires an argument|not in the range|"
    r"<(str|text|path|file|directory|int|integer|float)>"
)


def _plain(text: str) -> str:
    """The words of a rich panel, without its frame and line breaks."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, _plain(result.stdout + result.stderr)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--nope"], "Không có tùy chọn --nope."),
        (["units", "list", "--nope"], "Không có tùy chọn --nope."),
        (["nosuch"], "Không có lệnh 'nosuch'."),
        (["calendar", "deadline"], "Thiếu tham số 'START'."),
        (["calendar", "deadline", "2025-01-02", "1", "3"], "Thừa tham số không dùng đến: 3."),
        (
            ["calendar", "deadline", "2025-01-02", "1", "--unit"],
            "Tùy chọn '--unit' cần một giá trị.",
        ),
        (
            ["par", "rank", "--format", "foo"],
            "Giá trị không hợp lệ cho '--format': 'foo' không phải một trong các giá trị "
            "'json', 'csv', 'xlsx', 'table'.",
        ),
        (
            ["survey", "sample-size", "--population", "abc"],
            "Giá trị không hợp lệ cho '--population': 'abc' không phải số nguyên hợp lệ.",
        ),
        (
            ["service", "generate", "--rows", "0", "--output", "x.parquet"],
            "'--rows': 0 nằm ngoài khoảng cho phép x>=1.",
        ),
        (
            ["survey", "index", "/no/such/answers.csv"],
            "Tệp '/no/such/answers.csv' không tồn tại.",
        ),
        (["service", "index"], "Thiếu tham số 'input'."),
    ],
)
def test_usage_errors_are_in_vietnamese_with_exit_status_2(args, expected):
    code, out = run(*args)
    assert code == 2, out
    assert expected in out
    assert "Lỗi" in out
    assert not ENGLISH.search(out), out


def test_an_error_names_the_usage_and_the_help_option_in_vietnamese():
    code, out = run("calendar", "deadline")
    assert code == 2
    assert "Cách dùng: cchc calendar deadline [TÙY CHỌN] {START} {N}" in out
    assert "Xem 'cchc calendar deadline -h' để biết cách dùng." in out


@pytest.mark.parametrize("flag", ["-h", "--help"])
@pytest.mark.parametrize(
    "command", [[], ["par"], ["par", "rank"], ["calendar", "holidays"], ["service", "index"]]
)
def test_help_is_in_vietnamese_with_h_and_help(flag, command):
    code, out = run(*command, flag)
    assert code == 0, out
    assert out.startswith("Cách dùng: cchc")
    assert "Xem hướng dẫn này rồi thoát." in out
    assert not ENGLISH.search(out), out


def test_help_shows_defaults_and_panels_in_vietnamese():
    out = run("par", "rank", "-h")[1]
    assert "Tùy chọn" in out and "[mặc định: json]" in out
    out = run("calendar", "deadline", "-h")[1]
    assert "Tham số" in out and "[bắt buộc]" in out and "START <chuỗi>" in out
    assert "input <đường dẫn>" in run("service", "index", "-h")[1]
    assert "Lệnh" in run("-h")[1]


def test_version():
    code, out = run("--version")
    assert (code, out) == (0, f"cchc {version('cchc')}")
    assert run("-V") == (0, out)


def test_a_file_the_command_does_not_catch_still_exits_2_in_vietnamese(tmp_path):
    # A command added later that forgets to catch a missing file: the CLI says it anyway.
    probe = typer.Typer()

    @probe.command()
    def read(path: str) -> None:
        """Đọc một tệp."""
        open(path, encoding="utf-8").close()

    missing = tmp_path / "không-có.csv"
    result = runner.invoke(probe, [str(missing)])
    assert result.exit_code == 2
    out = _plain(result.stderr)
    assert f"không đọc hoặc ghi được {missing}: tệp hoặc thư mục không tồn tại." in out
    assert not ENGLISH.search(out)


def test_other_system_errors_are_not_dressed_up_as_file_problems():
    assert language.file_problem(ConnectionRefusedError(111, "refused")) is None
    assert language.file_problem(OSError(2, "No such file")) is None  # no file named


def test_translate_keeps_vietnamese_messages():
    message = "Giá trị không hợp lệ cho --level: cấp không hợp lệ 'x'"
    assert language.translate(message) == message
    assert (
        language.translate("Invalid value for --level: cấp không hợp lệ 'x'")
        == "Giá trị không hợp lệ cho --level: cấp không hợp lệ 'x'"
    )


def test_missing_choice_lists_the_choices():
    assert language.translate("Missing option '--kind'. Choose from:\n\tsipas,\n\tofficials") == (
        "Thiếu tùy chọn '--kind'. Chọn một trong: sipas, officials."
    )


def test_the_installed_command_speaks_vietnamese_too():
    # The console script path (python -m / entry point), not only the test runner.
    out = subprocess.run(
        [sys.executable, "-c", "from cchc.cli import main; main()", "units", "list", "--nope"],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "Không có tùy chọn --nope." in _plain(out.stderr)
    assert not ENGLISH.search(out.stderr), out.stderr


def test_a_command_that_succeeds_does_not_load_the_help_printer():
    # typer imports its rich printer (and a Markdown parser) only for help and errors; the
    # Vietnamese words are set when it loads, so a plain command starts as fast as before.
    code = (
        "import sys\n"
        "from cchc.cli import app\n"
        "try:\n"
        "    app(['calendar', 'working-days', '2025-03-03', '2025-03-07'])\n"
        "except SystemExit as exit:\n"
        "    print(exit.code, 'typer.rich_utils' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["5", "0", "False"]


def _all_commands() -> list[list[str]]:
    from typer.main import get_command

    paths: list[list[str]] = []

    def walk(command, path):
        paths.append(path)
        for name, child in sorted((getattr(command, "commands", None) or {}).items()):
            walk(child, [*path, name])

    walk(get_command(app), [])
    return paths


@pytest.mark.parametrize("path", _all_commands(), ids=lambda p: " ".join(["cchc", *p]))
def test_every_command_helps_in_vietnamese(path):
    # Commands added later are checked too. `cchc manage` hands -h to Django's own parser.
    if path == ["manage"]:
        pytest.skip("Django's management commands print their own help")
    code, out = run(*path, "-h")
    assert code == 0, out
    assert out.startswith("Cách dùng: cchc"), out
    assert not ENGLISH.search(out), out
