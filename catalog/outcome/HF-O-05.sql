-- Generated from catalog/outcome/HF-O-05.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-O-05 (`hfspec explain HF-O-05` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-O-05
WITH __rows AS (
  SELECT
    "status"."boligsituation" AS "status.boligsituation",
    "status"."maalepunkt" AS "status.maalepunkt",
    "status"."borger_id" AS "status.borger_id",
    "status"."dato" AS "status.dato"
  FROM "status"
),
__kept AS (
  SELECT
    __r.*,
    __r."status.maalepunkt" AS __k0
  FROM __rows AS __r
  WHERE ((__r."status.boligsituation" IS NOT NULL))
),
__per1 AS (
  SELECT
    __key0,
    (CAST(count(*) FILTER (WHERE __v) AS DOUBLE) / NULLIF(count(__v), 0)) AS __value
  FROM (
    SELECT
      __r.__k0 AS __key0,
      __r."status.borger_id" AS __u,
      first((__r."status.boligsituation" = 'bolig_efter_serviceloven') ORDER BY __r."status.dato" DESC, (__r."status.boligsituation" = 'bolig_efter_serviceloven') DESC NULLS LAST) FILTER (WHERE (__r."status.dato") IS NOT NULL) AS __v
    FROM __kept AS __r
    WHERE (__r."status.borger_id") IS NOT NULL
    GROUP BY __key0, __u
  ) AS __units
  GROUP BY __key0
)
SELECT __r.__k0 AS "maalepunkt", any_value(__per1.__value) AS value, count(DISTINCT __r."status.borger_id") AS n
FROM __kept AS __r
LEFT JOIN __per1 ON __per1.__key0 IS NOT DISTINCT
FROM __r.__k0
GROUP BY __r.__k0
ORDER BY 1 NULLS LAST;
