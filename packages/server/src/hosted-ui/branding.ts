import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Deps } from '../context.ts';
import type { ManagedLoginBranding } from '../domain/oauth-config.ts';
import { isAllowedUiCss } from '../domain/ui-css.ts';
import { describedRoute } from '../http/routes.ts';
import { queryOrEmpty } from '../oauth/params.ts';
import type { Store } from '../store/store.ts';
import { ASSET_TYPES, assetFor, assetNamed, assetPath, colorSchemeOf, disabled, faviconIcoEnabled, managedLoginCss } from './managed-branding.ts';

// The classic hosted UI's branding from SetUICustomization: the client's own
// CSS and logo, else the pool's ('ALL'). The CSS is served as it was stored,
// as its own text/css resource and never inlined into a page, so nothing in
// it can end a <style> element or reach the markup; under the pages' CSP
// (style-src 'self', img-src 'self' data:, no script) it can only restyle.
// CSS that fails SetUICustomization's check (domain/ui-css.ts), stored
// before that check existed, is neither linked nor served.
// The logo is served at the path GetUICustomization's ImageUrl names
// (cognito-api/ui-customization.ts describeCustomization).
//
// A client with a managed login branding style (CreateManagedLoginBranding)
// gets that style instead: CSS generated from its Settings
// (managed-branding.ts: only checked values reach it) at
// /hosted-ui/branding.css, and its FORM_LOGO, PAGE_BACKGROUND and
// FAVICON_ICO images at /hosted-ui/branding/<client>/<file>. A style with
// UseCognitoProvidedValues is Cognito's default look: Cognate's own, with
// nothing added. Clients without a style keep the classic customization.

export interface Branding {
  cssUrl: string | null;
  logoUrl: string | null;
  /** A browser-adaptive style's dark-mode FORM_LOGO, shown instead under prefers-color-scheme: dark. */
  logoDarkUrl: string | null;
  faviconUrl: string | null;
}

const LOGO_TYPES: Record<string, string> = { png: 'image/png', jpeg: 'image/jpeg' };

/** Same-origin URLs of the branding a client's pages link to (the version busts caches after SetUICustomization). */
export async function brandingOf(store: Store, poolId: string, clientId: string): Promise<Branding> {
  const style = await store.managedLoginBranding.forClient(poolId, clientId);
  if (style) return managedBrandingOf(style);
  const found = await store.uiCustomizations.get(poolId, clientId);
  if (!found) return { cssUrl: null, logoUrl: null, logoDarkUrl: null, faviconUrl: null };
  const version = String(found.lastModified);
  return {
    cssUrl: found.css && isAllowedUiCss(found.css) ? `/hosted-ui/custom.css?${new URLSearchParams({ client_id: clientId, v: version }).toString()}` : null,
    logoUrl:
      found.imageFile && found.imageType
        ? `/ui-customization/${encodeURIComponent(found.poolId)}/${encodeURIComponent(found.clientId)}/logo.${found.imageType}`
        : null,
    logoDarkUrl: null,
    faviconUrl: null,
  };
}

/** The light-mode (or, for a dark-only style, dark-mode) assets a style's pages use. */
function modeOf(style: ManagedLoginBranding): 'LIGHT' | 'DARK' {
  return colorSchemeOf(style.settings) === 'DARK' ? 'DARK' : 'LIGHT';
}

function managedBrandingOf(style: ManagedLoginBranding): Branding {
  if (style.useCognitoProvidedValues || style.settings === null) return { cssUrl: null, logoUrl: null, logoDarkUrl: null, faviconUrl: null };
  const mode = modeOf(style);
  const logoOff = disabled(style.settings, 'components', 'form', 'logo', 'enabled');
  const logo = logoOff ? null : assetFor(style, 'form-logo', mode);
  const darkLogo = logoOff || colorSchemeOf(style.settings) !== 'DYNAMIC' ? null : assetFor(style, 'form-logo', 'DARK');
  const favicon = faviconIcoEnabled(style.settings) ? assetFor(style, 'favicon', mode) : null;
  return {
    cssUrl: `/hosted-ui/branding.css?${new URLSearchParams({ client_id: style.clientId, v: String(style.updatedAt) }).toString()}`,
    logoUrl: logo ? assetPath(style, 'form-logo', logo) : null,
    logoDarkUrl: logo && darkLogo && darkLogo !== logo ? assetPath(style, 'form-logo', darkLogo) : null,
    faviconUrl: favicon ? assetPath(style, 'favicon', favicon) : null,
  };
}

/** The CSS for a style, with its PAGE_BACKGROUND images (unless the settings switch the image off). */
function styleCss(style: ManagedLoginBranding): string {
  const imageOff = disabled(style.settings, 'components', 'pageBackground', 'image', 'enabled');
  const bg = (mode: 'LIGHT' | 'DARK') => {
    const a = imageOff ? null : assetFor(style, 'page-background', mode);
    return a ? assetPath(style, 'page-background', a) : null;
  };
  return managedLoginCss({ settings: style.settings, background: { light: bg('LIGHT'), dark: bg('DARK') } });
}

const notFound = (reply: FastifyReply) =>
  reply.code(404).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send('Not found');

/** The managed login branding style of the client with this ID, if any. */
async function styleOf(deps: Deps, clientId: string | undefined | null): Promise<ManagedLoginBranding | null> {
  const client = clientId ? await deps.store.pools.client(clientId) : null;
  return client ? deps.store.managedLoginBranding.forClient(client.poolId, client.clientId) : null;
}

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

  app.get(
    '/hosted-ui/branding.css',
    describedRoute({
      service: 'hosted-ui',
      operation: 'ManagedLoginCss',
      quotaCategory: null,
      errors: 'page',
      names: (req) => ({ poolId: null, clientId: queryOrEmpty(req).get('client_id') ?? null }),
      redact: (req) => ({ client_id: queryOrEmpty(req).get('client_id') }),
    }),
    async (req, reply) => {
      const style = await styleOf(deps, queryOrEmpty(req).get('client_id'));
      if (!style || style.useCognitoProvidedValues || style.settings === null) return notFound(reply);
      return reply.header('content-type', 'text/css; charset=utf-8').header('cache-control', 'no-cache').send(styleCss(style));
    },
  );

  app.get<{ Params: { clientId: string; file: string } }>(
    '/hosted-ui/branding/:clientId/:file',
    describedRoute({
      service: 'hosted-ui',
      operation: 'ManagedLoginAsset',
      quotaCategory: null,
      errors: 'page',
      names: (req) => ({ poolId: null, clientId: (req.params as { clientId?: string }).clientId ?? null }),
      redact: (req) => req.params,
    }),
    async (req, reply) => {
      const style = await styleOf(deps, req.params.clientId);
      const asset = style && !style.useCognitoProvidedValues ? assetNamed(style, req.params.file) : null;
      const type = asset ? ASSET_TYPES[asset.Extension.toLowerCase()] : undefined;
      if (!asset?.Bytes || !type) return notFound(reply);
      reply.header('content-type', type).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      // An SVG opened on its own is a document that could run script: this CSP lets it run nothing and load nothing.
      if (type === 'image/svg+xml') reply.header('content-security-policy', "default-src 'none'");
      return reply.send(Buffer.from(asset.Bytes, 'base64'));
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
