/**
 * Conversions between Flink's TIMESTAMP(3) (UTC wall-clock time) and the epoch milliseconds a
 * .flow timestamp is at run time, and the parts of a timestamp. Flink SQL has no direct function
 * for either direction on TIMESTAMP, so these are written from exact integer pieces.
 *
 * Flink 2.3 extracts wrong parts from instants before 1970 that are not at midnight (checked:
 * HOUR(TIMESTAMP '1899-12-31 12:34:56') is -11, MONTH(TIMESTAMP '1969-12-31 23:59:59') is 1,
 * EXTRACT(MILLISECOND ...) is negative, CAST(... AS DATE) rounds toward 1970), while FLOOR(t TO unit)
 * and TIMESTAMPDIFF are right; so every part is taken from those two.
 */

const EPOCH = "TIMESTAMP '1970-01-01 00:00:00'";

/**
 * Epoch milliseconds (BIGINT) of a TIMESTAMP(3). Whole days, then seconds within the day, then
 * milliseconds: TIMESTAMPDIFF returns INT, so one difference in seconds would overflow in 2038,
 * and flooring first keeps instants before 1970 exact.
 */
export function epochMillisSql(ts: string): string {
    const day = `FLOOR(${ts} TO DAY)`;
    return `(CAST(TIMESTAMPDIFF(DAY, ${EPOCH}, ${day}) AS BIGINT) * 86400000`
        + ` + CAST(TIMESTAMPDIFF(SECOND, ${day}, FLOOR(${ts} TO SECOND)) AS BIGINT) * 1000`
        + ` + ${millisecondOfSecondSql(ts)})`;
}

/** The millisecond within the second (0-999); Flink's EXTRACT gives it minus 1000 before 1970. */
function millisecondOfSecondSql(ts: string): string {
    return `MOD(EXTRACT(MILLISECOND FROM ${ts}) + 1000, 1000)`;
}

/** A calendar field of a timestamp (UTC), as INT: year, month, day of month, hour, minute, second. */
export function timestampPartSql(part: 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second', ts: string): string {
    switch (part) {
        // A timestamp at midnight extracts correctly, whatever its year.
        case 'year': return `CAST(YEAR(FLOOR(${ts} TO DAY)) AS INT)`;
        case 'month': return `CAST(MONTH(FLOOR(${ts} TO DAY)) AS INT)`;
        case 'day': return `CAST(DAYOFMONTH(FLOOR(${ts} TO DAY)) AS INT)`;
        case 'hour': return `TIMESTAMPDIFF(HOUR, FLOOR(${ts} TO DAY), ${ts})`;
        case 'minute': return `TIMESTAMPDIFF(MINUTE, FLOOR(${ts} TO HOUR), ${ts})`;
        case 'second': return `TIMESTAMPDIFF(SECOND, FLOOR(${ts} TO MINUTE), ${ts})`;
    }
}

/** The TIMESTAMP(3) of epoch milliseconds (a BIGINT expression), in UTC (the session's time zone). */
export function timestampFromEpochMillisSql(ms: string): string {
    return `CAST(TO_TIMESTAMP_LTZ(${ms}, 3) AS TIMESTAMP(3))`;
}

/** ISO 8601 text of a TIMESTAMP(3), as the local runtime prints one: `2024-01-02T03:04:05.678Z`. */
export function isoTimestampSql(ts: string): string {
    return `DATE_FORMAT(${ts}, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''')`;
}
