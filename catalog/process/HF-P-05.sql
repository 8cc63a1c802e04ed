-- Generated from catalog/process/HF-P-05.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-05 (`hfspec explain HF-P-05` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-05
SELECT
  "status"."maalepunkt" AS "maalepunkt",
  count(DISTINCT "status"."borger_id") FILTER (WHERE ("status"."ors" >= 25::BIGINT)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
WHERE (("status"."ors" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
