/**
 * The ObjectMeta fields the server fills in, in Kubernetes' forms: creationTimestamp as metav1.Time
 * writes it (RFC 3339, UTC, whole seconds) and a name generated from `generateName` as the generic
 * registry's SimpleNameGenerator makes it (the prefix cut to 58 characters, then five random characters
 * of an alphabet without vowels or look-alike digits, so that no word appears).
 */
import { randomInt } from 'node:crypto';

export function kubeTime(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const RANDOM_LENGTH = 5;
const MAX_NAME_LENGTH = 63;

export function generateName(prefix: string): string {
  const base = prefix.slice(0, MAX_NAME_LENGTH - RANDOM_LENGTH);
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return base + suffix;
}
