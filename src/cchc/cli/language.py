"""The command line speaks Vietnamese, typer's own words included: one place for all commands.

Typer (pinned < 0.29) parses with its own copy of click, which has no gettext catalogue: its
messages ("Missing argument 'START'.", "No such option: --x", "Invalid value for '--format':
'foo' is not one of 'json', 'csv'.", "Usage:", the "Error" panel, "[default: json]",
"Show this message and exit.") are English literals. So the translation happens where typer
prints them:

- the help and error panels' fixed words are module constants of ``typer.rich_utils``, read
  when a panel is drawn: they are set when typer imports that module (it does so only for
  help and errors, so a command that succeeds loads nothing more);
- an error's text goes through :func:`translate` (an ordered table of the English message
  shapes, each with its Vietnamese wording) before typer's own error printer draws it;
- the usage line's prefix and placeholders, the help option's text and the value types in
  help (``<str>`` → ``<chuỗi>``) are set where click and typer build them;
- a file a command could not open and did not catch ends as a Vietnamese usage error with
  exit status 2 (:func:`file_problem`), never a traceback.

:func:`install` runs when ``cchc.cli`` is imported, so every command, including one added
later in any module, speaks Vietnamese without doing anything. ``tests/test_cli_language.py``
fails if a typer upgrade moves one of these hooks.
"""

from __future__ import annotations

import errno
import re
import sys
from collections.abc import Callable
from importlib.machinery import ModuleSpec, PathFinder
from types import ModuleType
from typing import Any

__all__ = ["HELP_OPTION_NAMES", "HELP_TEXT", "USAGE_PREFIX", "file_problem", "install", "translate"]

USAGE_PREFIX = "Cách dùng: "
HELP_TEXT = "Xem hướng dẫn này rồi thoát."
#: ``-h`` as well as ``--help``, on every command (sub-commands inherit the root's setting).
HELP_OPTION_NAMES = ["-h", "--help"]

#: The usage line's placeholders (click's ``options_metavar``, typer's sub-command metavar).
_USAGE_WORDS = {"[OPTIONS]": "[TÙY CHỌN]", "COMMAND [ARGS]...": "LỆNH [THAM SỐ]..."}

#: The value types shown beside each option in help ("<str>", "<path>"...).
_METAVARS = {
    "<str>": "<chuỗi>",
    "<text>": "<chuỗi>",
    "<path>": "<đường dẫn>",
    "<file>": "<tệp>",
    "<directory>": "<thư mục>",
    "<int>": "<số nguyên>",
    "<integer>": "<số nguyên>",
    "<float>": "<số>",
}

#: Typer's fixed words in help and error panels (typer.rich_utils constants).
_PANEL_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Tham số",
    "OPTIONS_PANEL_TITLE": "Tùy chọn",
    "COMMANDS_PANEL_TITLE": "Lệnh",
    "ERRORS_PANEL_TITLE": "Lỗi",
    "ABORTED_TEXT": "Đã hủy.",
    "RICH_HELP": "Xem [blue]'{command_path} {help_option}'[/] để biết cách dùng.",
    "DEFAULT_STRING": "[mặc định: {}]",
    "ENVVAR_STRING": "[biến môi trường: {}]",
    "REQUIRED_LONG_STRING": "[bắt buộc]",
    "DEPRECATED_STRING": "(không còn dùng) ",
}

_KINDS = {"File": "Tệp", "Directory": "Thư mục", "Path": "Đường dẫn"}
_NUMBER_KINDS = {
    "integer": "số nguyên",
    "int": "số nguyên",
    "float": "số",
    "boolean": "giá trị đúng/sai",
    "UUID": "mã UUID",
}


def _path(m: re.Match[str], what: str) -> str:
    return f"{_KINDS.get(m['kind'], m['kind'])} {m['path']} {what}."


#: The value-level messages (the part after "Invalid value for X: "), English → Vietnamese.
_VALUE_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"(?P<value>.+) is not one of (?P<choices>.+?)\.?$", re.S),
        lambda m: f"{m['value']} không phải một trong các giá trị {m['choices']}.",
    ),
    (
        re.compile(
            r"(?P<value>.+) is not a valid (?P<kind>integer|int|float|boolean|UUID)\b.*$", re.S
        ),
        lambda m: f"{m['value']} không phải {_NUMBER_KINDS[m['kind']]} hợp lệ.",
    ),
    (
        re.compile(r"(?P<value>.+) is not in the range (?P<range>.+?)\.?$"),
        lambda m: f"{m['value']} nằm ngoài khoảng cho phép {m['range']}.",
    ),
    (
        re.compile(r"(?P<kind>File|Directory|Path) (?P<path>.+) does not exist\.?$"),
        lambda m: _path(m, "không tồn tại"),
    ),
    (
        re.compile(r"(?P<kind>File|Directory|Path) (?P<path>.+) is a directory\.?$"),
        lambda m: _path(m, "là một thư mục, cần một tệp"),
    ),
    (
        re.compile(r"(?P<kind>File|Directory|Path) (?P<path>.+) is a file\.?$"),
        lambda m: _path(m, "là một tệp, cần một thư mục"),
    ),
    (
        re.compile(r"(?P<kind>File|Directory|Path) (?P<path>.+) is not readable\.?$"),
        lambda m: _path(m, "không đọc được (không có quyền)"),
    ),
    (
        re.compile(r"(?P<kind>File|Directory|Path) (?P<path>.+) is not writable\.?$"),
        lambda m: _path(m, "không ghi được (không có quyền)"),
    ),
    (
        re.compile(r"(?P<value>.+) does not match the formats (?P<formats>.+?)\.?$"),
        lambda m: f"{m['value']} không đúng dạng {m['formats']}.",
    ),
    (
        re.compile(r"(?P<n>\d+) values are required, but (?P<given>\d+) given\.?$"),
        lambda m: f"cần {m['n']} giá trị, nhận được {m['given']}.",
    ),
    (
        re.compile(r"Value must be an iterable\.?$"),
        lambda m: "giá trị phải là một danh sách.",
    ),
    (
        re.compile(r"Takes (?P<n>\d+) values but (?P<given>\d+) given\.?$"),
        lambda m: f"cần {m['n']} giá trị, nhận được {m['given']}.",
    ),
]


def _value(text: str) -> str:
    for pattern, wording in _VALUE_MESSAGES:
        m = pattern.match(text)
        if m:
            return wording(m)
    return text


def _missing(m: re.Match[str]) -> str:
    what = {"argument": "tham số", "option": "tùy chọn", "parameter": "tham số"}.get(
        m["what"], m["what"]
    )
    name = f" {m['name']}" if m["name"] else ""
    text = f"Thiếu {what}{name}."
    rest = (m["rest"] or "").strip()
    if rest.startswith("Choose from:"):
        choices = ", ".join(c.strip() for c in rest[len("Choose from:") :].split(",") if c.strip())
        text += f" Chọn một trong: {choices}."
    elif rest:
        text += f" {_value(rest)}"
    return text


def _no_such_option(m: re.Match[str]) -> str:
    text = f"Không có tùy chọn {m['option']}."
    if m["possible"]:
        text += f" Có phải ý bạn là: {m['possible']}?"
    return text


#: Whole messages as click and typer format them (``ClickException.format_message()``).
_MESSAGES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"Invalid value for (?P<hint>.+?): (?P<rest>.*)$", re.S),
        lambda m: f"Giá trị không hợp lệ cho {m['hint']}: {_value(m['rest'])}",
    ),
    (
        re.compile(r"Invalid value: (?P<rest>.*)$", re.S),
        lambda m: f"Giá trị không hợp lệ: {_value(m['rest'])}",
    ),
    (
        re.compile(
            r"Missing (?P<what>argument|option|parameter)(?: (?P<name>[^.]+))?\.(?P<rest>.*)$", re.S
        ),
        _missing,
    ),
    (
        re.compile(r"No such option: (?P<option>\S+)(?: \(Possible options: (?P<possible>.+)\))?$"),
        _no_such_option,
    ),
    (
        re.compile(r"No such command (?P<name>.+)\.$"),
        lambda m: f"Không có lệnh {m['name']}.",
    ),
    (re.compile(r"Missing command\.$"), lambda m: "Thiếu lệnh."),
    (
        re.compile(r"Got unexpected extra argument(?:s|\(s\))? \((?P<args>.*)\)$", re.S),
        lambda m: f"Thừa tham số không dùng đến: {m['args']}.",
    ),
    (
        re.compile(r"Option (?P<option>\S+) requires an argument\.$"),
        lambda m: f"Tùy chọn {m['option']} cần một giá trị.",
    ),
    (
        re.compile(r"Option (?P<option>\S+) requires (?P<n>\d+) arguments\.$"),
        lambda m: f"Tùy chọn {m['option']} cần {m['n']} giá trị.",
    ),
    (
        re.compile(r"Option (?P<option>\S+) does not take a value\.$"),
        lambda m: f"Tùy chọn {m['option']} không nhận giá trị.",
    ),
    (
        re.compile(r"Argument (?P<name>\S+) takes (?P<n>\d+) values\.$"),
        lambda m: f"Tham số {m['name']} cần {m['n']} giá trị.",
    ),
    (
        re.compile(r"Could not open file (?P<path>.+?): (?P<reason>.*)$"),
        lambda m: f"Không mở được tệp {m['path']}: {m['reason']}",
    ),
]


def translate(message: str) -> str:
    """A click/typer message in Vietnamese; a message already in Vietnamese is kept as is."""
    for pattern, wording in _MESSAGES:
        m = pattern.match(message)
        if m:
            return wording(m)
    return _value(message)


#: Why a file could not be used, by errno (a command that does not catch it still exits 2).
_OS_REASONS = {
    errno.ENOENT: "tệp hoặc thư mục không tồn tại",
    errno.EACCES: "không có quyền truy cập",
    errno.EPERM: "không có quyền truy cập",
    errno.EISDIR: "đây là một thư mục, cần một tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENOSPC: "ổ đĩa đã đầy",
    errno.EROFS: "ổ đĩa chỉ cho đọc",
}


def file_problem(exc: OSError) -> Any:
    """A file the command could not open, as a usage error (exit 2) in Vietnamese; None for
    other system errors (a broken pipe, a refused connection), which keep their own path."""
    from typer._click.exceptions import ClickException

    reason = _OS_REASONS.get(exc.errno or -1)
    if reason is None or exc.filename is None:
        return None
    problem = ClickException(f"không đọc hoặc ghi được {exc.filename}: {reason}.")
    problem.exit_code = 2
    return problem


_installed = False


def install() -> None:
    """Make typer print its help and errors in Vietnamese (idempotent).

    Typer imports its rich printer (``typer.rich_utils``, which pulls in a Markdown parser)
    only to print help or an error; a command that succeeds never loads it. So its words are
    set when it is imported (an import hook), not here: ``cchc`` stays as fast to start.
    """
    global _installed
    if _installed:
        return
    from typer._click import core, formatting

    english_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        for english, vietnamese in _USAGE_WORDS.items():
            args = args.replace(english, vietnamese)
        english_usage(self, prog, args, USAGE_PREFIX if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]

    english_help_option = core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = english_help_option(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    core.Command.get_help_option = get_help_option  # type: ignore[method-assign]

    english_invoke = core.Command.invoke

    def invoke(self: Any, ctx: Any) -> Any:
        try:
            return english_invoke(self, ctx)
        except OSError as exc:
            problem = file_problem(exc)
            if problem is None:
                raise
            raise problem from None

    core.Command.invoke = invoke  # type: ignore[method-assign]

    if _RICH_UTILS in sys.modules:
        _speak_vietnamese(sys.modules[_RICH_UTILS])
    else:
        sys.meta_path.insert(0, _WhenImported())
    _installed = True


_RICH_UTILS = "typer.rich_utils"


def _speak_vietnamese(rich_utils: ModuleType) -> None:
    """Set typer's printer's words and pass every error message through :func:`translate`."""
    for name, words in _PANEL_WORDS.items():
        if not hasattr(rich_utils, name):  # a typer upgrade moved it: the tests say so
            raise RuntimeError(f"typer.rich_utils.{name} is gone; update cchc.cli.language")
        setattr(rich_utils, name, words)
    # The usage line is highlighted by its prefix.
    highlights = rich_utils.OptionHighlighter.highlights
    if r"(?P<usage>Cách dùng: )" not in highlights:
        rich_utils.OptionHighlighter.highlights = [*highlights, r"(?P<usage>Cách dùng: )"]

    # The help panels write each value type into a rich Text of their own; the module's
    # ``Text`` is read when a panel is drawn, so a subclass that names the types in
    # Vietnamese changes those cells and nothing else (a whole-cell match only).
    english_text = rich_utils.Text

    class Text(english_text):  # type: ignore[misc, valid-type]
        def append(self, text: Any, style: Any = None) -> Any:
            if isinstance(text, str):
                text = _METAVARS.get(text, text)
            return super().append(text, style)

    setattr(rich_utils, "Text", Text)  # noqa: B010 (a module)

    english_error = rich_utils.rich_format_error

    def rich_format_error(self: Any) -> None:
        text = translate(self.format_message())
        self.format_message = lambda: text
        english_error(self)

    setattr(rich_utils, "rich_format_error", rich_format_error)  # noqa: B010 (a module)


class _WhenImported:
    """Finds ``typer.rich_utils`` like the path finder does, and sets its words once loaded.

    A meta path finder by protocol (``find_spec``); ``importlib.abc`` is not imported for
    it because it drags in ``importlib.resources`` and ``tempfile`` at every start."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if name != _RICH_UTILS:
            return None
        spec = PathFinder.find_spec(name, path)
        if spec is None or spec.loader is None:
            return spec
        loader = spec.loader
        load = loader.exec_module

        def exec_module(module: ModuleType) -> None:
            load(module)
            _speak_vietnamese(module)
            if self in sys.meta_path:
                sys.meta_path.remove(self)

        loader.exec_module = exec_module  # type: ignore[method-assign]
        return spec
