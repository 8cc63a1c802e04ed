-- Generated from catalog/process/HF-P-11.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-11 (`hfspec explain HF-P-11` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-11
SELECT
  (CAST(count(*) FILTER (WHERE ((CASE WHEN CAST(DATE '2021-12-31' AS DATE) >= CAST("borgere"."startdato" AS DATE) THEN ((year(CAST(DATE '2021-12-31' AS DATE)) - year(CAST("borgere"."startdato" AS DATE))) * 12 + month(CAST(DATE '2021-12-31' AS DATE)) - month(CAST("borgere"."startdato" AS DATE)) - CASE WHEN day(CAST(DATE '2021-12-31' AS DATE)) < day(CAST("borgere"."startdato" AS DATE)) THEN 1 ELSE 0 END) ELSE -((year(CAST("borgere"."startdato" AS DATE)) - year(CAST(DATE '2021-12-31' AS DATE))) * 12 + month(CAST("borgere"."startdato" AS DATE)) - month(CAST(DATE '2021-12-31' AS DATE)) - CASE WHEN day(CAST("borgere"."startdato" AS DATE)) < day(CAST(DATE '2021-12-31' AS DATE)) THEN 1 ELSE 0 END) END) >= 9::BIGINT)) AS DOUBLE) / NULLIF(count(((CASE WHEN CAST(DATE '2021-12-31' AS DATE) >= CAST("borgere"."startdato" AS DATE) THEN ((year(CAST(DATE '2021-12-31' AS DATE)) - year(CAST("borgere"."startdato" AS DATE))) * 12 + month(CAST(DATE '2021-12-31' AS DATE)) - month(CAST("borgere"."startdato" AS DATE)) - CASE WHEN day(CAST(DATE '2021-12-31' AS DATE)) < day(CAST("borgere"."startdato" AS DATE)) THEN 1 ELSE 0 END) ELSE -((year(CAST("borgere"."startdato" AS DATE)) - year(CAST(DATE '2021-12-31' AS DATE))) * 12 + month(CAST("borgere"."startdato" AS DATE)) - month(CAST(DATE '2021-12-31' AS DATE)) - CASE WHEN day(CAST("borgere"."startdato" AS DATE)) < day(CAST(DATE '2021-12-31' AS DATE)) THEN 1 ELSE 0 END) END) >= 9::BIGINT)), 0)) AS value,
  count(DISTINCT "borgere"."borger_id") AS n
FROM "borgere"
WHERE (((("borgere"."metode" = 'CTI') AND ("borgere"."startdato" <= DATE '2021-12-31')) AND (("borgere"."slutdato" IS NULL) OR ("borgere"."slutdato" > DATE '2021-12-31'))));
