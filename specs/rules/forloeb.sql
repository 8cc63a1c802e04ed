-- Generated from specs/rules/forloeb.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec check` runs for each rule of the file, in file order, with the national
-- catalogue's parameters (hfspec runs it on one line).

-- rule: cti-varighed
WITH __checked AS (
  SELECT
    "borgere"."borger_id" AS __k0,
    "borgere".__row AS __k1,
    ((CASE WHEN CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE) >= CAST("borgere"."startdato" AS DATE) THEN ((year(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) - year(CAST("borgere"."startdato" AS DATE))) * 12 + month(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) - month(CAST("borgere"."startdato" AS DATE)) - CASE WHEN day(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) < day(CAST("borgere"."startdato" AS DATE)) THEN 1 ELSE 0 END) ELSE -((year(CAST("borgere"."startdato" AS DATE)) - year(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE))) * 12 + month(CAST("borgere"."startdato" AS DATE)) - month(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) - CASE WHEN day(CAST("borgere"."startdato" AS DATE)) < day(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) THEN 1 ELSE 0 END) END) <= (9::BIGINT + 1::BIGINT)) AS __ok,
    (CASE WHEN CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE) >= CAST("borgere"."startdato" AS DATE) THEN ((year(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) - year(CAST("borgere"."startdato" AS DATE))) * 12 + month(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) - month(CAST("borgere"."startdato" AS DATE)) - CASE WHEN day(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) < day(CAST("borgere"."startdato" AS DATE)) THEN 1 ELSE 0 END) ELSE -((year(CAST("borgere"."startdato" AS DATE)) - year(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE))) * 12 + month(CAST("borgere"."startdato" AS DATE)) - month(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) - CASE WHEN day(CAST("borgere"."startdato" AS DATE)) < day(CAST(coalesce("borgere"."slutdato", DATE '2021-12-31') AS DATE)) THEN 1 ELSE 0 END) END) AS __value,
    "borgere"."startdato" AS __s0,
    "borgere"."slutdato" AS __s1,
    "borgere"."medarbejder_id" AS __s2
  FROM "borgere"
  WHERE ((("borgere"."metode" = 'CTI') AND ("borgere"."startdato" <= DATE '2021-12-31')))
)
SELECT
  __totals.__n,
  __totals.__unknown,
  __failed.*
FROM (
  SELECT
    count(*) AS __n,
    count(*) FILTER (WHERE __ok IS NULL) AS __unknown
  FROM __checked
) AS __totals
LEFT JOIN (
  SELECT *
  FROM __checked
  WHERE NOT __ok
) AS __failed ON TRUE
ORDER BY __k1;

-- rule: icm-act-status-mangler
SELECT
  "status"."borger_id" AS __k0,
  "borgere"."medarbejder_id" AS __k1,
  ((CASE WHEN CAST(DATE '2021-12-31' AS DATE) >= CAST(max("status"."dato") AS DATE) THEN ((year(CAST(DATE '2021-12-31' AS DATE)) - year(CAST(max("status"."dato") AS DATE))) * 12 + month(CAST(DATE '2021-12-31' AS DATE)) - month(CAST(max("status"."dato") AS DATE)) - CASE WHEN day(CAST(DATE '2021-12-31' AS DATE)) < day(CAST(max("status"."dato") AS DATE)) THEN 1 ELSE 0 END) ELSE -((year(CAST(max("status"."dato") AS DATE)) - year(CAST(DATE '2021-12-31' AS DATE))) * 12 + month(CAST(max("status"."dato") AS DATE)) - month(CAST(DATE '2021-12-31' AS DATE)) - CASE WHEN day(CAST(max("status"."dato") AS DATE)) < day(CAST(DATE '2021-12-31' AS DATE)) THEN 1 ELSE 0 END) END) <= 6::BIGINT) AS __ok,
  (CASE WHEN CAST(DATE '2021-12-31' AS DATE) >= CAST(max("status"."dato") AS DATE) THEN ((year(CAST(DATE '2021-12-31' AS DATE)) - year(CAST(max("status"."dato") AS DATE))) * 12 + month(CAST(DATE '2021-12-31' AS DATE)) - month(CAST(max("status"."dato") AS DATE)) - CASE WHEN day(CAST(DATE '2021-12-31' AS DATE)) < day(CAST(max("status"."dato") AS DATE)) THEN 1 ELSE 0 END) ELSE -((year(CAST(max("status"."dato") AS DATE)) - year(CAST(DATE '2021-12-31' AS DATE))) * 12 + month(CAST(max("status"."dato") AS DATE)) - month(CAST(DATE '2021-12-31' AS DATE)) - CASE WHEN day(CAST(max("status"."dato") AS DATE)) < day(CAST(DATE '2021-12-31' AS DATE)) THEN 1 ELSE 0 END) END) AS __value,
  max("status"."dato") AS __s0
FROM "status"
LEFT JOIN "borgere" ON "status"."borger_id" = "borgere"."borger_id"
WHERE ((((("borgere"."metode" IN ('ICM', 'ACT')) AND ("borgere"."startdato" <= DATE '2021-12-31')) AND (("borgere"."slutdato" IS NULL) OR ("borgere"."slutdato" > DATE '2021-12-31'))) AND ("status"."dato" <= DATE '2021-12-31')))
GROUP BY 1, 2
ORDER BY __k0 NULLS LAST, __k1 NULLS LAST;
