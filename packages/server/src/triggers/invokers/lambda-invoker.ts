import { InvokeCommand, type InvokeCommandOutput, LambdaClient, LambdaServiceException } from '@aws-sdk/client-lambda';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { type FunctionInvoker, type Invocation, InvokeFailure, TIMEOUT_REASON } from './invoker.ts';

// The AWS Lambda Invoke API (RequestResponse), through @aws-sdk/client-lambda:
// real AWS Lambda when no endpoint is configured, or whatever speaks the same
// API at --lambda-endpoint (AWS SAM CLI's `sam local start-lambda`,
// LocalStack, serverless-offline). Credentials come from the SDK's usual
// chain; with an endpoint configured and no credentials anywhere, a fixed
// local pair is used, since local runtimes accept any signature.
//
// Real Lambda is called with the full ARN (another account's function
// works). A local runtime is called with the function's name (and the ARN's
// qualifier, if any): `sam local start-lambda` and serverless-offline know
// functions only by name and answer a full ARN with ResourceNotFound.

const LOCAL_CREDENTIALS = { accessKeyId: 'cognate-local', secretAccessKey: 'cognate-local' };

/** The region an ARN names (arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]). */
const regionOfArn = (arn: string): string | null => arn.split(':')[3] || null;

export class LambdaInvoker implements FunctionInvoker {
  private readonly clients = new Map<string, LambdaClient>();

  constructor(
    private readonly endpoint: string | null,
    private readonly defaultRegion: string,
  ) {}

  private client(region: string): LambdaClient {
    let client = this.clients.get(region);
    if (!client) {
      const chain = defaultProvider();
      // Once the chain has found nothing, the local pair from then on: the chain's last step probes the
      // instance metadata service, which can take seconds of the trigger's five where nothing answers.
      let local = false;
      const fallBack = () => {
        local = true;
        return LOCAL_CREDENTIALS;
      };
      const credentials = this.endpoint ? () => (local ? Promise.resolve(LOCAL_CREDENTIALS) : chain().catch(fallBack)) : chain;
      // Retries are trigger.ts's (within Cognito's five seconds), not the SDK's.
      client = new LambdaClient({ region, credentials, maxAttempts: 1, ...(this.endpoint ? { endpoint: this.endpoint } : {}) });
      this.clients.set(region, client);
    }
    return client;
  }

  async invoke(functionArn: string, event: object, timeoutMs: number): Promise<Invocation> {
    const client = this.client(regionOfArn(functionArn) ?? this.defaultRegion);
    const abortSignal = AbortSignal.timeout(timeoutMs);
    const target = this.endpoint ? localTarget(functionArn) : { FunctionName: functionArn };
    let out: InvokeCommandOutput;
    try {
      out = await client.send(new InvokeCommand({ ...target, InvocationType: 'RequestResponse', Payload: JSON.stringify(event) }), { abortSignal });
    } catch (err) {
      if (abortSignal.aborted) throw new InvokeFailure(TIMEOUT_REASON, false);
      if (err instanceof LambdaServiceException) {
        // Throttling is worth another try; the function missing, access denied or Lambda's 5xx are not.
        const status = err.$metadata.httpStatusCode ?? 0;
        throw new InvokeFailure(`${err.name}.`, status === 429);
      }
      // No answer at all (refused, reset, DNS): another attempt may reach it.
      const code = (err as { code?: unknown }).code;
      throw new InvokeFailure(typeof code === 'string' ? `${code}.` : `${(err as Error).name}: ${(err as Error).message}`, true);
    }
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) return { kind: 'failed', message: errorMessageOf(text) };
    if (text === '' || text === 'null') return { kind: 'returned', output: undefined };
    try {
      return { kind: 'returned', output: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'returned', output: text };
    }
  }

  async close(): Promise<void> {
    for (const client of this.clients.values()) client.destroy();
    this.clients.clear();
  }
}

/** arn:aws:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER] → the name, and the qualifier when there is one. */
function localTarget(functionArn: string): { FunctionName: string; Qualifier?: string } {
  const parts = functionArn.split(':');
  if (parts[0] !== 'arn' || parts[5] !== 'function' || !parts[6]) return { FunctionName: functionArn };
  return parts[7] ? { FunctionName: parts[6], Qualifier: parts[7] } : { FunctionName: parts[6] };
}

/** Lambda's error payload is {errorMessage, errorType, …}; anything else is shown as it came. */
function errorMessageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage;
  } catch {
    // not JSON: the raw text
  }
  return text;
}
