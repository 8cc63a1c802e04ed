-- Generated from specs/rules/status.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec check` runs for each rule of the file, in file order, with the national
-- catalogue's parameters (hfspec runs it on one line).

-- rule: status-foer-mangler
SELECT
  "status"."borger_id" AS __k0,
  "borgere"."medarbejder_id" AS __k1,
  (count(*) FILTER (WHERE ("status"."maalepunkt" = 'foer')) >= 1::BIGINT) AS __ok,
  count(*) FILTER (WHERE ("status"."maalepunkt" = 'foer')) AS __value
FROM "status"
LEFT JOIN "borgere" ON "status"."borger_id" = "borgere"."borger_id"
WHERE (("borgere"."startdato" <= DATE '2021-12-31'))
GROUP BY 1, 2
ORDER BY __k0 NULLS LAST, __k1 NULLS LAST;

-- rule: status-efter-mangler
SELECT
  "status"."borger_id" AS __k0,
  "borgere"."medarbejder_id" AS __k1,
  (count(*) FILTER (WHERE ("status"."maalepunkt" = 'efter')) >= 1::BIGINT) AS __ok,
  count(*) FILTER (WHERE ("status"."maalepunkt" = 'efter')) AS __value,
  max("borgere"."slutdato") AS __s0
FROM "status"
LEFT JOIN "borgere" ON "status"."borger_id" = "borgere"."borger_id"
WHERE ((("borgere"."slutdato" IS NOT NULL) AND ("borgere"."slutdato" <= DATE '2021-12-31')))
GROUP BY 1, 2
ORDER BY __k0 NULLS LAST, __k1 NULLS LAST;
