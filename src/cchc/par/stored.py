"""One year's results as bytes, and back: what a published campaign keeps so that its pages
never compute its results again.

Published results never change under their publication, yet computing them reads every
criterion score (a country's communes: ~345 000) and rolls them up. ``pack`` writes what
``plain_results`` gave — every unit's total, applicable maximum, index, rank and band, and
every node's score, maximum, index and rank — and ``unpack`` rebuilds the same ``Results``
(equal field by field, the same floats), so nothing is computed twice and nothing is
computed differently: the rule stays ``cchc.par.results``'. Last year's comparison is not
stored; it is made on reading (``compare_results``), since last year's publication may be
corrected after this one.

The bytes are a NumPy archive (no pickles): the arrays, and the names and bands as JSON.
"""

from __future__ import annotations

import io
import json
import math

import numpy as np

from cchc.par.framework import Framework
from cchc.par.results import NodeResults, Results, UnitResult, summary_of
from cchc.par.table import NodeTable

__all__ = ["FORMAT", "StoredResultsError", "pack", "unpack"]

#: Raised when what ``pack`` writes changes; a stored row of another format is recomputed.
FORMAT = 1


class StoredResultsError(ValueError):
    """Bytes that are not results of this format and framework."""


def pack(results: Results) -> bytes:
    """One year's results on their own (``plain_results``) as bytes for ``unpack``."""
    if results.previous_year is not None:
        raise ValueError("only one year's results on their own are stored")
    table = _table(results)
    rows = [table.row[u.unit_code] for u in results.units]
    meta = {
        "format": FORMAT,
        "framework": results.framework.code,
        "year": results.framework.year,
        "illustrative": results.illustrative,
        "codes": list(table.codes),
        "units": [[u.unit_code, u.unit_name, u.band] for u in results.units],
    }
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        meta=np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8),
        totals=np.array([[u.score, u.max, u.index] for u in results.units], dtype=np.float64)
        .reshape(len(results.units), 3),
        ranks=np.array([u.rank for u in results.units], dtype=np.int64),
        score=table.score[rows],
        max=table.max[rows],
        index=table.index[rows],
        rank=table.rank[rows],
    )
    return buffer.getvalue()


def unpack(framework: Framework, data: bytes) -> Results:
    """The ``Results`` that ``pack`` wrote, on ``framework`` (the one they were computed on)."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as archive:
            arrays = {name: archive[name] for name in archive.files}
        meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise StoredResultsError(f"kết quả đã lưu không đọc được: {exc}") from None
    if meta.get("format") != FORMAT:
        raise StoredResultsError(f"kết quả đã lưu theo định dạng {meta.get('format')!r}")
    if (meta["framework"], meta["year"]) != (framework.code, framework.year):
        raise StoredResultsError(
            f"kết quả đã lưu của bộ chỉ số {meta['framework']} năm {meta['year']}, "
            f"không phải {framework.code} năm {framework.year}"
        )
    units_meta = meta["units"]
    table = NodeTable(
        tuple(code for code, _, _ in units_meta),
        tuple(meta["codes"]),
        arrays["score"],
        arrays["max"],
        arrays["index"],
        arrays["rank"],
    )
    units = [
        UnitResult(
            unit_code=code,
            unit_name=name,
            score=score,
            max=amax,
            index=index,
            rank=rank,
            band=band,
            components=NodeResults(table, i),
        )
        for i, ((code, name, band), (score, amax, index), rank) in enumerate(
            zip(units_meta, arrays["totals"].tolist(), arrays["ranks"].tolist(), strict=True)
        )
    ]
    return Results(
        framework=framework,
        units=units,
        summary=summary_of(framework, units),
        illustrative=bool(meta["illustrative"]),
        table=table,
    )


def _table(results: Results) -> NodeTable:
    """The results' node table; built from each unit's nodes when the per-unit rule
    computed them (no table)."""
    table = results.table
    if table is not None and all(
        isinstance(u.components, NodeResults) and u.components.table is table and u.components.previous is None
        for u in results.units
    ):
        return table
    codes = tuple(n.code for n in results.framework.nodes())
    shape = (len(results.units), len(codes))
    score, top, index = np.full(shape, np.nan), np.zeros(shape), np.full(shape, np.nan)
    rank = np.zeros(shape, dtype=np.int64)
    for i, unit in enumerate(results.units):
        for j, code in enumerate(codes):
            node = unit.components[code]
            score[i, j] = _float(node.score)
            top[i, j] = node.max
            index[i, j] = _float(node.index)
            rank[i, j] = node.rank or 0
    return NodeTable(tuple(u.unit_code for u in results.units), codes, score, top, index, rank)


def _float(value: float | None) -> float:
    return math.nan if value is None else value
