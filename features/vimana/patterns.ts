/**
 * Field formats of the Vimana resources (vimana-invariants.md §2.1 and the §6 appendix).
 *
 * Each check answers the expectation a value fails, in the words a violation message uses, or undefined
 * when the value is fine; a check with several failure modes names the one that applies.
 */

export const DOMAIN_ID = /^[0-9a-f]{32}$/;
export const SERVER_ID = /^[a-z](?:[0-9a-z-]{0,61}[0-9a-z])?$/;
/**
 * The pre-release's leading run is digits only, so that the first non-digit is where the two ways to end
 * split: a pattern that could start the run anywhere (`[0-9A-Za-z-]*[A-Za-z-]…`) backtracks in quadratic
 * time, and a megabyte of `a-a-a-…` held the event loop for hours.
 */
export const VERSION =
  /^(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)\.(?:0|[1-9][0-9]*)(?:-(?:0|[1-9][0-9]*|[0-9]*(?:[A-Za-z]|[A-Za-z-][0-9A-Za-z-]*[0-9A-Za-z])))?$/;
export const IMAGE = /^([^/]*)\/([^/]*)\/([^:]*):(.*)$/;
export const GRPC_SERVICE = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
export const HOSTNAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const VIMANA_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export const REGION = /^[a-z0-9-]*\/[a-z0-9-]+$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
/** Kebab-case, like the flag names in the Server type's design comment (F11). */
export const FEATURE_KEY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** The suffix of canonical hostnames `<id>.app.vimana.host`; aliases may not use it. */
export const CANONICAL_SUFFIX = '.app.vimana.host';

/** Label values, versions and server ids share the Kubernetes label-value length limit. */
export const MAX_LABEL_CHARS = 63;
/** A Vimana's Service `<name>-gateway` must stay a 63-character DNS label. */
const MAX_VIMANA_NAME_CHARS = MAX_LABEL_CHARS - '-gateway'.length;
const MAX_HOSTNAME_CHARS = 253;
/** Gateway API GRPCMethodMatch.service maxLength. */
const MAX_SERVICE_CHARS = 1024;

/** The expectation a value fails, or undefined when it is fine. */
export type FormatCheck = (value: string) => string | undefined;

export const domainIdProblem: FormatCheck = (value) =>
  DOMAIN_ID.test(value) ? undefined : 'must be 32 lowercase hex characters';

export const serverIdProblem: FormatCheck = (value) =>
  SERVER_ID.test(value)
    ? undefined
    : 'must be 1-63 lowercase letters, digits or dashes, starting with a letter and not ending with a dash';

export const versionProblem: FormatCheck = (value) => {
  if (!VERSION.test(value))
    return 'must be MAJOR.MINOR.PATCH with an optional undotted pre-release, no build metadata';
  return value.length > MAX_LABEL_CHARS ? `must be at most ${MAX_LABEL_CHARS} characters` : undefined;
};

export const serviceNameProblem: FormatCheck = (value) => {
  if (!GRPC_SERVICE.test(value)) return 'must be a fully-qualified gRPC service name such as package.Service';
  return value.length > MAX_SERVICE_CHARS ? `must be at most ${MAX_SERVICE_CHARS} characters` : undefined;
};

/** Aliases and failover names (F6, F7): concrete external DNS names. */
export const hostnameProblem: FormatCheck = (value) => {
  if (value.length > MAX_HOSTNAME_CHARS) return `must be at most ${MAX_HOSTNAME_CHARS} characters`;
  if (value.startsWith('*.')) return 'must be a concrete hostname, not a wildcard';
  if (!HOSTNAME.test(value)) return 'must be a lowercase DNS hostname without scheme, port or path';
  const labels = value.split('.');
  if (labels.length < 2) return 'must be a fully-qualified hostname with at least one dot';
  if (labels.some((label) => label.length > MAX_LABEL_CHARS))
    return `must have DNS labels of at most ${MAX_LABEL_CHARS} characters`;
  // No top-level domain is all digits, so this rejects IPv4 addresses, which the Gateway API forbids.
  if (/^[0-9]+$/.test(labels.at(-1) ?? '')) return 'must be a hostname, not an IP address';
  if (value.endsWith(CANONICAL_SUFFIX))
    return `must not end in ${CANONICAL_SUFFIX} (reserved for canonical hostnames)`;
  return undefined;
};

export const vimanaNameProblem: FormatCheck = (value) =>
  VIMANA_NAME.test(value) && value.length <= MAX_VIMANA_NAME_CHARS
    ? undefined
    : `must be a lowercase DNS label of at most ${MAX_VIMANA_NAME_CHARS} characters, as <name>-gateway names a Service`;

export const regionProblem: FormatCheck = (value) =>
  REGION.test(value) ? undefined : 'should be <provider>/<region> in lowercase, e.g. aws/us-east or /us-east';

export const featureKeyProblem: FormatCheck = (value) =>
  FEATURE_KEY.test(value) ? undefined : 'should be a kebab-case feature flag name';

export function isLabelValue(value: string): boolean {
  return value.length <= MAX_LABEL_CHARS && LABEL_VALUE.test(value);
}

export interface ImageReference {
  registry: string;
  domain: string;
  server: string;
  version: string;
}

/** Splits an image the way the runtime does (`runtime/cri/image.rs`); undefined when it has not that shape. */
export function parseImage(image: string): ImageReference | undefined {
  const match = IMAGE.exec(image);
  if (!match) return undefined;
  const [, registry = '', domain = '', server = '', version = ''] = match;
  return { registry, domain, server, version };
}

const IMAGE_SHAPE = 'must be <registry>/<domainId>/<serverId>:<version>';

/** F4: the shape, a registry, then F1/F2/F3 on the parts, naming the first part that fails. */
export const imageProblem: FormatCheck = (value) => {
  const image = parseImage(value);
  if (!image || image.registry === '') return IMAGE_SHAPE;
  const parts: [string, string, FormatCheck][] = [
    ['domain id', image.domain, domainIdProblem],
    ['server id', image.server, serverIdProblem],
    ['version', image.version, versionProblem],
  ];
  for (const [part, text, check] of parts) {
    if (check(text) !== undefined)
      return `${IMAGE_SHAPE}; ${JSON.stringify(text.slice(0, 40))} is no ${part}`;
  }
  return undefined;
};

/** F8: a JWKS location the gateway can fetch. */
export const jwksUrlProblem: FormatCheck = (value) => {
  const protocol = URL.canParse(value) ? new URL(value).protocol : undefined;
  return protocol === 'https:' || protocol === 'http:' ? undefined : 'must be an absolute https:// URL';
};
