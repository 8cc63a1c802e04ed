-- Generated from catalog/process/HF-P-15.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-P-15 (`hfspec explain HF-P-15` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-P-15
SELECT
  "tid"."metode" AS "metode",
  (CAST(count(*) FILTER (WHERE ("tid"."faktisk_maal" >= "tid"."forventet_maal")) AS DOUBLE) / NULLIF(count(("tid"."faktisk_maal" >= "tid"."forventet_maal")), 0)) AS value,
  count(DISTINCT "tid"."borger_id") AS n
FROM "tid"
WHERE ((("tid"."faktisk_maal" IS NOT NULL) AND ("tid"."forventet_maal" IS NOT NULL)))
GROUP BY 1
ORDER BY 1 NULLS LAST;
