-- Generated from catalog/process/HF-P-10.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-10 (`hfspec explain HF-P-10` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-10
SELECT
  (CAST(count(*) FILTER (WHERE (date_diff('day', CAST("borgere"."startdato" AS DATE), CAST("borgere"."slutdato" AS DATE)) <= 275::BIGINT)) AS DOUBLE) / NULLIF(count((date_diff('day', CAST("borgere"."startdato" AS DATE), CAST("borgere"."slutdato" AS DATE)) <= 275::BIGINT)), 0)) AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
WHERE ((("borgere"."metode" = 'CTI') AND ("borgere"."slutdato" IS NOT NULL)));
