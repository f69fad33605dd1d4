/**
 * `mapname` substitution (kappnav-prism.md §3.4 step 5, `mapNameSubstitute`): the mapname is split on `.`
 * and only whole segments that are exactly one of the variables below are replaced.
 */
import type { MappingSubject, OwnerIdentity } from './mapping-subject.ts';

/**
 * The `.`-separated segments, not splitting inside `${…}`. The reference split on every `.`, which cut
 * `${owner.kind}` and its siblings in two, so owner variables were never substituted (QUIRK fix).
 */
function segments(mapname: string): string[] {
  const parts: string[] = [];
  let current = '';
  let inVariable = false;
  for (let i = 0; i < mapname.length; i++) {
    const c = mapname[i]!;
    if (c === '.' && !inVariable) {
      parts.push(current);
      current = '';
      continue;
    }
    if (c === '$' && mapname[i + 1] === '{') inVariable = true;
    else if (c === '}') inVariable = false;
    current += c;
  }
  parts.push(current);
  return parts;
}

export function substituteMapname(
  mapname: string,
  subject: MappingSubject,
  owner: OwnerIdentity | undefined,
): string {
  const segment = (part: string): string => {
    switch (part) {
      case '${namespace}':
        return subject.namespace;
      case '${name}':
        return subject.name;
      case '${kind}':
        return subject.kind.toLowerCase();
      case '${kind}-${subkind}':
        return `${subject.kind.toLowerCase()}-${subject.subkind}`;
      case '${owner.kind}':
        return owner ? owner.kind.toLowerCase() : part;
      case '${owner.apiVersion}':
        return owner ? owner.apiVersion.replaceAll('/', '-') : part;
      case '${owner.uid}':
        return owner ? owner.uid : part;
      default:
        return part;
    }
  };
  return segments(mapname).map(segment).join('.');
}
