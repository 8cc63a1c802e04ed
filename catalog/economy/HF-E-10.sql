-- Generated from catalog/economy/HF-E-10.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec eval` runs for HF-E-10 (`hfspec explain HF-E-10` prints it on one line),
-- with the national catalogue's parameters.

-- key figure: HF-E-10
WITH __rows AS (
  SELECT
    "herberg"."indskrivning" AS "herberg.indskrivning",
    "herberg"."udskrivning" AS "herberg.udskrivning",
    "herberg"."borger_id" AS "herberg.borger_id"
  FROM "herberg"
),
__kept AS (
  SELECT
    __r.*,
    __r."herberg.indskrivning" AS __t0,
    coalesce(__r."herberg.udskrivning", DATE '2021-12-31') AS __t1
  FROM __rows AS __r
),
__pieces AS (
  SELECT
    __r.*,
    unnest(CASE WHEN __r.__t0 IS NULL THEN [CAST(NULL AS BIGINT)] WHEN __r.__t1 IS NULL OR __r.__t1 <= __r.__t0 THEN [year(__r.__t0)] ELSE generate_series(year(__r.__t0), year((__r.__t1 - 1))) END) AS __pi
  FROM __kept AS __r
),
__spans AS (
  SELECT
    __r.*,
    __r.__pi AS __p0,
    CASE WHEN __r.__t0 IS NULL OR __r.__t1 IS NULL THEN NULL ELSE greatest(0, date_diff('day', greatest(__r.__t0, make_date(CAST(__r.__pi AS INTEGER), 1, 1)), least(__r.__t1, CAST(make_date(CAST(__r.__pi AS INTEGER), 1, 1) + INTERVAL 12 MONTH AS DATE)))) END AS __days
  FROM __pieces AS __r
),
__per1 AS (
  SELECT
    __key0,
    count(*) FILTER (WHERE __w) AS __value
  FROM (
    SELECT
      __r.__p0 AS __key0,
      __r."herberg.borger_id" AS __u,
      (sum(__r.__days) > 90::BIGINT) AS __w
    FROM __spans AS __r
    WHERE (__r."herberg.borger_id") IS NOT NULL
    GROUP BY __key0, __u
  ) AS __units
  GROUP BY __key0
)
SELECT CAST(__p0 AS VARCHAR) AS period, value, n
FROM (
  SELECT
    __r.__p0 AS __p0,
    coalesce(any_value(__per1.__value), 0) AS value,
    count(DISTINCT __r."herberg.borger_id") AS n
  FROM __spans AS __r
  LEFT JOIN __per1 ON __per1.__key0 IS NOT DISTINCT
  FROM __r.__p0
  GROUP BY __r.__p0
)
ORDER BY __p0 NULLS LAST;
