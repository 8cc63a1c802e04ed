-- Generated from catalog/economy/HF-E-07.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-E-07 (`hfspec explain HF-E-07` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-E-07
SELECT
  CAST(__p0 AS VARCHAR) AS period,
  "metode",
  value,
  n
FROM (
  SELECT
    year("tid"."periode") AS __p0,
    "tid"."metode" AS "metode",
    (sum("tid"."faktisk_timer") * 500::BIGINT) AS value,
    count(DISTINCT "tid"."borger_id") AS n
  FROM "tid"
  GROUP BY 1, 2
)
ORDER BY __p0 NULLS LAST, "metode" NULLS LAST;
