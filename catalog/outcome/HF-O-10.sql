-- Generated from catalog/outcome/HF-O-10.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-10 (`hfspec explain HF-O-10` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-10
SELECT
  "status"."maalepunkt" AS "maalepunkt",
  count(DISTINCT "status"."borger_id") FILTER (WHERE "status"."bostoette_sel85") AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
WHERE (("status"."bostoette_sel85" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
