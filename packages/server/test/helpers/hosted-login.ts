// The managed-login sign-in as a browser performs it, over plain HTTP
// (fetch, cookies carried by hand): GET /oauth2/authorize, follow to /login,
// read the form's CSRF token, POST the password. For tests and benchmarks
// (bench/oauth.ts) that need an authorization code without a browser.

/** The cookies a response sets, as `name=value` pairs for the next request's Cookie header. */
const cookiesOf = (res: Response): string[] => res.headers.getSetCookie().map((c) => c.split(';')[0]!);

export interface HostedSignIn {
  /** Where the sign-in sent the browser: the client's redirect URI with the code (or an error). */
  location: URL;
  /** The browser's cookies afterwards (the managed-login session among them). */
  cookies: string[];
}

/** A sign-in form fetched and ready to post: the authorize redirect followed, the CSRF token and cookie in hand. */
export interface LoginForm {
  base: string;
  fields: Record<string, string>;
  cookies: string[];
}

/** GET /oauth2/authorize and the /login page it leads to; a location instead when authorize answered without the form. */
export async function openLoginForm(base: string, authorize: Record<string, string>): Promise<LoginForm | URL> {
  const first = await fetch(`${base}/oauth2/authorize?${new URLSearchParams(authorize)}`, { redirect: 'manual' });
  const loginUrl = new URL(first.headers.get('location') ?? '', base);
  if (loginUrl.pathname !== '/login') return loginUrl;
  const page = await fetch(loginUrl);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error('no CSRF token on the sign-in page');
  return { base, fields: { ...Object.fromEntries(loginUrl.searchParams), _csrf: csrf }, cookies: cookiesOf(page) };
}

/** POST /login with the password; where the sign-in redirected to. */
export async function submitLogin(form: LoginForm, username: string, password: string): Promise<HostedSignIn> {
  const posted = await fetch(`${form.base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookies.join('; ') },
    body: new URLSearchParams({ ...form.fields, username, password }).toString(),
  });
  const location = posted.headers.get('location');
  if (!location) {
    const problem = /role="alert">([^<]*)</.exec(await posted.text())?.[1] ?? '';
    throw new Error(`the sign-in did not redirect (status ${posted.status}): ${problem}`);
  }
  return { location: new URL(location, form.base), cookies: [...form.cookies, ...cookiesOf(posted)] };
}

export async function hostedSignIn(base: string, authorize: Record<string, string>, username: string, password: string): Promise<HostedSignIn> {
  const form = await openLoginForm(base, authorize);
  if (form instanceof URL) return { location: form, cookies: [] };
  return submitLogin(form, username, password);
}

/** Any page of the managed-login pages, fetched with its CSRF token and cookie, ready to post back. */
export async function openPage(base: string, path: string, authorize: Record<string, string>): Promise<LoginForm> {
  const url = `${base}${path}?${new URLSearchParams(authorize)}`;
  const page = await fetch(url);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
  if (!csrf) throw new Error(`no CSRF token on ${path}`);
  return { base, fields: { ...authorize, _csrf: csrf }, cookies: cookiesOf(page) };
}

/** Posts a page's form with `fields`; the status, where it redirected (if it did) and the page's visible text. */
export async function postPage(
  form: LoginForm,
  path: string,
  fields: Record<string, string>,
): Promise<{ status: number; location: string | null; text: string }> {
  const res = await fetch(`${form.base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookies.join('; ') },
    body: new URLSearchParams({ ...form.fields, ...fields }).toString(),
  });
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(await res.text())?.[1] ?? '';
  const text = main
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return { status: res.status, location: res.headers.get('location'), text };
}
