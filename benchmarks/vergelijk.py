"""Vergelijkbare buurten at national scale: the KD-tree index against a naive pandas search.

On the synthetic Netherlands of :func:`benchmarks.landelijk.synthetic_nation` (``--buurten``,
default 15,000; about 3 % of the values missing, so many missingness patterns), scored
against the whole dataset (``referentie = "dataset"``: every buurt is a candidate):

* ``vergelijk_index_bouwen_ms``: the one-time index build (:meth:`Workspace.peer_index`);
* ``vergelijk_query_ms_mediaan`` / ``_p95``: one query of the index (k from ``[vergelijk]``);
  ``_volledig_ms_mediaan`` / ``_onvolledig_ms_mediaan``: buurten with every value (the trees
  answer) and with a missing value (rows of patterns with a column it lacks are compared one by one);
* ``vergelijk_tabel_ms_mediaan``: :meth:`Workspace.peers` with the index (names and quadrants added);
* ``vergelijk_naief_ms_mediaan`` / ``_p95``: the same question in plain pandas over every row;
* ``vergelijk_versnelling``: naive median / index median;
* ``…_cpu_ms_mediaan``: the same medians in CPU time of this process, which a busy machine
  inflates far less than wall time;
* ``vergelijk_gelijk``: the index and the naive search name the same buurten for every query.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from wijkprofielen.config import load_config
from wijkprofielen.workspace import Workspace
from . import timed
from .landelijk import synthetic_nation

QUERIES = 200


def naive_peers(normed: pd.DataFrame, code: str, k: int, min_gedeeld: int) -> pd.Series:
    """RMS distance over shared indicators to every row, in pandas: what a straightforward implementation does."""
    diff = normed.sub(normed.loc[code], axis=1)
    shared = diff.notna().sum(axis=1)
    afstand = (diff ** 2).mean(axis=1, skipna=True) ** 0.5
    afstand = afstand[(shared >= min_gedeeld) & (afstand.index != code)]
    return afstand.sort_values(kind="mergesort").head(k)


def _ms(values: list[float]) -> tuple[float, float]:
    a = np.array(values) * 1000
    return round(float(np.median(a)), 3), round(float(np.percentile(a, 95)), 3)


def run(options) -> dict:
    n = getattr(options, "buurten", 15_000)
    ds = synthetic_nation(n)
    ws = Workspace(load_config(getattr(options, "config", None)))
    frame, result = ws.scored(ds, recipe=ws.recipe("dataset"))
    index, build_s = timed(ws.peer_index, frame, result)
    opts = ws.cfg.vergelijk
    codes = np.random.default_rng(7).choice(result.scores.index.to_numpy(), min(QUERIES, len(result.scores)), replace=False)
    normed = result.genormaliseerd
    fast, table, slow, same = [], [], [], True
    cpu_fast, cpu_slow = [], []
    for code in codes:
        t0, c0 = time.perf_counter(), time.process_time()
        found = index.query(code, opts.k)
        fast.append(time.perf_counter() - t0)
        cpu_fast.append(time.process_time() - c0)
        t0 = time.perf_counter()
        ws.peers(frame, result, code, index=index)
        table.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        naive = naive_peers(normed, code, opts.k, opts.min_gedeelde_indicatoren)
        slow.append(time.perf_counter() - t0)
        cpu_slow.append(time.process_time() - c0)
        # The naive search has no inhabitant rule; compare where every peer is a candidate.
        same &= np.allclose(found["afstand"].to_numpy(), naive.to_numpy()[:len(found)]) or len(found) < opts.k
    q_med, q_p95 = _ms(fast)
    complete = normed.loc[codes].notna().all(axis=1).to_numpy()
    fast_a = np.array(fast)
    n_med, n_p95 = _ms(slow)
    patterns = int(pd.DataFrame(normed.notna()).drop_duplicates().shape[0])
    return {
        "vergelijk_buurten": len(normed),
        "vergelijk_indicatoren": normed.shape[1],
        "vergelijk_ontbrekingspatronen": patterns,
        "vergelijk_index_bouwen_ms": round(build_s * 1000, 1),
        "vergelijk_query_ms_mediaan": q_med,
        "vergelijk_query_ms_p95": q_p95,
        "vergelijk_query_volledig_ms_mediaan": _ms(list(fast_a[complete]))[0],
        "vergelijk_query_onvolledig_ms_mediaan": _ms(list(fast_a[~complete]))[0] if (~complete).any() else None,
        "vergelijk_kd_bomen": index.trees,
        "vergelijk_tabel_ms_mediaan": _ms(table)[0],
        "vergelijk_naief_ms_mediaan": n_med,
        "vergelijk_naief_ms_p95": n_p95,
        "vergelijk_versnelling": round(n_med / q_med, 1) if q_med else None,
        "vergelijk_query_cpu_ms_mediaan": _ms(cpu_fast)[0],
        "vergelijk_naief_cpu_ms_mediaan": _ms(cpu_slow)[0],
        "vergelijk_gelijk": bool(same),
    }
