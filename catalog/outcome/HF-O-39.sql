-- Generated from catalog/outcome/HF-O-39.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-39 (`hfspec explain HF-O-39` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-39
WITH __rows AS (
  SELECT
    "herberg"."udskrivning" AS "herberg.udskrivning",
    "herberg"."borger_id" AS "herberg.borger_id",
    "herberg"."udskrevet_til" AS "herberg.udskrevet_til",
    "borgere"."alder" AS "borgere.alder"
  FROM "herberg"
  LEFT JOIN "borgere" ON "herberg"."borger_id" = "borgere"."borger_id"
),
__let1 AS (
  SELECT
    __r.*,
    ((SELECT count(*) FROM "herberg" AS __s1 WHERE __s1."borger_id" = __r."herberg.borger_id" AND (((__s1."indskrivning" > __r."herberg.udskrivning") AND (__s1."indskrivning" <= (CASE WHEN 180::BIGINT BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST(__r."herberg.udskrivning" AS DATE) - DATE '0001-01-01') + 180::BIGINT BETWEEN 0 AND 3652058 THEN CAST(__r."herberg.udskrivning" AS DATE) + CAST(180::BIGINT AS INTEGER) END END))))) > 0::BIGINT) AS "let:tilbage"
  FROM __rows AS __r
),
__kept AS (
  SELECT
    __r.*,
    (CASE WHEN (__r."borgere.alder" < 25::BIGINT) THEN '16-24' ELSE (CASE WHEN (__r."borgere.alder" < 30::BIGINT) THEN '25-29' ELSE '30+' END) END) AS __k0
  FROM __let1 AS __r
  WHERE (((__r."herberg.udskrevet_til" = 'egen_bolig') AND (__r."herberg.udskrivning" <= (CASE WHEN (-(180::BIGINT)) BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST(DATE '2021-12-31' AS DATE) - DATE '0001-01-01') + (-(180::BIGINT)) BETWEEN 0 AND 3652058 THEN CAST(DATE '2021-12-31' AS DATE) + CAST((-(180::BIGINT)) AS INTEGER) END END))))
)
SELECT __r.__k0 AS "aldersgruppe", (CAST(count(*) FILTER (WHERE __r."let:tilbage") AS DOUBLE) / NULLIF(count(__r."let:tilbage"), 0)) AS value, count(*) AS n
FROM __kept AS __r
GROUP BY __r.__k0
ORDER BY 1 NULLS LAST;
