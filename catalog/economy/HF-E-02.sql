-- Generated from catalog/economy/HF-E-02.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-E-02 (`hfspec explain HF-E-02` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-E-02
SELECT
  "tid"."fase" AS "fase",
  (CAST(sum("tid"."faktisk_timer") AS DOUBLE) / NULLIF(count(DISTINCT "tid"."borger_id") FILTER (WHERE ("tid"."faktisk_timer" IS NOT NULL)), 0)) AS value,
  count(DISTINCT "tid"."borger_id") AS n
FROM "tid"
WHERE ((("tid"."metode" = 'CTI') AND ("tid"."fase" IS NOT NULL)))
GROUP BY 1
ORDER BY 1 NULLS LAST;
