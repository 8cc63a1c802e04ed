-- Generated from catalog/outcome/HF-O-36.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-36 (`hfspec explain HF-O-36` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-36
WITH __rows AS (
  SELECT "borgere"."borger_id" AS "borgere.borger_id"
  FROM "borgere"
),
__let1 AS (
  SELECT
    __r.*,
    (
      SELECT first(__s1."who5" ORDER BY __s1."dato" ASC, __s1."who5" ASC NULLS LAST) FILTER (WHERE (__s1."dato") IS NOT NULL)
      FROM "status" AS __s1
      WHERE __s1."borger_id" = __r."borgere.borger_id" AND (((__s1."maalepunkt" = 'foer') AND (__s1."who5" IS NOT NULL)))
    ) AS "let:foer"
  FROM __rows AS __r
),
__let2 AS (
  SELECT
    __r.*,
    (
      SELECT first(__s1."who5" ORDER BY __s1."dato" DESC, __s1."who5" DESC NULLS LAST) FILTER (WHERE (__s1."dato") IS NOT NULL)
      FROM "status" AS __s1
      WHERE __s1."borger_id" = __r."borgere.borger_id" AND (((__s1."maalepunkt" = 'efter') AND (__s1."who5" IS NOT NULL)))
    ) AS "let:efter"
  FROM __let1 AS __r
),
__kept AS (
  SELECT __r.*
  FROM __let2 AS __r
  WHERE (((__r."let:foer" IS NOT NULL) AND (__r."let:efter" IS NOT NULL)))
)
SELECT avg(CAST(((__r."let:efter" * 4) - (__r."let:foer" * 4)) AS DOUBLE)) AS value, count(DISTINCT __r."borgere.borger_id") AS n
FROM __kept AS __r;
