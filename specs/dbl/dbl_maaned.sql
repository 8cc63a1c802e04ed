-- Generated from specs/dbl/dbl_maaned.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query that makes the derived table dbl_maaned (hfspec/engine/derived.py, table_sql),
-- with reference_date 2021-12-31, instrument who5 and a status file.

-- dataset: dbl_maaned
WITH t AS (
  SELECT borger_id, CAST(date_trunc('month', periode) AS DATE) AS periode,
         arg_max(metode, periode) AS metode, max(fase) AS fase,
         sum(forventet_timer) AS forventet_timer, sum(faktisk_timer) AS faktisk_timer,
         arg_max(forventet_maal, periode) FILTER (WHERE forventet_maal IS NOT NULL) AS forventet_maal,
         arg_max(faktisk_maal, periode) FILTER (WHERE faktisk_maal IS NOT NULL) AS faktisk_maal
  FROM tid GROUP BY 1, 2
),
span AS (
  SELECT t.borger_id, min(t.periode) AS first_month,
         CAST(date_trunc('month', least(coalesce(any_value(b.slutdato), DATE '2021-12-31'), DATE '2021-12-31')) AS DATE) AS last_month
  FROM t JOIN borgere b ON b.borger_id = t.borger_id GROUP BY t.borger_id
),
cal AS (
  SELECT borger_id, CAST(unnest(generate_series(first_month, last_month, INTERVAL 1 MONTH)) AS DATE) AS periode
  FROM span WHERE first_month <= last_month
),
months AS (
  SELECT coalesce(t.borger_id, cal.borger_id) AS borger_id, coalesce(t.periode, cal.periode) AS periode,
         t.metode AS t_metode, t.fase AS t_fase, t.forventet_timer, t.faktisk_timer, t.forventet_maal,
         t.faktisk_maal AS t_maal, t.borger_id IS NOT NULL AS i_tid
  FROM t FULL OUTER JOIN cal ON t.borger_id = cal.borger_id AND t.periode = cal.periode
),
st AS (SELECT borger_id, CAST(date_trunc('month', dato) AS DATE) AS periode, arg_max("who5", dato) AS maal FROM status WHERE "who5" IS NOT NULL GROUP BY ALL),
m AS (
  SELECT months.borger_id, months.periode, coalesce(months.t_metode, b.metode) AS metode,
         (year(months.periode) - year(b.startdato)) * 12 + month(months.periode) - month(b.startdato) + 1 AS kursusmaaned,
         months.t_fase, months.forventet_timer, months.faktisk_timer, months.forventet_maal,
         coalesce(months.t_maal, st.maal) AS faktisk_maal,
         CASE WHEN months.t_maal IS NOT NULL THEN 'tid' WHEN st.maal IS NOT NULL THEN 'status' END AS maal_kilde,
         months.i_tid, last_day(months.periode) <= DATE '2021-12-31' AS afsluttet, months.periode <= DATE '2021-12-31' AS naaet
  FROM months JOIN borgere b ON b.borger_id = months.borger_id
  LEFT JOIN st ON st.borger_id = months.borger_id AND st.periode = months.periode
),
f AS (
  SELECT *,
         CASE WHEN metode = 'CTI' THEN coalesce(t_fase, least(3, greatest(1, (kursusmaaned - 1) // 3 + 1))) END AS fase,
         date_diff('month', min(periode) OVER (PARTITION BY borger_id), periode) + 1 AS maaned_nr,
         sum(forventet_timer) OVER (PARTITION BY borger_id) AS plan_timer,
         sum(forventet_timer) OVER (PARTITION BY borger_id ORDER BY periode ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS akk_forventet_timer,
         CASE WHEN naaet THEN sum(faktisk_timer) OVER (PARTITION BY borger_id ORDER BY periode ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) END AS akk_faktisk_timer,
         faktisk_maal < forventet_maal AS maal_under,
         count(*) OVER (PARTITION BY borger_id ORDER BY periode ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nr,
         sum(CASE WHEN faktisk_maal IS NOT NULL AND faktisk_maal < forventet_maal THEN 1 ELSE 0 END) OVER (PARTITION BY borger_id ORDER BY periode ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS under_nr
  FROM m
)
SELECT borger_id, metode, periode, CAST(kursusmaaned AS BIGINT) AS kursusmaaned, CAST(maaned_nr AS BIGINT) AS maaned_nr,
       CAST(fase AS BIGINT) AS fase, CAST(forventet_timer AS DOUBLE) AS forventet_timer, CAST(faktisk_timer AS DOUBLE) AS faktisk_timer,
       CAST(plan_timer AS DOUBLE) AS plan_timer, CAST(akk_forventet_timer AS DOUBLE) AS akk_forventet_timer,
       CAST(akk_faktisk_timer AS DOUBLE) AS akk_faktisk_timer,
       CAST(akk_forventet_timer / NULLIF(plan_timer, 0) AS DOUBLE) AS akk_forventet_andel,
       CAST(akk_faktisk_timer / NULLIF(plan_timer, 0) AS DOUBLE) AS akk_faktisk_andel,
       CAST(forventet_maal AS DOUBLE) AS forventet_maal, CAST(faktisk_maal AS DOUBLE) AS faktisk_maal, maal_kilde, maal_under,
       CAST(CASE WHEN faktisk_maal IS NULL THEN NULL WHEN maal_under THEN
            under_nr - coalesce(max(CASE WHEN faktisk_maal IS NOT NULL AND maal_under IS NOT TRUE THEN under_nr END) OVER (PARTITION BY borger_id ORDER BY periode ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0)
            ELSE 0 END AS BIGINT) AS maal_under_i_traek,
       CAST(nr - coalesce(max(CASE WHEN faktisk_maal IS NOT NULL THEN nr END) OVER (PARTITION BY borger_id ORDER BY periode ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW), 0) AS BIGINT) AS maaneder_uden_maal,
       i_tid, afsluttet
FROM f
ORDER BY borger_id, periode;
