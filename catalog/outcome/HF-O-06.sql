-- Generated from catalog/outcome/HF-O-06.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-06 (`hfspec explain HF-O-06` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-06
SELECT
  "borgere"."kommune" AS "kommune",
  sum("herberg"."doegn") AS value,
  count(DISTINCT "herberg"."borger_id") AS n
FROM "herberg"
LEFT JOIN "borgere" ON "herberg"."borger_id" = "borgere"."borger_id"
GROUP BY 1
ORDER BY 1 NULLS LAST;
