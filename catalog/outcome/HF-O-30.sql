-- Generated from catalog/outcome/HF-O-30.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-30 (`hfspec explain HF-O-30` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-30
WITH __rows AS (
  SELECT "borgere"."borger_id" AS "borgere.borger_id"
  FROM "borgere"
),
__let1 AS (
  SELECT
    __r.*,
    (
      SELECT min(__s1."indflytningsdato")
      FROM "bolig" AS __s1
      WHERE __s1."borger_id" = __r."borgere.borger_id"
    ) AS "let:indflytning"
  FROM __rows AS __r
),
__let2 AS (
  SELECT
    __r.*,
    (CASE WHEN 6::BIGINT BETWEEN -119988 AND 119988 THEN CASE WHEN year(CAST(__r."let:indflytning" AS DATE)) * 12 + month(CAST(__r."let:indflytning" AS DATE)) - 1 + 6::BIGINT BETWEEN 12 AND 119999 THEN CAST(CAST(__r."let:indflytning" AS DATE) + to_months(CAST(6::BIGINT AS INTEGER)) AS DATE) END END) AS "let:skaeringsdato"
  FROM __let1 AS __r
),
__let3 AS (
  SELECT
    __r.*,
    coalesce((SELECT first(((__s1."fraflytningsaarsag" = 'doed') AND (__s1."fraflytningsdato" < __r."let:skaeringsdato")) ORDER BY __s1."indflytningsdato" ASC, ((__s1."fraflytningsaarsag" = 'doed') AND (__s1."fraflytningsdato" < __r."let:skaeringsdato")) ASC NULLS LAST) FILTER (WHERE (__s1."indflytningsdato") IS NOT NULL) FROM "bolig" AS __s1 WHERE __s1."borger_id" = __r."borgere.borger_id"), FALSE) AS "let:doed_inden"
  FROM __let2 AS __r
),
__let4 AS (
  SELECT
    __r.*,
    ((SELECT count(*) FROM "bolig" AS __s1 WHERE __s1."borger_id" = __r."borgere.borger_id" AND (((__s1."indflytningsdato" <= __r."let:skaeringsdato") AND ((__s1."fraflytningsdato" IS NULL) OR (__s1."fraflytningsdato" > __r."let:skaeringsdato"))))) > 0::BIGINT) AS "let:bor_der"
  FROM __let3 AS __r
),
__kept AS (
  SELECT __r.*
  FROM __let4 AS __r
  WHERE (((__r."let:indflytning" <= (CASE WHEN (-(6::BIGINT)) BETWEEN -119988 AND 119988 THEN CASE WHEN year(CAST(DATE '2021-12-31' AS DATE)) * 12 + month(CAST(DATE '2021-12-31' AS DATE)) - 1 + (-(6::BIGINT)) BETWEEN 12 AND 119999 THEN CAST(CAST(DATE '2021-12-31' AS DATE) + to_months(CAST((-(6::BIGINT)) AS INTEGER)) AS DATE) END END)) AND (NOT __r."let:doed_inden")))
)
SELECT (CAST(count(*) FILTER (WHERE __r."let:bor_der") AS DOUBLE) / NULLIF(count(__r."let:bor_der"), 0)) AS value, count(DISTINCT __r."borgere.borger_id") AS n
FROM __kept AS __r;
