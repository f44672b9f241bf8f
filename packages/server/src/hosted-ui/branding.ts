import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../context.ts';
import { isAllowedUiCss } from '../domain/ui-css.ts';
import { describedRoute } from '../http/routes.ts';
import { queryOrEmpty } from '../oauth/params.ts';
import type { Store } from '../store/store.ts';

// The classic hosted UI's branding from SetUICustomization: the client's own
// CSS and logo, else the pool's ('ALL'). The CSS is served as it was stored,
// as its own text/css resource and never inlined into a page, so nothing in
// it can end a <style> element or reach the markup; under the pages' CSP
// (style-src 'self', img-src 'self' data:, no script) it can only restyle.
// CSS that fails SetUICustomization's check (domain/ui-css.ts), stored
// before that check existed, is neither linked nor served.
// The logo is served at the path GetUICustomization's ImageUrl names
// (cognito-api/ui-customization.ts describeCustomization).

export interface Branding {
  cssUrl: string | null;
  logoUrl: string | null;
}

const LOGO_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg' };

/** Same-origin URLs of the branding a client's pages link to (the version busts caches after SetUICustomization). */
export async function brandingOf(store: Store, poolId: string, clientId: string): Promise<Branding> {
  const found = await store.uiCustomizations.get(poolId, clientId);
  if (!found) return { cssUrl: null, logoUrl: null };
  const version = String(found.lastModified);
  return {
    cssUrl: found.css && isAllowedUiCss(found.css) ? `/hosted-ui/custom.css?${new URLSearchParams({ client_id: clientId, v: version }).toString()}` : null,
    logoUrl:
      found.imageFile && found.imageType
        ? `/ui-customization/${encodeURIComponent(found.poolId)}/${encodeURIComponent(found.clientId)}/logo.${found.imageType}`
        : null,
  };
}

const notFound = (reply: FastifyReply) =>
  reply.code(404).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found');

export function registerBranding(app: FastifyInstance, deps: Deps): void {
  app.get(
    '/hosted-ui/custom.css',
    describedRoute({
      service: 'hosted-ui',
      operation: 'CustomCss',
      quotaCategory: null,
      errors: 'page',
      names: (req) => ({ poolId: null, clientId: queryOrEmpty(req).get('client_id') ?? null }),
      redact: (req) => ({ client_id: queryOrEmpty(req).get('client_id') }),
    }),
    async (req, reply) => {
      const clientId = queryOrEmpty(req).get('client_id');
      const client = clientId ? await deps.store.pools.client(clientId) : null;
      const css = client ? (await deps.store.uiCustomizations.get(client.poolId, client.clientId))?.css : null;
      if (!css || !isAllowedUiCss(css)) return notFound(reply);
      // no-cache: revalidated each time, so a new SetUICustomization shows at once even without the version parameter.
      return reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'no-cache').send(css);
    },
  );

  app.get<{ Params: { poolId: string; clientId: string; file: string } }>(
    '/ui-customization/:poolId/:clientId/:file',
    describedRoute({
      service: 'hosted-ui',
      operation: 'Logo',
      quotaCategory: null,
      errors: 'page',
      names: (req) => {
        const { poolId, clientId } = req.params as { poolId?: string; clientId?: string };
        return { poolId: poolId ?? null, clientId: clientId && clientId !== 'ALL' ? clientId : null };
      },
      redact: (req) => req.params,
    }),
    async (req, reply) => {
      const { poolId, clientId, file } = req.params;
      const type = /^logo\.(png|jpeg)$/.exec(file)?.[1];
      const found = type ? await deps.store.uiCustomizations.own(poolId, clientId) : null;
      if (!type || !found?.imageFile || found.imageType !== type) return notFound(reply);
      return reply
        .header('content-type', LOGO_TYPES[type] ?? 'application/octet-stream')
        .header('cache-control', 'no-cache')
        .send(found.imageFile);
    },
  );
}
