SET 'execution.runtime-mode' = 'batch';

SET 'parallelism.default' = '1';

SET 'table.local-time-zone' = 'UTC';

SET 'pipeline.name' = 'Functions';

CREATE TEMPORARY VIEW `r` AS
SELECT CASE WHEN `c0#null` THEN CAST(NULL AS STRING) ELSE CAST(`c0` AS STRING) END AS `s`, CAST(`c1` AS INT) AS `n`, CASE WHEN `c2#null` THEN CAST(NULL AS DOUBLE) ELSE CAST(`c2` AS DOUBLE) END AS `x`, CAST(`c3` AS BOOLEAN) AS `b`, CAST(`c4` AS TIMESTAMP(3)) AS `ts` FROM (VALUES
  ('Hello, World', FALSE, 7, 2.5E0, FALSE, TRUE, TIMESTAMP '2024-02-29 13:14:15.016'),
  ('', TRUE, -3, 0E0, TRUE, FALSE, TIMESTAMP '1969-12-31 23:59:59.123')
) AS t(`c0`, `c0#null`, `c1`, `c2`, `c2#null`, `c3`, `c4`);

CREATE TEMPORARY VIEW `scalars_0_map` AS
SELECT LOWER(`s`) AS `lower_s`, UPPER(`s`) AS `upper_s`, REGEXP_REPLACE(`s`, '^[\t\n\x{0B}\f\r\x{FEFF}\p{Zs}\x{2028}\x{2029}]+|[\t\n\x{0B}\f\r\x{FEFF}\p{Zs}\x{2028}\x{2029}]+\z', '') AS `trim_s`, CHAR_LENGTH(`s`) AS `length_s`, SUBSTRING(`s` FROM GREATEST(1, 0) + 1 FOR GREATEST(3, 0)) AS `substring_s`, SUBSTRING(`s` FROM GREATEST(`n`, 0) + 1) AS `substring_rest`, (CASE WHEN `s` = '' THEN ARRAY[''] WHEN POSITION(CHR(0) IN `s`) > 0 THEN ARRAY[CAST(CAST('split: the text holds U+0000' AS INT) AS STRING)] ELSE SPLIT(REGEXP_REPLACE(REGEXP_REPLACE(`s`, ',', CHR(0)), CHR(0) || '+\z', ''), CHR(0)) END) AS `split_plain`, (CASE WHEN LOWER(`s`) = '' THEN ARRAY[''] WHEN POSITION(CHR(0) IN LOWER(`s`)) > 0 THEN ARRAY[CAST(CAST('split: the text holds U+0000' AS INT) AS STRING)] ELSE SPLIT(REGEXP_REPLACE(REGEXP_REPLACE(LOWER(`s`), '[^a-z]+', CHR(0)), CHR(0) || '+\z', ''), CHR(0)) END) AS `split_pattern`, CONCAT_WS('', `s`, '-', CAST(`n` AS STRING), '-', (CASE WHEN `b` THEN 'true' WHEN NOT `b` THEN 'false' END), '-', CAST((CAST(TIMESTAMPDIFF(DAY, TIMESTAMP '1970-01-01 00:00:00', FLOOR(`ts` TO DAY)) AS BIGINT) * 86400000 + CAST(TIMESTAMPDIFF(SECOND, FLOOR(`ts` TO DAY), FLOOR(`ts` TO SECOND)) AS BIGINT) * 1000 + MOD(EXTRACT(MILLISECOND FROM `ts`) + 1000, 1000)) AS STRING)) AS `concat_parts`, REGEXP_REPLACE(`s`, '[aeiou]', '_') AS `replace_s`, REGEXP(`s`, 'W[a-z]+') AS `matches_s`, STARTSWITH(`s`, 'He') AS `starts_s`, CAST(`n` AS STRING) AS `to_string_n`, (CASE WHEN `b` THEN 'true' WHEN NOT `b` THEN 'false' END) AS `to_string_b`, DATE_FORMAT(`ts`, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''') AS `to_string_ts`, ABS(`n`) AS `abs_n`, CAST(ROUND(`x`) AS DOUBLE) AS `round_x`, CAST(ROUND(`x`, 1) AS DOUBLE) AS `round_x_1`, CAST(FLOOR(`x`) AS BIGINT) AS `floor_x`, CAST(CEIL(`x`) AS BIGINT) AS `ceil_x`, SQRT(CAST(`x` AS DOUBLE)) AS `sqrt_x`, POWER(CAST(`x` AS DOUBLE), CAST(`n` AS DOUBLE)) AS `pow_x`, GREATEST(`n`, `x`, 0) AS `greatest_v`, LEAST(`n`, 1) AS `least_v`, COALESCE(`s`, 'none') AS `coalesce_s`, CAST(YEAR(FLOOR(`ts` TO DAY)) AS INT) AS `year_ts`, CAST(MONTH(FLOOR(`ts` TO DAY)) AS INT) AS `month_ts`, CAST(DAYOFMONTH(FLOOR(`ts` TO DAY)) AS INT) AS `day_ts`, TIMESTAMPDIFF(HOUR, FLOOR(`ts` TO DAY), `ts`) AS `hour_ts`, TIMESTAMPDIFF(MINUTE, FLOOR(`ts` TO HOUR), `ts`) AS `minute_ts`, FLOOR(`ts` TO HOUR) AS `floor_time_h`, CAST(TO_TIMESTAMP_LTZ(((CAST(TIMESTAMPDIFF(DAY, TIMESTAMP '1970-01-01 00:00:00', FLOOR(`ts` TO DAY)) AS BIGINT) * 86400000 + CAST(TIMESTAMPDIFF(SECOND, FLOOR(`ts` TO DAY), FLOOR(`ts` TO SECOND)) AS BIGINT) * 1000 + MOD(EXTRACT(MILLISECOND FROM `ts`) + 1000, 1000)) - MOD(MOD((CAST(TIMESTAMPDIFF(DAY, TIMESTAMP '1970-01-01 00:00:00', FLOOR(`ts` TO DAY)) AS BIGINT) * 86400000 + CAST(TIMESTAMPDIFF(SECOND, FLOOR(`ts` TO DAY), FLOOR(`ts` TO SECOND)) AS BIGINT) * 1000 + MOD(EXTRACT(MILLISECOND FROM `ts`) + 1000, 1000)), 900000) + 900000, 900000)), 3) AS TIMESTAMP(3)) AS `floor_time_15m`, (CAST(TIMESTAMPDIFF(DAY, TIMESTAMP '1970-01-01 00:00:00', FLOOR(`ts` TO DAY)) AS BIGINT) * 86400000 + CAST(TIMESTAMPDIFF(SECOND, FLOOR(`ts` TO DAY), FLOOR(`ts` TO SECOND)) AS BIGINT) * 1000 + MOD(EXTRACT(MILLISECOND FROM `ts`) + 1000, 1000)) AS `epoch_ts`, LOCALTIMESTAMP AS `now_ts`, ((((`n` + 1) * 2) - (`n` / 2)) + MOD(`n`, 3)) AS `arithmetic`, (`x` / 3E0) AS `double_division`, (`ts` + INTERVAL '26' HOUR) AS `later`, (`ts` - INTERVAL '90' SECOND) AS `earlier`, ((NOT `b`) AND ((`n` > 0) OR (`s` IS NOT NULL))) AS `logic`, (`n` IN (1, 7)) AS `in_list`, (`s` LIKE 'H%o\_' ESCAPE '\') AS `like_s`, (CASE WHEN `b` THEN 'yes' ELSE 'no' END) AS `if_v`, (CASE WHEN (`n` > 0) THEN 'positive' WHEN (`n` < 0) THEN 'negative' ELSE 'zero' END) AS `case_v`, CAST(`x` AS INT) AS `cast_x`, CAST(`n` AS DOUBLE) AS `cast_n`, (CASE WHEN `b` THEN 1 WHEN NOT `b` THEN 0 END) AS `cast_b`, CAST((CAST(TIMESTAMPDIFF(DAY, TIMESTAMP '1970-01-01 00:00:00', FLOOR(`ts` TO DAY)) AS BIGINT) * 86400000 + CAST(TIMESTAMPDIFF(SECOND, FLOOR(`ts` TO DAY), FLOOR(`ts` TO SECOND)) AS BIGINT) * 1000 + MOD(EXTRACT(MILLISECOND FROM `ts`) + 1000, 1000)) AS BIGINT) AS `cast_ts`, CAST(TO_TIMESTAMP_LTZ((CAST(TIMESTAMPDIFF(DAY, TIMESTAMP '1970-01-01 00:00:00', FLOOR(`ts` TO DAY)) AS BIGINT) * 86400000 + CAST(TIMESTAMPDIFF(SECOND, FLOOR(`ts` TO DAY), FLOOR(`ts` TO SECOND)) AS BIGINT) * 1000 + MOD(EXTRACT(MILLISECOND FROM `ts`) + 1000, 1000)), 3) AS TIMESTAMP(3)) AS `cast_ms`, CAST(ROW(`n`, `s`) AS ROW<`n` INT, `s` STRING>) AS `pair`, ARRAY[`n`, 2] AS `both`
FROM `r`;

CREATE TEMPORARY VIEW `totals_1_aggregate` AS
SELECT `b` AS `b`, COUNT(*) AS `rows`, COUNT(`s`) AS `named`, CAST(COALESCE(SUM(CAST(`n` AS BIGINT)), 0) AS INT) AS `total`, SUM(`x`) AS `sum_x`, AVG(CAST(`n` AS DOUBLE)) AS `mean`, AVG(CAST(`x` AS DOUBLE)) AS `mean_x`, MIN(`s`) AS `low`, MAX(`ts`) AS `high`, FIRST_VALUE(`s`) AS `earliest`, LAST_VALUE(`n`) AS `latest`, COALESCE(ARRAY_AGG(`n` IGNORE NULLS), ARRAY_REMOVE(ARRAY[CAST(NULL AS INT)], NULL)) AS `all_n`, COALESCE(ARRAY_AGG(`s` IGNORE NULLS), ARRAY_REMOVE(ARRAY[CAST(NULL AS STRING)], NULL)) AS `all_s`
FROM `r`
GROUP BY `b`;

CREATE TEMPORARY VIEW `kinds_1_aggregate` AS
SELECT `b` AS `b`, COUNT(DISTINCT `n`) AS `kinds`
FROM `r`
GROUP BY `b`;

CREATE TEMPORARY TABLE `sink_0_print` (
  `lower_s` STRING,
  `upper_s` STRING,
  `trim_s` STRING,
  `length_s` INT,
  `substring_s` STRING,
  `substring_rest` STRING,
  `split_plain` ARRAY<STRING>,
  `split_pattern` ARRAY<STRING>,
  `concat_parts` STRING,
  `replace_s` STRING,
  `matches_s` BOOLEAN,
  `starts_s` BOOLEAN,
  `to_string_n` STRING,
  `to_string_b` STRING,
  `to_string_ts` STRING,
  `abs_n` INT,
  `round_x` DOUBLE,
  `round_x_1` DOUBLE,
  `floor_x` BIGINT,
  `ceil_x` BIGINT,
  `sqrt_x` DOUBLE,
  `pow_x` DOUBLE,
  `greatest_v` DOUBLE,
  `least_v` INT,
  `coalesce_s` STRING,
  `year_ts` INT,
  `month_ts` INT,
  `day_ts` INT,
  `hour_ts` INT,
  `minute_ts` INT,
  `floor_time_h` TIMESTAMP(3),
  `floor_time_15m` TIMESTAMP(3),
  `epoch_ts` BIGINT,
  `now_ts` TIMESTAMP(3),
  `arithmetic` DOUBLE,
  `double_division` DOUBLE,
  `later` TIMESTAMP(3),
  `earlier` TIMESTAMP(3),
  `logic` BOOLEAN,
  `in_list` BOOLEAN,
  `like_s` BOOLEAN,
  `if_v` STRING,
  `case_v` STRING,
  `cast_x` INT,
  `cast_n` DOUBLE,
  `cast_b` INT,
  `cast_ts` BIGINT,
  `cast_ms` TIMESTAMP(3),
  `pair` ROW<`n` INT, `s` STRING>,
  `both` ARRAY<INT>
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_1_print` (
  `b` BOOLEAN,
  `kinds` BIGINT
) WITH (
  'connector' = 'print'
);

CREATE TEMPORARY TABLE `sink_2_print` (
  `b` BOOLEAN,
  `rows` BIGINT,
  `named` BIGINT,
  `total` INT,
  `sum_x` DOUBLE,
  `mean` DOUBLE,
  `mean_x` DOUBLE,
  `low` STRING,
  `high` TIMESTAMP(3),
  `earliest` STRING,
  `latest` INT,
  `all_n` ARRAY<INT>,
  `all_s` ARRAY<STRING>
) WITH (
  'connector' = 'print'
);

EXECUTE STATEMENT SET
BEGIN
INSERT INTO `sink_0_print`
SELECT `lower_s`, `upper_s`, `trim_s`, `length_s`, `substring_s`, `substring_rest`, `split_plain`, `split_pattern`, `concat_parts`, `replace_s`, `matches_s`, `starts_s`, `to_string_n`, `to_string_b`, `to_string_ts`, `abs_n`, `round_x`, `round_x_1`, `floor_x`, `ceil_x`, `sqrt_x`, `pow_x`, `greatest_v`, `least_v`, `coalesce_s`, `year_ts`, `month_ts`, `day_ts`, `hour_ts`, `minute_ts`, `floor_time_h`, `floor_time_15m`, `epoch_ts`, `now_ts`, `arithmetic`, `double_division`, `later`, `earlier`, `logic`, `in_list`, `like_s`, `if_v`, `case_v`, `cast_x`, `cast_n`, `cast_b`, `cast_ts`, `cast_ms`, `pair`, `both`
FROM `scalars_0_map`;
INSERT INTO `sink_1_print`
SELECT `b`, `kinds`
FROM `kinds_1_aggregate`;
INSERT INTO `sink_2_print`
SELECT `b`, `rows`, `named`, `total`, `sum_x`, `mean`, `mean_x`, `low`, `high`, `earliest`, `latest`, `all_n`, `all_s`
FROM `totals_1_aggregate`;
END;

