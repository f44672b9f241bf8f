// The managed-login sign-in as a browser performs it, over plain HTTP
// (fetch, cookies carried by hand): GET /oauth2/authorize, follow to /login,
// read the form's CSRF token, POST the password. For tests and benchmarks
// that need an authorization code without a browser.

/** The cookies a response sets, as `name=value` pairs for the next request's Cookie header. */
const cookiesOf = (res: Response): string[] => res.headers.getSetCookie().map((c) => c.split(';')[0]!);

export interface HostedSignIn {
  /** Where the sign-in sent the browser: the client's redirect URI with the code (or an error). */
  location: URL;
  /** The browser's cookies afterwards (the managed-login session among them). */
  cookies: string[];
}

export async function hostedSignIn(base: string, authorize: Record<string, string>, username: string, password: string): Promise<HostedSignIn> {
  const first = await fetch(`${base}/oauth2/authorize?${new URLSearchParams(authorize)}`, { redirect: 'manual' });
  const loginUrl = new URL(first.headers.get('location') ?? '', base);
  if (loginUrl.pathname !== '/login') return { location: loginUrl, cookies: [] };
  const page = await fetch(loginUrl);
  const cookies = cookiesOf(page);
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!csrf) throw new Error('no CSRF token on the sign-in page');
  const form = new URLSearchParams({ ...Object.fromEntries(loginUrl.searchParams), _csrf: csrf, username, password });
  const posted = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies.join('; ') },
    body: form.toString(),
  });
  const location = posted.headers.get('location');
  if (!location) {
    const problem = /role="alert">([^<]*)</.exec(await posted.text())?.[1] ?? '';
    throw new Error(`the sign-in did not redirect (status ${posted.status}): ${problem}`);
  }
  return { location: new URL(location, base), cookies: [...cookies, ...cookiesOf(posted)] };
}
