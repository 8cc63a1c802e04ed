-- Generated from catalog/outcome/HF-O-15.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-15 (`hfspec explain HF-O-15` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-15
SELECT
  "status"."maalepunkt" AS "maalepunkt",
  (CAST(count(*) FILTER (WHERE ("status"."forsoergelse" = 'su')) AS DOUBLE) / NULLIF(count(("status"."forsoergelse" = 'su')), 0)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
WHERE (("status"."forsoergelse" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
