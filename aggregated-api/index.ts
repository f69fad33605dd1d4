/** The prism API (`prism.kappnav.io`), an aggregated API server for kAppNav applications. */
export {
  createPrismApiServer,
  type PrismApiOptions,
  type PrismApiServices,
  type ServingCertificate,
} from './prism-api-server.ts';
export { PRISM_GROUP, PRISM_GROUP_VERSION, PRISM_VERSION } from './api-group.ts';
