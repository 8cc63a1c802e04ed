-- Generated from catalog/economy/HF-E-04.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-E-04 (`hfspec explain HF-E-04` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-E-04
SELECT
  "borgere"."kommune" AS "kommune",
  sum("herberg"."udgift") AS value,
  count(DISTINCT "herberg"."borger_id") AS n
FROM "herberg"
LEFT JOIN "borgere" ON "herberg"."borger_id" = "borgere"."borger_id"
GROUP BY 1
ORDER BY 1 NULLS LAST;
