-- Generated from catalog/economy/HF-E-06.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-E-06 (`hfspec explain HF-E-06` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-E-06
SELECT
  CAST(__p0 AS VARCHAR) AS period,
  value,
  n
FROM (
  SELECT
    year("herberg"."indskrivning") AS __p0,
    (sum("herberg"."doegn") * 1450::BIGINT) AS value,
    count(DISTINCT "herberg"."borger_id") AS n
  FROM "herberg"
  GROUP BY 1
)
ORDER BY __p0 NULLS LAST;
