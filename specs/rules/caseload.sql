-- Generated from specs/rules/caseload.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec check` runs for each rule of the file, in file order, with the national
-- catalogue's parameters (hfspec runs it on one line).

-- rule: cti-caseload
SELECT
  "borgere"."medarbejder_id" AS __k0,
  (count(DISTINCT "borgere"."borger_id") <= 10::BIGINT) AS __ok,
  count(DISTINCT "borgere"."borger_id") AS __value
FROM "borgere"
WHERE (((("borgere"."metode" = 'CTI') AND ("borgere"."startdato" <= DATE '2021-12-31')) AND (("borgere"."slutdato" IS NULL) OR ("borgere"."slutdato" > DATE '2021-12-31'))))
GROUP BY 1
ORDER BY __k0 NULLS LAST;

-- rule: icm-act-caseload
SELECT
  "borgere"."medarbejder_id" AS __k0,
  (count(DISTINCT "borgere"."borger_id") <= 8::BIGINT) AS __ok,
  count(DISTINCT "borgere"."borger_id") AS __value
FROM "borgere"
WHERE (((("borgere"."metode" IN ('ICM', 'ACT')) AND ("borgere"."startdato" <= DATE '2021-12-31')) AND (("borgere"."slutdato" IS NULL) OR ("borgere"."slutdato" > DATE '2021-12-31'))))
GROUP BY 1
ORDER BY __k0 NULLS LAST;
