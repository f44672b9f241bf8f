// The pages' Content-Security-Policy: no script at all, styles and images
// only from Cognate, never framed (clickjacking), forms posting only back
// here. A form whose answer redirects to the app's callback needs that
// callback's origin in form-action too: Chromium applies form-action to the
// redirects that follow a form submission.

function sourceOf(uri: string): string | null {
  try {
    const url = new URL(uri);
    // A custom scheme (myapp://callback) has no origin: allowed by scheme.
    return url.origin === 'null' ? url.protocol : url.origin;
  } catch {
    return null;
  }
}

export function pageCsp(redirectTargets: readonly string[] = []): string {
  const targets = redirectTargets.map(sourceOf).filter((s): s is string => s !== null && /^[a-z][a-z0-9+.-]*:(\/\/[^\s;,']+)?$/i.test(s));
  const formAction = ["'self'", ...new Set(targets)].join(' ');
  return `default-src 'none'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action ${formAction}`;
}
