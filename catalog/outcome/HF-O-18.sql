-- Generated from catalog/outcome/HF-O-18.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-18 (`hfspec explain HF-O-18` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-18
SELECT
  "status"."maalepunkt" AS "maalepunkt",
  count(DISTINCT "status"."borger_id") FILTER (WHERE ("status"."oekonomi" >= 4::BIGINT)) AS value,
  count(DISTINCT "status"."borger_id") AS n
FROM "status"
WHERE (("status"."oekonomi" IS NOT NULL))
GROUP BY 1
ORDER BY 1 NULLS LAST;
