-- Generated from catalog/process/HF-P-09.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-09 (`hfspec explain HF-P-09` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-09
SELECT
  "borgere"."metode" AS "metode",
  avg(CAST(date_diff('day', CAST("borgere"."startdato" AS DATE), CAST("borgere"."slutdato" AS DATE)) AS DOUBLE)) AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
WHERE (("borgere"."slutdato" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
