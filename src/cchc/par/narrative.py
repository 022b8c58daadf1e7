"""Vietnamese text generated from results, in the style of the seed report.

The seed (Hoài Nhơn, 16/03/2023) writes: "Chỉ số CCHC 02 năm liên tục (2021-2022) xếp vị
trí thứ nhất cấp huyện (đạt 88,41/100 điểm); kết quả thực hiện công tác CCHC đạt 55,46/60
điểm (năm 2021 đạt 53,46/60 điểm); ... đạt 6,67/10 điểm, đứng vị trí thứ 2/11 (năm 2021 đạt
8/10 điểm xếp vị trí thứ 3/11 cấp huyện); ..." and "Chỉ số CCHC năm 2022 đối với cấp xã có
giá trị trung bình đạt 91,4%, có 02 xã, phường xếp loại xuất sắc, còn lại đều xếp loại tốt."

The article is not uniform (one component has no rank, one rank change is not stated);
the generator applies one rule to every component: score, rank among the units, the change
since last year and last year's figures. Only the top-level components are described.
"""

from __future__ import annotations

from cchc.fmt import count2, format_number, ordinal, rank_change_phrase
from cchc.par.levels import LEVELS
from cchc.par.results import NodeResult, Results, UnitResult

__all__ = ["in_sentence", "level_narrative", "merged_reason", "paragraphs", "unit_narrative"]


def _merger_basis(level: str) -> str:
    # Departments were merged by each province under Decree 45/2025/NĐ-CP; communes and
    # provinces by resolutions of the National Assembly (Standing Committee).
    if level == "agency":
        return "theo nghị quyết của Hội đồng nhân dân tỉnh về sắp xếp các cơ quan chuyên môn năm 2025"
    return "theo nghị quyết sắp xếp đơn vị hành chính năm 2025"


def merged_reason(level: str) -> str:
    """Why a unit formed from several has no single figure to compare with (an aggregate needs
    a weight stated for every predecessor); the weights named are examples for the level."""
    if level == "agency":
        return (
            "cơ quan mới hình thành từ nhiều cơ quan, chưa có trọng số (ví dụ số hồ sơ hoặc "
            "biên chế) để tổng hợp kết quả của các cơ quan tiền thân"
        )
    return (
        "đơn vị mới hình thành từ nhiều đơn vị, chưa có trọng số (dân số hoặc số hồ sơ) để "
        "tổng hợp kết quả của các đơn vị tiền thân"
    )


def paragraphs(text: str) -> list[str]:
    """A narrative's paragraphs (one a line), blank lines dropped: what pages and reports lay out."""
    return [p.strip() for p in text.split("\n") if p.strip()]


def _num(value: float) -> str:
    # One rule for every number of the narrative, as the seed report writes them: trailing
    # zeros dropped ("8/10", "91,4%", "88,41%"); docs/par.md (Narrative) says why.
    return format_number(value, 2, trim=True)


def _lower_first(text: str) -> str:
    """ "Mức độ hài lòng" → "mức độ hài lòng"; acronyms ("TTHC", "A") stay as they are."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def _name(text: str) -> str:
    # Inside a sentence about "Chỉ số CCHC" the seed abbreviates the full term.
    return _lower_first(text).replace("cải cách hành chính", "CCHC")


def _position(rank: int, of: int | None) -> str:
    """ "thứ nhất" for the first (the seed's wording), "thứ 5/11" otherwise."""
    if rank == 1:
        return ordinal(1)
    return f"thứ {rank}/{of}" if of else ordinal(rank)


def _points(score: float, maximum: float, *, with_index: bool) -> str:
    text = f"{_num(score)}/{_num(maximum)} điểm"
    if with_index:
        text += f", chỉ số {_num(score / maximum * 100)}%"
    return text


def unit_narrative(results: Results, unit_code: str, *, level_label: str | None = None) -> str:
    """The paragraph on one unit: total rank and score, then each component.

    ``level_label`` overrides the level words ("cấp huyện") taken from the framework.
    Raises KeyError when the unit is not in the results.
    """
    unit = results.unit(unit_code)
    framework = results.framework
    level = level_label or framework.level_label
    parts = [_headline(results, unit, level)]
    for component in framework.components:
        parts.append(_component(results, unit, component.code, component.name, level))
    text = "; ".join(parts) + "."
    if unit.band:
        text += f" Kết quả xếp loại: {_lower_first(unit.band)}."
    if unit.predecessors:
        text += " " + _predecessors(results, unit)
    return text


def _predecessors(results: Results, unit: UnitResult) -> str:
    """A unit formed from several: each predecessor's last result, and an aggregate only
    when a weight was stated for it (never an average made up without one)."""
    py = results.previous_year
    n = results.previous_units
    each = "; ".join(
        f"{in_sentence(p.unit_name or p.unit_code)} năm {py} đạt {_num(p.index)}%, "
        f"xếp vị trí {_position(p.rank, n)}"
        for p in unit.predecessors
    )
    level = results.framework.level
    noun = "Cơ quan" if level == "agency" else "Đơn vị"
    text = (
        f"{noun} được hình thành từ {count2(len(unit.predecessors))} {noun.lower()} "
        f"({_merger_basis(level)}): {each}."
    )
    merged = unit.merged_previous
    if merged is None:
        return text + f" Không có số liệu so sánh với năm {py}: {merged_reason(level)}."
    return text + (
        f" Chỉ số năm {py} tổng hợp từ các đơn vị tiền thân (bình quân gia quyền theo "
        f"{merged.weight_label}, số liệu tổng hợp để tham khảo): {_num(merged.index)}%."
    )


def _headline(results: Results, unit: UnitResult, level: str) -> str:
    year = results.framework.year
    n = results.summary.units
    odd_max = abs(unit.max - 100) > 1e-9
    points = _points(unit.score, unit.max, with_index=odd_max)
    tie = " (đồng hạng)" if results.tied(unit.rank) > 1 else ""
    prev = unit.previous
    py = results.previous_year
    if prev is not None and py is not None and prev.rank == 1 and unit.rank == 1:
        # Two years at the top is what the data can show; the seed says it this way.
        return (
            f"Chỉ số CCHC {count2(2)} năm liên tục ({py}-{year}) xếp vị trí "
            f"{ordinal(1)} {level}{tie} (đạt {points})"
        )
    text = (
        f"Chỉ số CCHC năm {year} xếp vị trí {_position(unit.rank, n)} {level}{tie} (đạt {points})"
    )
    if prev is not None and py is not None and unit.rank_change is not None:
        before = _points(prev.score, prev.max, with_index=abs(prev.max - 100) > 1e-9)
        text += _change(unit.rank_change, py)
        text += f" (năm {py} đạt {before}"
        if unit.rank_change != 0:
            text += f", xếp vị trí {_position(prev.rank, results.previous_units)} {level}"
        text += ")"
    return text


def _change(change: int, py: int) -> str:
    # rank_change_phrase(0) is "giữ nguyên vị trí": one wording for every case.
    return f", {rank_change_phrase(change)} so với năm {py}"


def _component(results: Results, unit: UnitResult, code: str, name: str, level: str) -> str:
    node: NodeResult = unit.components[code]
    label = _name(name)
    if node.score is None or node.rank is None:
        return f"{label} không áp dụng"
    n = results.ranked(code)
    tied = results.tied(node.rank, code)
    text = f"{label} đạt {_num(node.score)}/{_num(node.max)} điểm, đứng vị trí {_position(node.rank, n)}"
    if tied > 1:
        text += " (đồng hạng)"
    py = results.previous_year
    if py is None or node.previous_score is None or node.previous_max is None:
        return text
    prev_n = results.previous_units
    before = f"năm {py} đạt {_num(node.previous_score)}/{_num(node.previous_max)} điểm"
    if node.rank_change is None or node.previous_rank is None:
        return f"{text} ({before})"
    text += _change(node.rank_change, py)
    if node.rank_change == 0:
        return f"{text} ({before})"
    return f"{text} ({before}, xếp vị trí {_position(node.previous_rank, prev_n)} {level})"


def level_narrative(results: Results) -> str:
    """The paragraph on a whole level: average index, band counts, highest and lowest."""
    framework = results.framework
    summary = results.summary
    level = LEVELS[framework.level]
    text = (
        f"Chỉ số CCHC năm {framework.year} đối với {level.label} có giá trị trung bình "
        f"đạt {_num(summary.average_index)}%"
    )
    if results.previous_summary is not None and results.previous_year is not None:
        text += (
            f" (năm {results.previous_year} đạt {_num(results.previous_summary.average_index)}%)"
        )
    text += _bands(results, level.units)
    text += "."
    if summary.units > 1:
        top = [u for u in results.units if u.rank == 1]
        bottom_rank = max(u.rank for u in results.units)
        bottom = [u for u in results.units if u.rank == bottom_rank]
        text += f" Đơn vị có chỉ số cao nhất là {_names(top)}, thấp nhất là {_names(bottom)}."
    return text


def _names(units: list[UnitResult]) -> str:
    return ", ".join(f"{in_sentence(u.unit_name)} ({_num(u.index)}%)" for u in units)


# The kind of a unit, capitalised when a name stands alone ("Huyện An Lão"), is written in
# lower case inside a sentence ("thấp nhất là huyện An Lão"), as Vietnamese reports write it.
_KINDS = ("Thành phố", "Thị xã", "Thị trấn", "Đặc khu", "Huyện", "Quận", "Phường", "Xã", "Tỉnh")


def in_sentence(name: str) -> str:
    """A unit's name as written inside a sentence: "Huyện An Lão" → "huyện An Lão"."""
    for kind in _KINDS:
        if name.startswith(kind + " "):
            return kind.lower() + name[len(kind):]
    return name


def _bands(results: Results, noun: str) -> str:
    present = [(label, n) for label, n in results.summary.band_counts.items() if n > 0]
    unbanded = results.summary.units - sum(n for _, n in present)
    if not present:
        return ""
    if len(present) == 1 and not unbanded:
        label, n = present[0]
        return f", cả {count2(n)} {noun} đều xếp loại {_lower_first(label)}"
    if len(present) == 2 and not unbanded:
        (first, n1), (second, _) = present
        return (
            f", có {count2(n1)} {noun} xếp loại {_lower_first(first)}, "
            f"còn lại đều xếp loại {_lower_first(second)}"
        )
    pieces = [f"{count2(n)} xếp loại {_lower_first(label)}" for label, n in present]
    if unbanded:
        pieces.append(f"{count2(unbanded)} chưa đạt mức xếp loại nào")
    pieces[0] = pieces[0].replace(" xếp loại ", f" {noun} xếp loại ", 1)
    if len(pieces) == 1:
        return f", có {pieces[0]}"
    return ", có " + ", ".join(pieces[:-1]) + " và " + pieces[-1]
