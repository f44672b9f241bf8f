import { createHmac } from 'node:crypto';
import type { UrlFunction } from '../function-map.ts';
import { type FunctionInvoker, type Invocation, InvokeFailure, TIMEOUT_REASON } from './invoker.ts';

// A trigger function behind an HTTPS URL (any web framework, no Lambda
// runtime): the event is POSTed as JSON, signed as the SMS webhook is
// (X-Cognate-Signature: sha256=<HMAC-SHA256 of the body>, keyed with the
// entry's secret), and the answer is the function's output:
//   2xx with a JSON body      the returned event
//   4xx with {"errorMessage"} the function refused (UserLambdaValidationException)
//   anything else             the function could not be run (UnexpectedLambdaException)

export class UrlInvoker implements FunctionInvoker {
  constructor(private readonly resolve: (functionArn: string) => UrlFunction | null) {}

  async invoke(functionArn: string, event: object, timeoutMs: number): Promise<Invocation> {
    const fn = this.resolve(functionArn);
    if (!fn) throw new InvokeFailure('ResourceNotFoundException.', false);
    const body = JSON.stringify(event);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (fn.secret) headers['x-cognate-signature'] = `sha256=${createHmac('sha256', fn.secret).update(body, 'utf8').digest('hex')}`;
    const signal = AbortSignal.timeout(timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(fn.url, { method: 'POST', headers, body, signal, redirect: 'error' });
      text = await res.text();
    } catch (err) {
      if (signal.aborted) throw new InvokeFailure(TIMEOUT_REASON, false);
      throw new InvokeFailure(networkReason(err), true);
    }
    if (res.status >= 200 && res.status < 300) {
      if (text.trim() === '') return { kind: 'returned', output: undefined };
      try {
        return { kind: 'returned', output: JSON.parse(text) as unknown };
      } catch {
        return { kind: 'returned', output: text };
      }
    }
    if (res.status >= 400 && res.status < 500) {
      const message = errorMessageOf(text);
      if (message !== null) return { kind: 'failed', message };
    }
    throw new InvokeFailure(`HTTP ${res.status}.`, res.status === 429 || res.status === 503);
  }

  async close(): Promise<void> {}
}

function errorMessageOf(text: string): string | null {
  try {
    const parsed = JSON.parse(text) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : null;
  } catch {
    return null;
  }
}

/** fetch says only "fetch failed": the reason is its cause's code (ECONNREFUSED, ENOTFOUND, …). */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  if (typeof cause?.code === 'string') return `${cause.code}.`;
  return `${(err as Error).name}: ${typeof cause?.message === 'string' ? cause.message : (err as Error).message}`;
}
