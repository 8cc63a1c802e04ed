-- Generated from specs/dbl/signaler.yaml by tests/test_golden_sql.py; do not edit.
-- Regenerate: python -m pytest tests/test_golden_sql.py --update-golden
-- The query `hfspec check` runs for each rule of the file, in file order, with the national
-- catalogue's parameters (hfspec runs it on one line).

-- rule: dbl-revisitation
SELECT
  "dbl_maaned"."borger_id" AS __k0,
  "dbl_maaned"."fase" AS __k1,
  ((CAST(sum("dbl_maaned"."faktisk_timer") AS DOUBLE) / NULLIF(sum("dbl_maaned"."forventet_timer"), 0)) <= 1.5::DOUBLE) AS __ok,
  (CAST(sum("dbl_maaned"."faktisk_timer") AS DOUBLE) / NULLIF(sum("dbl_maaned"."forventet_timer"), 0)) AS __value,
  sum("dbl_maaned"."faktisk_timer") AS __s0,
  sum("dbl_maaned"."forventet_timer") AS __s1
FROM "dbl_maaned"
WHERE (((("dbl_maaned"."metode" = 'CTI') AND ("dbl_maaned"."kursusmaaned" <= 9::BIGINT)) AND ("dbl_maaned"."faktisk_timer" IS NOT NULL)))
GROUP BY 1, 2
ORDER BY __k0 NULLS LAST, __k1 NULLS LAST;

-- rule: dbl-kontakt
SELECT
  "dbl_maaned"."borger_id" AS __k0,
  ((CAST(sum("dbl_maaned"."faktisk_timer") AS DOUBLE) / NULLIF(sum("dbl_maaned"."forventet_timer"), 0)) >= 0.5::DOUBLE) AS __ok,
  (CAST(sum("dbl_maaned"."faktisk_timer") AS DOUBLE) / NULLIF(sum("dbl_maaned"."forventet_timer"), 0)) AS __value,
  sum("dbl_maaned"."faktisk_timer") AS __s0,
  sum("dbl_maaned"."forventet_timer") AS __s1
FROM "dbl_maaned"
WHERE ((("dbl_maaned"."maaned_nr" <= 2::BIGINT) AND ("dbl_maaned"."faktisk_timer" IS NOT NULL)))
GROUP BY 1
ORDER BY __k0 NULLS LAST;

-- rule: dbl-maal-under-kurven
SELECT
  "dbl_maaned"."borger_id" AS __k0,
  (max("dbl_maaned"."maal_under_i_traek") < 2::BIGINT) AS __ok,
  max("dbl_maaned"."maal_under_i_traek") AS __value,
  max("dbl_maaned"."periode") FILTER (WHERE ("dbl_maaned"."maal_under_i_traek" >= 2::BIGINT)) AS __s0
FROM "dbl_maaned"
GROUP BY 1
ORDER BY __k0 NULLS LAST;

-- rule: dbl-manglende-tid
SELECT
  "dbl_maaned"."borger_id" AS __k0,
  (count(*) FILTER (WHERE ("dbl_maaned"."faktisk_timer" IS NULL)) = 0::BIGINT) AS __ok,
  count(*) FILTER (WHERE ("dbl_maaned"."faktisk_timer" IS NULL)) AS __value,
  max("dbl_maaned"."periode") FILTER (WHERE ("dbl_maaned"."faktisk_timer" IS NULL)) AS __s0
FROM "dbl_maaned"
WHERE (("dbl_maaned"."afsluttet" AND (("dbl_maaned"."forventet_timer" IS NULL) OR ("dbl_maaned"."forventet_timer" > 0::BIGINT))))
GROUP BY 1
ORDER BY __k0 NULLS LAST;

-- rule: dbl-manglende-maal
SELECT
  "dbl_maaned"."borger_id" AS __k0,
  (max("dbl_maaned"."maaneder_uden_maal") <= 3::BIGINT) AS __ok,
  max("dbl_maaned"."maaneder_uden_maal") AS __value,
  max("dbl_maaned"."periode") FILTER (WHERE ("dbl_maaned"."maaneder_uden_maal" > 3::BIGINT)) AS __s0
FROM "dbl_maaned"
WHERE ("dbl_maaned"."afsluttet")
GROUP BY 1
ORDER BY __k0 NULLS LAST;
