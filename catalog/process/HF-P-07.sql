-- Generated from catalog/process/HF-P-07.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-07 (`hfspec explain HF-P-07` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-07
WITH __rows AS (
  SELECT
    "borgere"."visitationsdato" AS "borgere.visitationsdato",
    "borgere"."borger_id" AS "borgere.borger_id"
  FROM "borgere"
),
__from AS (
  SELECT
    __r.*,
    (
      SELECT count(*)
      FROM "bolig" AS __s1
      WHERE __s1."borger_id" = __r."borgere.borger_id" AND ((__s1."indflytningsdato" <= (CASE WHEN 90::BIGINT BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST(__r."borgere.visitationsdato" AS DATE) - DATE '0001-01-01') + 90::BIGINT BETWEEN 0 AND 3652058 THEN CAST(__r."borgere.visitationsdato" AS DATE) + CAST(90::BIGINT AS INTEGER) END END)))
    ) AS __from0
  FROM __rows AS __r
),
__kept AS (
  SELECT
    __r.*,
    year(__r."borgere.visitationsdato") AS __p0
  FROM __from AS __r
  WHERE ((__r."borgere.visitationsdato" <= (CASE WHEN (-(90::BIGINT)) BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST(DATE '2021-12-31' AS DATE) - DATE '0001-01-01') + (-(90::BIGINT)) BETWEEN 0 AND 3652058 THEN CAST(DATE '2021-12-31' AS DATE) + CAST((-(90::BIGINT)) AS INTEGER) END END)))
)
SELECT CAST(__p0 AS VARCHAR) AS period, value, n
FROM (
  SELECT
    __r.__p0 AS __p0,
    (CAST(count(*) FILTER (WHERE (__r.__from0 > 0::BIGINT)) AS DOUBLE) / NULLIF(count((__r.__from0 > 0::BIGINT)), 0)) AS value,
    count(DISTINCT __r."borgere.borger_id") AS n
  FROM __kept AS __r
  GROUP BY __r.__p0
)
ORDER BY __p0 NULLS LAST;
