-- Generated from catalog/outcome/HF-O-35.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-35 (`hfspec explain HF-O-35` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-35
WITH __rows AS (
  SELECT "borgere"."borger_id" AS "borgere.borger_id"
  FROM "borgere"
),
__let1 AS (
  SELECT
    __r.*,
    (
      SELECT min(__s1."udskrivning")
      FROM "herberg" AS __s1
      WHERE __s1."borger_id" = __r."borgere.borger_id" AND ((__s1."udskrevet_til" = 'egen_bolig'))
    ) AS "let:udskrevet"
  FROM __rows AS __r
),
__let2 AS (
  SELECT
    __r.*,
    ((SELECT count(*) FROM "herberg" AS __s1 WHERE __s1."borger_id" = __r."borgere.borger_id" AND (((__s1."indskrivning" > __r."let:udskrevet") AND (__s1."indskrivning" <= (CASE WHEN 730::BIGINT BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST(__r."let:udskrevet" AS DATE) - DATE '0001-01-01') + 730::BIGINT BETWEEN 0 AND 3652058 THEN CAST(__r."let:udskrevet" AS DATE) + CAST(730::BIGINT AS INTEGER) END END))))) > 0::BIGINT) AS "let:vendt_tilbage"
  FROM __let1 AS __r
),
__kept AS (
  SELECT __r.*
  FROM __let2 AS __r
  WHERE ((__r."let:udskrevet" <= (CASE WHEN (-(730::BIGINT)) BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST(DATE '2021-12-31' AS DATE) - DATE '0001-01-01') + (-(730::BIGINT)) BETWEEN 0 AND 3652058 THEN CAST(DATE '2021-12-31' AS DATE) + CAST((-(730::BIGINT)) AS INTEGER) END END)))
)
SELECT (CAST(count(*) FILTER (WHERE __r."let:vendt_tilbage") AS DOUBLE) / NULLIF(count(__r."let:vendt_tilbage"), 0)) AS value, count(DISTINCT __r."borgere.borger_id") AS n
FROM __kept AS __r;
