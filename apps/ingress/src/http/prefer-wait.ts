/** The ADR's bounds for `Prefer: wait=N` on POST /api/orders and cancel. */
export const MAX_WAIT_SECONDS = 10;

/**
 * The `wait` preference of a Prefer header (RFC 7240), in whole seconds, or null. Preferences
 * are hints: a value that is not a positive integer is ignored, one above the maximum is
 * capped (and Preference-Applied says what was applied).
 */
export function parsePreferWait(header: string | readonly string[] | undefined): number | null {
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  for (const value of values) {
    for (const preference of value.split(',')) {
      const match = /^\s*wait\s*=\s*"?(\d{1,9})"?\s*(;.*)?$/i.exec(preference);
      if (!match) continue;
      const seconds = Number(match[1]);
      return seconds >= 1 ? Math.min(seconds, MAX_WAIT_SECONDS) : null;
    }
  }
  return null;
}
