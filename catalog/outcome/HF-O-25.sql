-- Generated from catalog/outcome/HF-O-25.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-25 (`hfspec explain HF-O-25` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-25
SELECT
  "status"."maalepunkt" AS "maalepunkt",
  (CAST(count(*) FILTER (WHERE ("status"."ors" < 25::BIGINT)) AS DOUBLE) / NULLIF(count(("status"."ors" < 25::BIGINT)), 0)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
WHERE (("status"."ors" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
