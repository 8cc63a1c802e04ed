-- Generated from catalog/structure/HF-S-04.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-S-04 (`hfspec explain HF-S-04` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-S-04
SELECT
  (CAST(__p0 AS VARCHAR) || '-Q' || CAST(__p1 AS VARCHAR)) AS period,
  "kommune",
  value,
  n
FROM (
  SELECT
    year("boligmarked"."dato") AS __p0,
    quarter("boligmarked"."dato") AS __p1,
    "boligmarked"."kommune" AS "kommune",
    (CAST(sum("boligmarked"."ledige_boliger") FILTER (WHERE ("boligmarked"."prisinterval" = 'under_4000')) AS DOUBLE) / NULLIF(count(DISTINCT "boligmarked"."dato"), 0)) AS value,
    count(*) AS n
  FROM "boligmarked"
  GROUP BY 1, 2, 3
)
ORDER BY __p0 NULLS LAST, __p1 NULLS LAST, "kommune" NULLS LAST;
