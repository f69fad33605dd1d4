/**
 * A comma-separated namespace list, as written in `kappnav-config` `app-namespaces` and in the
 * `kappnav.component.namespaces` annotation: `"ns1, ns2"`.
 *
 * QUIRK fixed: kAppNav's Java API split the annotation only when a comma appeared after the first
 * character, so `",ns2"` became the single namespace ",ns2"; we always split, trim and skip empty entries.
 * QUIRK fixed: the Go controller validated entries with an unanchored regular expression, so almost
 * anything passed; we require a real namespace name (a DNS-1123 label) and report the others.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const MAX_LABEL = 63;

export interface NamespaceList {
  /** Valid names, first occurrence order, without duplicates. */
  namespaces: string[];
  /** Entries that are not namespace names. */
  invalid: string[];
}

export function parseNamespaceList(text: string): NamespaceList {
  const namespaces = new Set<string>();
  const invalid: string[] = [];
  for (const entry of text.split(',')) {
    const name = entry.trim();
    if (name === '') continue;
    if (name.length <= MAX_LABEL && DNS_LABEL.test(name)) namespaces.add(name);
    else invalid.push(name);
  }
  return { namespaces: [...namespaces], invalid };
}
