-- Generated from catalog/outcome/HF-O-01.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-01 (`hfspec explain HF-O-01` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-01
SELECT
  "borgere"."kommune" AS "kommune",
  "status"."maalepunkt" AS "maalepunkt",
  (CAST(count(*) FILTER (WHERE ("status"."boligsituation" = 'egen_bolig')) AS DOUBLE) / NULLIF(count(("status"."boligsituation" = 'egen_bolig')), 0)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
LEFT JOIN "borgere" ON "status"."borger_id" = "borgere"."borger_id"
WHERE (("status"."boligsituation" IS NOT NULL))
GROUP BY 1, 2
ORDER BY 1 NULLS LAST, 2 NULLS LAST;
