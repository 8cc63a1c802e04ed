-- Generated from catalog/process/HF-P-08.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-08 (`hfspec explain HF-P-08` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-08
SELECT
  "borgere"."metode" AS "metode",
  avg(CAST(date_diff('day', CAST("borgere"."visitationsdato" AS DATE), CAST("borgere"."startdato" AS DATE)) AS DOUBLE)) AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
GROUP BY 1
ORDER BY 1 NULLS LAST;
