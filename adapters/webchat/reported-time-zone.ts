/** An IANA zone name as browsers report it: Asia/Shanghai, America/Argentina/Buenos_Aires, Etc/GMT+8, UTC. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The time zone a visitor's browser (or Bot Framework client, `localTimezone`) reported, when it
 * looks like a zone name; kept as `meta.timeZone` so progress messages respect the visitor's night.
 * The gateway checks it against Intl before using it.
 */
export function reportedTimeZone(value: unknown): string | undefined {
  return typeof value === 'string' && value.length <= 64 && ZONE_NAME.test(value) ? value : undefined;
}
