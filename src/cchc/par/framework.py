"""The index framework: a tree of components → fields → criteria with maxima, and the bands.

A framework is data (YAML), never code: each province sets its own for each level and year
(docs/field.md §3). Loading validates everything up front and reports every problem
with the file name and the key path (``components[1].children[0].max``), so an officer can
fix the file in one pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cchc.par.levels import LEVELS
from cchc.par.rounding import round2
from cchc.par.rules import Rule, parse_rule

__all__ = [
    "Band",
    "Framework",
    "FrameworkError",
    "Node",
    "Rule",
    "framework_from_dict",
    "load_framework",
]

# Maxima are sums of decimals typed by people (e.g. 3 × 3.33 + 0.01); compare them at a
# precision no framework uses rather than exactly.
_SUM_TOLERANCE = 1e-6
# Codes become CSV/XLSX column headers and JSON keys: keep them plain.
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._\-]*$")
_RESERVED_CODES = {"unit_code", "unit_name", "criterion", "self_score", "final_score", "note"}

_TOP_KEYS = {"code", "name", "year", "level", "max", "bands", "components"}
_TOP_REQUIRED = ("code", "name", "year", "level", "components")
_NODE_KEYS = {"code", "name", "max", "children", "survey", "rule"}
_NODE_REQUIRED = ("code", "name", "max")
_BAND_KEYS = {"label", "min"}


_Bad = Callable[[str, str], None]
"""Reports a problem at a key path."""


class FrameworkError(ValueError):
    """The framework file is not valid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Band:
    """A classification band: an index at or above ``min`` (percent) gets ``label``."""

    label: str
    min: float


@dataclass(frozen=True)
class Node:
    """A component, field or criterion of the framework, with its maximum points."""

    code: str
    name: str
    max: float
    children: tuple[Node, ...] = ()
    parent: str | None = None
    #: Measured by a sociological survey (citizens' satisfaction, officials' survey), never
    #: scored by hand: the framework says so (``survey: true``), not the node's name. A
    #: marked node marks every node below it.
    survey: bool = False
    #: How the criterion's points follow from the unit's raw figure (a count or a rate),
    #: when the framework writes them as a formula (``cchc.par.rules``); None: scored as given.
    rule: Rule | None = None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def walk(self) -> Iterator[Node]:
        """This node, then its descendants depth-first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Framework:
    """One index framework for one level and year."""

    code: str
    name: str
    year: int
    level: str
    max: float
    bands: tuple[Band, ...]
    components: tuple[Node, ...]
    source: str = ""
    _index: dict[str, Node] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for node in self.nodes():
            self._index[node.code] = node

    def nodes(self) -> Iterator[Node]:
        """Every node of the tree, depth-first, components in file order."""
        for component in self.components:
            yield from component.walk()

    def node(self, code: str) -> Node:
        """The node with this code; KeyError when there is none."""
        return self._index[code]

    def has_node(self, code: str) -> bool:
        return code in self._index

    def survey_codes(self) -> list[str]:
        """The scored nodes (leaves) the framework marks as survey components, in order."""
        return [n.code for n in self.nodes() if n.is_leaf and n.survey]

    def band_for(self, index: float | None) -> str | None:
        """The band label of an index (percent), compared as shown: at 2 decimals.

        An index displayed as "90,00" must not be classified below a 90 threshold.
        """
        if index is None or not self.bands:
            return None
        shown = round2(index)
        for band in self.bands:
            if shown >= band.min:
                return band.label
        return None

    @property
    def level_label(self) -> str:
        """ "cấp huyện", "cấp xã", ... as the narrative writes the level."""
        return LEVELS[self.level].label


def load_framework(path: str | Path) -> Framework:
    """Read and validate a framework YAML file."""
    path = Path(path)
    source = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FrameworkError([f"{source}: không tìm thấy tệp ({path})"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError([f"{source}: không đọc được tệp: {exc}"]) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"dòng {mark.line + 1}, cột {mark.column + 1}" if mark else "?"
        raise FrameworkError([f"{source}: YAML không hợp lệ ({where}): {exc.problem}"]) from None
    except yaml.YAMLError as exc:
        raise FrameworkError([f"{source}: YAML không hợp lệ: {exc}"]) from None
    if not isinstance(data, Mapping):
        raise FrameworkError([f"{source}: tệp phải là một bảng khóa–giá trị (mapping)"])
    return framework_from_dict(data, source)


def framework_from_dict(data: Mapping[str, Any], source: str) -> Framework:
    """Validate a parsed framework (from YAML, JSON or a web form) and build it.

    ``source`` names the origin in error messages (usually the file name).
    """
    if not isinstance(data, Mapping):
        raise FrameworkError([f"{source}: phải là một bảng khóa–giá trị (mapping)"])
    problems: list[str] = []

    def bad(key: str, message: str) -> None:
        problems.append(f"{source}: {key}: {message}")

    for key in sorted(set(data) - _TOP_KEYS, key=str):
        bad(str(key), "khóa không được hỗ trợ")
    for key in _TOP_REQUIRED:
        if key not in data:
            bad(key, "thiếu khóa bắt buộc")

    code = _text(data.get("code"), "code", bad)
    name = _text(data.get("name"), "name", bad)
    year = data.get("year")
    if "year" in data and (isinstance(year, bool) or not isinstance(year, int)):
        bad("year", f"phải là số nguyên (năm), không phải {year!r}")
    level = data.get("level")
    if "level" in data and level not in LEVELS:
        bad("level", f"phải là một trong {', '.join(LEVELS)}, không phải {level!r}")

    bands = _bands(data.get("bands", []), bad)
    seen: dict[str, str] = {}
    components: tuple[Node, ...] = ()
    raw_components = data.get("components")
    if "components" in data:
        if not isinstance(raw_components, list) or not raw_components:
            bad("components", "phải là một danh sách khác rỗng")
        else:
            components = _nodes(raw_components, "components", None, bad, seen)

    total = math.fsum(c.max for c in components)
    top_max = total
    if "max" in data:
        given = _number(data["max"], "max", bad)
        if given is not None:
            top_max = given
            complete = bool(components) and len(components) == len(raw_components or [])
            if complete and abs(given - total) > _SUM_TOLERANCE:
                bad("max", f"{_n(given)} khác tổng điểm tối đa các thành phần ({_n(total)})")

    if problems:
        raise FrameworkError(problems)
    assert isinstance(year, int) and isinstance(level, str)
    return Framework(
        code=code or "",
        name=name or "",
        year=year,
        level=level,
        max=top_max,
        bands=bands,
        components=components,
        source=source,
    )


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    keys: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in keys:
            raise yaml.constructor.ConstructorError(
                None, None, f"khóa {key!r} bị lặp", key_node.start_mark
            )
        keys.add(key)
    loader.flatten_mapping(node)
    return dict(loader.construct_pairs(node))


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _n(value: float) -> str:
    from cchc.fmt import format_number

    return format_number(value, 6, trim=True)


def _text(value: object, key: str, bad: _Bad) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        bad(key, f"phải là chuỗi khác rỗng, không phải {value!r}")
        return None
    return value.strip()


def _number(value: object, key: str, bad: _Bad, *, positive: bool = True) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        bad(key, f"phải là số, không phải {value!r}")
        return None
    if positive and value <= 0:
        bad(key, f"phải là số dương, không phải {value!r}")
        return None
    return float(value)


def _bands(raw: object, bad: _Bad) -> tuple[Band, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        bad("bands", "phải là một danh sách {label, min}")
        return ()
    bands: list[Band] = []
    labels: set[str] = set()
    for i, item in enumerate(raw):
        key = f"bands[{i}]"
        if not isinstance(item, Mapping):
            bad(key, "phải có dạng {label, min}")
            continue
        for extra in sorted(set(item) - _BAND_KEYS, key=str):
            bad(f"{key}.{extra}", "khóa không được hỗ trợ")
        for required in ("label", "min"):
            if required not in item:
                bad(f"{key}.{required}", "thiếu khóa bắt buộc")
        label = _text(item.get("label"), f"{key}.label", bad)
        low = None
        if "min" in item:
            low = _number(item["min"], f"{key}.min", bad, positive=False)
            if low is not None and not 0 <= low <= 100:
                bad(f"{key}.min", f"phải nằm trong 0..100 (phần trăm), không phải {low!r}")
                low = None
        if label is not None and label in labels:
            bad(f"{key}.label", f"nhãn {label!r} bị lặp")
        if label is not None and low is not None:
            if bands and low >= bands[-1].min:
                bad(
                    f"{key}.min",
                    f"các mức xếp loại phải giảm dần: {_n(low)} không nhỏ hơn "
                    f"{_n(bands[-1].min)} của {bands[-1].label!r}",
                )
            labels.add(label)
            bands.append(Band(label=label, min=low))
    return tuple(bands)


def _nodes(
    raw: list[Any],
    path: str,
    parent: str | None,
    bad: _Bad,
    seen: dict[str, str],
    inherited_survey: bool = False,
) -> tuple[Node, ...]:
    nodes: list[Node] = []
    for i, item in enumerate(raw):
        key = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            bad(key, "phải có dạng {code, name, max, children?}")
            continue
        for extra in sorted(set(item) - _NODE_KEYS, key=str):
            bad(f"{key}.{extra}", "khóa không được hỗ trợ")
        for required in _NODE_REQUIRED:
            if required not in item:
                bad(f"{key}.{required}", "thiếu khóa bắt buộc")
        code = item.get("code")
        if isinstance(code, int | float) and not isinstance(code, bool):
            code = str(code)  # "1" or "1.1" typed without quotes
        code = _text(code, f"{key}.code", bad)
        if code is not None:
            if not _CODE.match(code) or code in _RESERVED_CODES:
                bad(
                    f"{key}.code",
                    f"mã {code!r} không hợp lệ: chỉ dùng chữ, số, '.', '_', '-' "
                    "và không trùng tên cột dữ liệu",
                )
            elif code in seen:
                bad(f"{key}.code", f"mã {code!r} bị trùng với {seen[code]}")
            else:
                seen[code] = key
        name = _text(item.get("name"), f"{key}.name", bad)
        node_max = _number(item["max"], f"{key}.max", bad) if "max" in item else None
        survey = item.get("survey", False)
        if not isinstance(survey, bool):
            bad(f"{key}.survey", f"phải là true hoặc false, không phải {survey!r}")
            survey = False
        survey = survey or inherited_survey
        rule: Rule | None = None
        if "rule" in item:
            if "children" in item:
                bad(f"{key}.rule", "công thức chỉ đặt ở tiêu chí không có mục con")
            elif survey:
                bad(f"{key}.rule", "mục đo bằng điều tra xã hội học không tính theo công thức")
            else:
                rule = parse_rule(item["rule"], node_max, f"{key}.rule", bad)
        children: tuple[Node, ...] = ()
        if "children" in item:
            raw_children = item["children"]
            if not isinstance(raw_children, list) or not raw_children:
                bad(f"{key}.children", "phải là một danh sách khác rỗng")
            else:
                children = _nodes(raw_children, f"{key}.children", code, bad, seen, survey)
                if node_max is not None and len(children) == len(raw_children):
                    total = math.fsum(c.max for c in children)
                    if abs(total - node_max) > _SUM_TOLERANCE:
                        bad(
                            f"{key}.max",
                            f"{_n(node_max)} khác tổng điểm tối đa các mục con ({_n(total)})",
                        )
        if code is not None and name is not None and node_max is not None:
            nodes.append(
                Node(
                    code=code, name=name, max=node_max, children=children, parent=parent,
                    survey=survey, rule=rule,
                )
            )
    return tuple(nodes)
