/**
 * The locales to try for a requested one (kappnav-prism.md §6.2): `fr_CA`, then `fr`, then `en`, as Java
 * resource bundles fall back. `fr-CA` (BCP 47) is read as `fr_CA`.
 */
export function localeChain(locale: string): string[] {
  const normalized = locale.trim().replaceAll('-', '_');
  const [language] = normalized.split('_');
  return [...new Set([normalized, language, 'en'].filter((entry): entry is string => !!entry))];
}
