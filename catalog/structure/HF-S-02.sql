-- Generated from catalog/structure/HF-S-02.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-S-02 (`hfspec explain HF-S-02` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-S-02
SELECT
  (CAST(__p0 AS VARCHAR) || '-H' || CAST(__p1 AS VARCHAR)) AS period,
  "kommune",
  value,
  n
FROM (
  SELECT
    year("boligmarked"."dato") AS __p0,
    CASE WHEN month("boligmarked"."dato") <= 6 THEN 1 ELSE 2 END AS __p1,
    "boligmarked"."kommune" AS "kommune",
    avg(CAST("boligmarked"."ventetid_anvisning_dage" AS DOUBLE)) AS value,
    count(*) AS n
  FROM "boligmarked"
  GROUP BY 1, 2, 3
)
ORDER BY __p0 NULLS LAST, __p1 NULLS LAST, "kommune" NULLS LAST;
