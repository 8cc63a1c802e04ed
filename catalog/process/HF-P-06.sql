-- Generated from catalog/process/HF-P-06.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-06 (`hfspec explain HF-P-06` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-06
SELECT
  "status"."maalepunkt" AS "maalepunkt",
  (CAST(count(*) FILTER (WHERE ("status"."srs" <= 36::BIGINT)) AS DOUBLE) / NULLIF(count(("status"."srs" <= 36::BIGINT)), 0)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
WHERE (("status"."srs" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
