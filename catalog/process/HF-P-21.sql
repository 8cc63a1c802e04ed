-- Generated from catalog/process/HF-P-21.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-21 (`hfspec explain HF-P-21` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-21
SELECT
  (CAST(count(*) FILTER (WHERE ("herberg"."handleplan_dato" <= (CASE WHEN 30::BIGINT BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST("herberg"."indskrivning" AS DATE) - DATE '0001-01-01') + 30::BIGINT BETWEEN 0 AND 3652058 THEN CAST("herberg"."indskrivning" AS DATE) + CAST(30::BIGINT AS INTEGER) END END))) AS DOUBLE) / NULLIF(count(*), 0)) AS value,
  count(*) AS n
FROM "herberg"
WHERE ((("herberg"."indskrivning" >= (CASE WHEN regexp_full_match('2023-10-01', '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN TRY_CAST('2023-10-01' AS DATE) END)) AND ("herberg"."indskrivning" <= (CASE WHEN (-(30::BIGINT)) BETWEEN -3652058 AND 3652058 THEN CASE WHEN (CAST(DATE '2021-12-31' AS DATE) - DATE '0001-01-01') + (-(30::BIGINT)) BETWEEN 0 AND 3652058 THEN CAST(DATE '2021-12-31' AS DATE) + CAST((-(30::BIGINT)) AS INTEGER) END END))));
