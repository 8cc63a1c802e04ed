-- Generated from catalog/process/HF-P-02.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-02 (`hfspec explain HF-P-02` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-02
SELECT
  "borgere"."metode" AS "metode",
  count(DISTINCT "borgere"."borger_id") AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
WHERE ((("borgere"."startdato" <= DATE '2021-12-31') AND (("borgere"."slutdato" IS NULL) OR ("borgere"."slutdato" > DATE '2021-12-31'))))
GROUP BY 1
ORDER BY 1 NULLS LAST;
