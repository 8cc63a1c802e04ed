"""Key figures that share everything but their measure share one query: their results must be
exactly those of each key figure computed alone."""

from __future__ import annotations

import duckdb
import pytest

from hfspec.engine import tables
from hfspec.data.ingest import load_data
from hfspec.resources import demo_data, national_catalogue
from hfspec.settings import DEFAULT_K
from hfspec.spec.project import load_project


@pytest.fixture(scope="module")
def national():
    project = load_project([national_catalogue()])
    con = duckdb.connect()
    load_data(con, project.datasets, demo_data())
    return project, con


def test_shared_queries_give_what_each_key_figure_gives_alone(national):
    project, con = national
    ids = list(project.indicators)
    together = {r.spec.id: r for r in tables.evaluate(project, con, ids, DEFAULT_K).indicators}
    for iid in ids:
        [alone] = tables.evaluate(project, con, [iid], DEFAULT_K).indicators
        assert [(r.period, r.by, r.value, r.n, r.suppressed, r.status) for r in together[iid].rows] == \
               [(r.period, r.by, r.value, r.n, r.suppressed, r.status) for r in alone.rows], iid
        assert together[iid].sql == alone.sql  # `hfspec explain` shows the key figure's own query


def test_the_national_catalogue_has_key_figures_that_share_a_query(national):
    project, _ = national
    shapes = {tables._shape(c, None, None, None) for c in project.compiled.values() if not c.spec.derived}
    queried = sum(1 for c in project.compiled.values() if not c.spec.derived)
    assert len(shapes) < queried - 5  # HF-O-02..05 and HF-O-13..16 among them
