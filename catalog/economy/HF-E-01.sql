-- Generated from catalog/economy/HF-E-01.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-E-01 (`hfspec explain HF-E-01` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-E-01
SELECT
  CAST(__p0 AS VARCHAR) AS period,
  value,
  n
FROM (
  SELECT
    year("tid"."periode") AS __p0,
    avg(CAST("tid"."faktisk_timer" AS DOUBLE)) AS value,
    count(DISTINCT "tid"."borger_id") AS n
  FROM "tid"
  WHERE (("tid"."metode" = 'ICM'))
  GROUP BY 1
)
ORDER BY __p0 NULLS LAST;
