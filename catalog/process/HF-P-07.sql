-- Generated from catalog/process/HF-P-07.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-07 (`hfspec explain HF-P-07` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-07
SELECT
  CAST(__p0 AS VARCHAR) AS period,
  value,
  n
FROM (
  SELECT
    year("borgere"."startdato") AS __p0,
    (CAST(count(*) FILTER (WHERE (date_diff('day', CAST("borgere"."visitationsdato" AS DATE), CAST("borgere"."startdato" AS DATE)) <= 90::BIGINT)) AS DOUBLE) / NULLIF(count((date_diff('day', CAST("borgere"."visitationsdato" AS DATE), CAST("borgere"."startdato" AS DATE)) <= 90::BIGINT)), 0)) AS value,
    count(DISTINCT "borgere"."borger_id") AS n
  FROM "borgere"
  WHERE (("borgere"."startdato" <= DATE '2021-12-31'))
  GROUP BY 1
)
ORDER BY __p0 NULLS LAST;
