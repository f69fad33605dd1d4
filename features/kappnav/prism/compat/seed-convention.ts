/**
 * What every seed REST shape under `…/apis/prism.kappnav.io/v1/kappnav[/api]` shares (kappnav-prism.md §1.1,
 * §1.2): the base path, `namespace` defaulting to `default`, `?locale=` translating action maps, and the
 * error convention — `{"message": …}` with 422 for the user's input and 207 for everything else, while 401
 * and 403 stay metav1.Status like on every path of the server.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MergedActionMap } from '../../actions/action-map.ts';
import type { ConfigMapSource } from '../../kam/config-map-source.ts';
import { translateActionMap } from '../../nls/translate-action-map.ts';
import { seedAnswer } from '../actions/action-errors.ts';
import { PRISM_ROOT } from '../api-group.ts';
import type { User } from '../../../../server/delegated-auth/user.ts';
import { sendJson } from '../../../../server/send-body.ts';
import { queryValue, type Query } from '../../../../aggregated-api/request/list-options.ts';
import { contextOf } from '../../../../aggregated-api/request/request-context.ts';

/**
 * Where the seed's shapes are served, each base with every route: `…/kappnav/api` as documented since the
 * start, and `…/kappnav`, what the kAppNav UI server reaches when its `TARGET` is the group version behind
 * `kubectl proxy` (it forwards `/kappnav/*` to `$TARGET/kappnav/*` without rewriting the path).
 */
export const COMPAT_BASES = [`${PRISM_ROOT}/kappnav/api`, `${PRISM_ROOT}/kappnav`] as const;

/** A failure in the seed's convention: 207 and a message. */
export class SeedError extends Error {}

/** The user's input is malformed: 422 and a message naming the field, as the seed answers bad input. */
export class SeedInputError extends SeedError {}

/** The seed defaults `namespace` to `default` (the application list excepted). */
export function seedNamespace(query: Query, parameter = 'namespace'): string {
  return queryValue(query, parameter) || 'default';
}

/** The action map as the seed shapes carry it: translated when `?locale=` asks. */
export function seedActionMap(merged: MergedActionMap, query: Query, configMaps: ConfigMapSource) {
  const locale = queryValue(query, 'locale');
  return locale ? translateActionMap(merged, locale, configMaps) : merged.map;
}

/** A route handler in the seed's convention: the answer as JSON, failures as the seed answered them. */
export function seedRoute(answer: (request: FastifyRequest, query: Query, user: User) => Promise<unknown>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    try {
      return sendJson(reply, await answer(request, request.query as Query, contextOf(request).user));
    } catch (error) {
      if (error instanceof SeedError)
        return sendJson(reply.code(error instanceof SeedInputError ? 422 : 207), { message: error.message });
      const seed = seedAnswer(error);
      if (!seed) throw error;
      return sendJson(reply.code(seed.status), seed.body);
    }
  };
}

/**
 * Takes JSON request bodies as text, in the plugin `app` is, for the routes to read themselves: a
 * malformed body then gets the seed's 422 naming it rather than a 400 from the JSON parser.
 */
export function acceptJsonText(app: FastifyInstance): (request: FastifyRequest) => string | undefined {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  return (request) => (typeof request.body === 'string' ? request.body : undefined);
}
