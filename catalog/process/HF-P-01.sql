-- Generated from catalog/process/HF-P-01.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-01 (`hfspec explain HF-P-01` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-01
SELECT
  "borgere"."kommune" AS "kommune",
  count(DISTINCT "borgere"."borger_id") AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
GROUP BY 1
ORDER BY 1 NULLS LAST;
