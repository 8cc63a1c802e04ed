-- Generated from catalog/process/HF-P-14.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-14 (`hfspec explain HF-P-14` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-14
SELECT
  (CAST(count(DISTINCT "status"."borger_id") FILTER (WHERE ("status"."maalepunkt" = 'efter')) AS DOUBLE) / NULLIF(count(DISTINCT "status"."borger_id"), 0)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
LEFT JOIN "borgere" ON "status"."borger_id" = "borgere"."borger_id"
WHERE (("borgere"."slutdato" IS NOT NULL));
