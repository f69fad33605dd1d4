/** The certificate authorities and the ConfigMap of the authentication tests, as kube-apiserver sets them up. */
import { DAY_MS, createCertificateAuthority } from '../../../certs/pki.ts';
import { readAuthenticationConfig } from '../../../aggregated-api/authn/authentication-config.ts';

export const ONE_DAY = { validForMs: DAY_MS };
export const FRONT_PROXY_CA = createCertificateAuthority('front-proxy-ca', ONE_DAY);
export const CLIENT_CA = createCertificateAuthority('client-ca', ONE_DAY);

/** kube-system/extension-apiserver-authentication, as kube-apiserver writes it. */
export const AUTHENTICATION_CONFIGMAP = {
  'client-ca-file': CLIENT_CA.certPem,
  'requestheader-client-ca-file': FRONT_PROXY_CA.certPem,
  'requestheader-allowed-names': '["front-proxy-client"]',
  'requestheader-username-headers': '["X-Remote-User"]',
  'requestheader-group-headers': '["X-Remote-Group"]',
  'requestheader-extra-headers-prefix': '["X-Remote-Extra-"]',
  'requestheader-uid-headers': '["X-Remote-Uid"]',
};

export const AUTHENTICATION_CONFIG = readAuthenticationConfig(AUTHENTICATION_CONFIGMAP);
