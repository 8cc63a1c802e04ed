-- Generated from specs/rules/datakvalitet.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec check` runs for each rule of the file, in file order, with the national
-- catalogue's parameters (hfspec runs it on one line).

-- rule: dq-slut-foer-start
WITH __checked AS (
  SELECT
    "borgere"."borger_id" AS __k0,
    "borgere".__row AS __k1,
    ("borgere"."slutdato" >= "borgere"."startdato") AS __ok,
    "borgere"."slutdato" AS __value,
    "borgere"."startdato" AS __s0,
    "borgere"."slutdato" AS __s1
  FROM "borgere"
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

-- rule: dq-start-foer-visitation
WITH __checked AS (
  SELECT
    "borgere"."borger_id" AS __k0,
    "borgere".__row AS __k1,
    ("borgere"."startdato" >= "borgere"."visitationsdato") AS __ok,
    "borgere"."startdato" AS __value,
    "borgere"."visitationsdato" AS __s0,
    "borgere"."startdato" AS __s1
  FROM "borgere"
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

-- rule: dq-status-uden-for-forloeb
WITH __checked AS (
  SELECT
    "status"."borger_id" AS __k0,
    "status"."dato" AS __k1,
    "status"."maalepunkt" AS __k2,
    "status".__row AS __k3,
    (("status"."dato" >= "borgere"."visitationsdato") AND (("borgere"."slutdato" IS NULL) OR (date_diff('day', CAST("borgere"."slutdato" AS DATE), CAST("status"."dato" AS DATE)) <= 30::BIGINT))) AS __ok,
    NULL AS __value,
    "borgere"."visitationsdato" AS __s0,
    "borgere"."slutdato" AS __s1
  FROM "status"
  LEFT JOIN "borgere" ON "status"."borger_id" = "borgere"."borger_id"
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
ORDER BY __k3;

-- rule: dq-timer
WITH __checked AS (
  SELECT
    "tid"."borger_id" AS __k0,
    "tid"."periode" AS __k1,
    "tid".__row AS __k2,
    ((0::BIGINT <= "tid"."faktisk_timer") AND ("tid"."faktisk_timer" <= 160::BIGINT)) AS __ok,
    "tid"."faktisk_timer" AS __value
  FROM "tid"
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
ORDER BY __k2;
