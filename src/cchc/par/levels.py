"""How the narrative names a framework's level and the units assessed at it.

The words follow the seed article ("xếp vị trí thứ nhất cấp huyện", "có 02 xã, phường
xếp loại xuất sắc"); the other levels use the usual wording of provincial CCHC reports.
A caller can override the level words (``unit_narrative(..., level_label=...)``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LEVELS", "Level"]


@dataclass(frozen=True)
class Level:
    """``label``: the level in running text; ``units``: the assessed units, plural."""

    label: str
    units: str


LEVELS: dict[str, Level] = {
    "ministry": Level("khối bộ, cơ quan ngang bộ", "bộ, cơ quan ngang bộ"),
    "province": Level("cấp tỉnh", "tỉnh, thành phố"),
    "agency": Level("khối sở, ban, ngành", "sở, ban, ngành"),
    "district": Level("cấp huyện", "huyện, thị xã, thành phố"),
    "commune": Level("cấp xã", "xã, phường"),
}
