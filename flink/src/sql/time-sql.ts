/**
 * Conversions between Flink's TIMESTAMP(3) (UTC wall-clock time) and the epoch milliseconds a
 * .flow timestamp is at run time. Flink SQL has no direct function for either direction on
 * TIMESTAMP, so these are written from exact integer pieces.
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
        + ` + EXTRACT(MILLISECOND FROM ${ts}))`;
}

/** The TIMESTAMP(3) of epoch milliseconds (a BIGINT expression), in UTC (the session's time zone). */
export function timestampFromEpochMillisSql(ms: string): string {
    return `CAST(TO_TIMESTAMP_LTZ(${ms}, 3) AS TIMESTAMP(3))`;
}

/** ISO 8601 text of a TIMESTAMP(3), as the local runtime prints one: `2024-01-02T03:04:05.678Z`. */
export function isoTimestampSql(ts: string): string {
    return `DATE_FORMAT(${ts}, 'yyyy-MM-dd''T''HH:mm:ss.SSS''Z''')`;
}
