-- Generated from catalog/process/HF-P-12.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-12 (`hfspec explain HF-P-12` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-12
SELECT
  (CAST(count(DISTINCT "borgere"."borger_id") AS DOUBLE) / NULLIF(count(DISTINCT "borgere"."medarbejder_id"), 0)) AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
WHERE (((("borgere"."metode" = 'CTI') AND ("borgere"."startdato" <= DATE '2021-12-31')) AND (("borgere"."slutdato" IS NULL) OR ("borgere"."slutdato" > DATE '2021-12-31'))));
