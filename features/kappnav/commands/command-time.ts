/**
 * The `time` of the command list (kappnav-prism.md §5.3): `GET command-time` hands out UTC now as
 * `yyyy-MM-dd'T'HH:mm:ss.000Z`, and `GET commands?time=` keeps Jobs completed strictly after it. Both sides
 * are compared in UTC at second precision; anything after the seconds (millis, `Z`) is ignored, as the
 * reference's lenient `yyyy-MM-dd'T'HH:mm:sss` parse ignored it.
 */
import { CommandError } from './command-error.ts';

const SECONDS_PREFIX = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})/;

export function formatCommandTime(now: Date): string {
  return `${now.toISOString().slice(0, 19)}.000Z`;
}

/** Epoch seconds of `yyyy-MM-ddTHH:mm:ss…` read as UTC, or undefined when the text does not start so. */
export function utcSeconds(text: string): number | undefined {
  const match = SECONDS_PREFIX.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(millis);
  // Date.UTC rolls 2024-02-31 over into March; such a date is not a date.
  if (
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  )
    return undefined;
  return millis / 1000;
}

/** The `time` parameter in epoch seconds; a CommandError naming the expected format otherwise. */
export function parseCommandTime(text: string): number {
  const seconds = utcSeconds(text);
  if (seconds === undefined)
    throw new CommandError(
      'time-format',
      `Unparseable date: "${text}". The correct format is yyyy-MM-dd'T'HH:mm:sss`,
    );
  return seconds;
}
