"""The AJCC 8th edition stage groups, compiled once into a lookup array.

``datasets/ajcc8_stage_groups.csv`` gives, for the trunk, extremity and retroperitoneum, the T, N,
M and G that make each stage group (IA to IV), with the PDQ wording and a note. It is compiled
into one array indexed by site, T, N, M and G, whose cell is the row of the group that applies
(or -1 where none does), so that :func:`~sarcoma_edu.clinical.staging.stage` (one patient) and
:func:`~sarcoma_edu.clinical.staging_frame.stage_frame` (a whole table, vectorised) read the same
cells and always agree. A table edit that lets two rows match one patient is refused here.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sarcoma_edu.clinical.grading import GRADE_CODES
from sarcoma_edu.clinical.provenance import looked_up
from sarcoma_edu.clinical.table_columns import matches
from sarcoma_edu.clinical.tables import DatasetError, load_table
from sarcoma_edu.clinical.vocabulary import SITES, STAGES, T_CODES

__all__ = ["TABLE", "StageGroups", "lettered_groups", "stage_groups"]

TABLE = "ajcc8_stage_groups.csv"


def lettered_groups(group: str) -> tuple[str, ...]:
    """The lettered groups a group stands for: itself if it has its letter, ``("IA", "IB")`` for stage I.

    Stage I is what the table gives a tumour of unknown size whose every size gives IA or IB.
    """
    if group in STAGES:
        return (group,)
    return tuple(s for s in STAGES if re.fullmatch(re.escape(group) + "[ABC]", s))  # a letter, not a numeral I or V


@dataclass(frozen=True)
class StageGroups:
    """The stage group table and its lookup array."""

    lookup: np.ndarray  # [site, T (TX last), N, M, G] -> row index into groups, -1 for none
    groups: pd.DataFrame  # the stage group table
    records: tuple[tuple, ...]  # its rows as named tuples (``row.stage``, ``row.note``, ...), read without pandas

    def row(self, site: str, t: str, n: int, m: int, g: str) -> tuple | None:
        """The stage group row (a named tuple of its columns) for already validated categories (``n``, ``m`` as 0
        or 1), or None."""
        index = int(self.lookup[SITES.index(site), T_CODES.index(t), n, m, GRADE_CODES.index(g)])
        if index < 0:
            looked_up(TABLE)  # no row applies: that rests on the whole table
            return None
        row = self.records[index]
        looked_up(TABLE, row)
        return row


@functools.cache
def stage_groups() -> StageGroups:
    """Read ``ajcc8_stage_groups.csv`` once and compile its lookup array.

    Raises:
        DatasetError: two rows match the same site, T, N, M and G.
    """
    groups = load_table(TABLE)
    lookup = np.full((len(SITES), len(T_CODES), 2, 2, len(GRADE_CODES)), -1, dtype=np.int16)
    rows = tuple(groups.itertuples(index=False))  # read once: the product below is 800 combinations
    for (si, site), (ti, t), n, m, (gi, g) in itertools.product(
        enumerate(SITES), enumerate(T_CODES), (0, 1), (0, 1), enumerate(GRADE_CODES)
    ):
        hits = [
            i
            for i, row in enumerate(rows)
            if row.site == site
            and matches(row.t, t)
            and matches(row.n, f"N{n}")
            and matches(row.m, f"M{m}")
            and matches(row.g, g)
        ]
        if len(hits) > 1:
            raise DatasetError(
                f"ajcc8_stage_groups.csv: rows {[h + 2 for h in hits]} all match {site} {t} N{n} M{m} {g}; "
                "each combination must match at most one row"
            )
        if hits:
            lookup[si, ti, n, m, gi] = hits[0]
    return StageGroups(lookup=lookup, groups=groups, records=rows)
