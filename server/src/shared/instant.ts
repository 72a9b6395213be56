/**
 * Instants as the API reads them: ISO-8601 with a time zone (RFC 3339's profile; seconds optional,
 * fractions up to nanoseconds). JavaScript's Date.parse is not enough on its own: it rolls an
 * impossible calendar date over (2024-02-30 becomes 2024-03-01, T24:00 the next day) and accepts
 * forms PostgreSQL refuses, so the fields are checked as they were written.
 */
export const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)$/i;

/** What PostgreSQL's timestamptz and toISOString() both hold (0001..9999, in UTC). */
export const EARLIEST_STORABLE = Date.parse("0001-01-01T00:00:00Z");
export const LATEST_STORABLE = Date.parse("9999-12-31T23:59:59.999Z");

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
}

/**
 * True when `text` is an ISO instant whose every field exists on the calendar and the clock as
 * written: month 1..12, a day the month has (leap years included), hour 0..23, minute and second
 * 0..59, a time-zone offset of at most 23:59.
 */
export function isCalendarInstant(text: string): boolean {
  const m = ISO_INSTANT.exec(text);
  if (!m) return false;
  const [year, month, day, hour, minute, second, offsetHours, offsetMinutes] = m.slice(1).map((field) => Number(field ?? 0));
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

/** A real calendar instant that PostgreSQL can store. */
export function isStorableInstant(text: string): boolean {
  if (!isCalendarInstant(text)) return false;
  const ms = Date.parse(text);
  return ms >= EARLIEST_STORABLE && ms <= LATEST_STORABLE;
}
