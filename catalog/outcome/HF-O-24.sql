-- Generated from catalog/outcome/HF-O-24.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-24 (`hfspec explain HF-O-24` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-24
SELECT
  CAST(__p0 AS VARCHAR) AS period,
  value,
  n
FROM (
  SELECT
    year("fogedsager"."dato") AS __p0,
    count(*) FILTER (WHERE "fogedsager"."afvaerget") AS value,
    count(DISTINCT "fogedsager"."borger_id") AS n
  FROM "fogedsager"
  GROUP BY 1
)
ORDER BY __p0 NULLS LAST;
