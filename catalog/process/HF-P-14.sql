-- Generated from catalog/process/HF-P-14.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-14 (`hfspec explain HF-P-14` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-14
WITH __rows AS (
  SELECT
    "borgere"."slutdato" AS "borgere.slutdato",
    "borgere"."borger_id" AS "borgere.borger_id"
  FROM "borgere"
),
__from AS (
  SELECT
    __r.*,
    (
      SELECT count(*)
      FROM "status" AS __s1
      WHERE __s1."borger_id" = __r."borgere.borger_id" AND ((__s1."maalepunkt" = 'efter'))
    ) AS __from0
  FROM __rows AS __r
),
__kept AS (
  SELECT __r.*
  FROM __from AS __r
  WHERE ((__r."borgere.slutdato" IS NOT NULL))
)
SELECT (CAST(count(*) FILTER (WHERE (__r.__from0 > 0::BIGINT)) AS DOUBLE) / NULLIF(count((__r.__from0 > 0::BIGINT)), 0)) AS value, count(DISTINCT __r."borgere.borger_id") AS n
FROM __kept AS __r;
