-- Generated from catalog/outcome/HF-O-02.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-02 (`hfspec explain HF-O-02` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-02
SELECT
  "status"."maalepunkt" AS "maalepunkt",
  (CAST(count(*) FILTER (WHERE ("status"."boligsituation" = 'anbragt')) AS DOUBLE) / NULLIF(count(("status"."boligsituation" = 'anbragt')), 0)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
WHERE (("status"."boligsituation" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
