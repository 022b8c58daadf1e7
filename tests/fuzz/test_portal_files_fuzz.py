"""The portal-file reader, fed mutated responses, either reads them or raises PortalFileError.

Any other exception (AttributeError on a metric that is not an object, TypeError on a count
that is a list, RecursionError on deep nesting, …) would reach the officer as a traceback.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cchc.service.portal_files import PortalFileError, read_portal_files

FIXTURES = Path(__file__).resolve().parents[1] / "service" / "fixtures" / "portal766" / "2026-Q3"
RESPONSES = {p.name: json.loads(p.read_text("utf-8")) for p in sorted(FIXTURES.glob("*.json"))}

junk = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**12) | st.floats(allow_nan=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)


def _paths(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(_paths(v, (*prefix, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc[:2]):
            out.extend(_paths(v, (*prefix, i)))
    return out


def _replace(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(doc))
    node = copy
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return copy


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(RESPONSES)), st.data(), junk)
def test_a_mutated_response_is_read_or_refused_with_a_reason(name: str, data: st.DataObject, value: Any) -> None:
    doc = RESPONSES[name]
    path = data.draw(st.sampled_from(_paths(doc)))
    mutated = _replace(doc, path, value)
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / name
        target.write_text(json.dumps(mutated, allow_nan=True), "utf-8")
        try:
            read_portal_files([target])
        except PortalFileError as exc:
            assert str(target) in str(exc)


def test_deeply_nested_json_is_refused_not_crashed(tmp_path: Path) -> None:
    target = tmp_path / "sau.json"
    target.write_text("[" * 100_000 + "]" * 100_000, "utf-8")
    try:
        read_portal_files([target])
    except PortalFileError as exc:
        assert "sau.json" in str(exc)


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_named_xlsx_or_json_are_read_or_refused(content: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for name in ("tai-ve.xlsx", "tai-ve.json"):
            target = Path(folder) / name
            target.write_bytes(content)
            try:
                read_portal_files([target])
            except PortalFileError as exc:
                assert name in str(exc)


def test_children_that_are_not_a_list_are_refused_not_crashed(tmp_path: Path) -> None:
    # Found by the test above: a truthy non-list ``children`` crashed the unit-code look-up.
    doc = json.loads(json.dumps(RESPONSES["dvc-progress-tree.json"]))
    doc["data"]["children"] = True
    target = tmp_path / "tien-do.json"
    target.write_text(json.dumps(doc), "utf-8")
    try:
        read_portal_files([target])
    except PortalFileError as exc:
        assert "children: phải là một danh sách" in str(exc)
    else:
        raise AssertionError("a non-list children was read")
