"""Stored frameworks ↔ the engine's ``cchc.par.framework.Framework``."""

from __future__ import annotations

import hashlib
from functools import lru_cache

import yaml

from cchc.par.framework import Framework, FrameworkError, Node, framework_from_dict
from cchc.web.campaigns.models import Framework as FrameworkRow


@lru_cache(maxsize=64)
def _parse(text: str, source: str, digest: str) -> Framework:
    # ``digest`` keys the cache on content, so an edited framework is parsed again.
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkError([f"{source}: YAML không hợp lệ: {exc}"]) from None
    if not isinstance(data, dict):
        raise FrameworkError([f"{source}: tệp phải là một bảng khóa–giá trị (mapping)"])
    return framework_from_dict(data, source)


def parse_text(text: str, source: str) -> Framework:
    """Validate framework YAML text with the engine; ``FrameworkError`` lists every problem."""
    return _parse(text, source, hashlib.sha256(text.encode("utf-8")).hexdigest())


def engine_framework(row: FrameworkRow) -> Framework:
    """The engine's framework for a stored row."""
    return parse_text(row.source_text, row.source_name or f"{row.code}-{row.year}.yaml")


def scored_nodes(framework: Framework) -> list[Node]:
    """The nodes a unit scores: the leaves (criteria, or components without children)."""
    return [node for node in framework.nodes() if node.is_leaf]


def store_framework(text: str, source_name: str) -> FrameworkRow:
    """Validate and store (or replace, same code and year) a framework's YAML text."""
    fw = parse_text(text, source_name)
    row, _ = FrameworkRow.objects.update_or_create(
        code=fw.code,
        year=fw.year,
        defaults={
            "name": fw.name,
            "level": fw.level,
            "source_text": text,
            "source_name": source_name,
        },
    )
    return row
