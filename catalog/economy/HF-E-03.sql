-- Generated from catalog/economy/HF-E-03.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-E-03 (`hfspec explain HF-E-03` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-E-03
SELECT
  "tid"."metode" AS "metode",
  (CAST(sum("tid"."faktisk_timer") AS DOUBLE) / NULLIF(sum("tid"."forventet_timer") FILTER (WHERE ("tid"."faktisk_timer" IS NOT NULL)), 0)) AS value,
  count(DISTINCT "tid"."borger_id") AS n
FROM "tid"
GROUP BY 1
ORDER BY 1 NULLS LAST;
