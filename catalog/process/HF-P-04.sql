-- Generated from catalog/process/HF-P-04.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-04 (`hfspec explain HF-P-04` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-04
SELECT
  "borgere"."metode" AS "metode",
  (CAST(count(*) FILTER (WHERE "borgere"."samarbejdsmodel") AS DOUBLE) / NULLIF(count("borgere"."samarbejdsmodel"), 0)) AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
WHERE ((("borgere"."startdato" <= DATE '2021-12-31') AND (("borgere"."slutdato" IS NULL) OR ("borgere"."slutdato" > DATE '2021-12-31'))))
GROUP BY 1
ORDER BY 1 NULLS LAST;
