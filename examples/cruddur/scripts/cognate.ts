// Starting Cognate and creating the seed's user pool: shared by the dev
// script and the end-to-end test.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  CreateUserPoolDomainCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  paginateListUserPoolClients,
  paginateListUserPools,
  type UserPoolClientType,
} from '@aws-sdk/client-cognito-identity-provider';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const COGNATE_BIN = join(REPO_ROOT, 'packages/server/bin/cognate.cjs');

/** Which module runs each of the pool's Lambda triggers (Cognate's --functions). */
const FUNCTIONS_FILE = join(REPO_ROOT, 'examples/cruddur/functions/functions.json');
/** The post confirmation trigger's function, as the seed's pool names it in LambdaConfig. */
export const POST_CONFIRMATION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:cruddur-post-confirmation';

export const POOL_NAME = 'cruddur-user-pool';
export const CLIENT_NAME = 'cruddur';
/** The pool's domain prefix (Cognito's "Cognito domain"); Cognate also answers it as cruddur.localhost. */
export const DOMAIN_PREFIX = 'cruddur';
/** What the hosted sign-in asks for; aws.cognito.signin.user.admin lets its access token call GetUser, as Amplify's fetchUserAttributes does. */
export const OAUTH_SCOPES = ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'];

export interface CognateProcess {
  /** Where clients reach Cognate; also the base of its token issuers. */
  endpoint: string;
  dataDir: string;
  /**
   * The self-signed certificate Cognate serves (PEM): Node clients of
   * Cognate trust it by this, as Node has no way to accept it once like a browser.
   */
  ca: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Runs `cognate start` as its own process, resolving once it prints its endpoint.
 *
 * Always over HTTPS with Cognate's self-signed certificate for localhost:
 * Amplify builds the hosted sign-in's URLs as `https://${domain}/oauth2/...`
 * and cannot be told http, and Cognate has one listener, so its Cognito API
 * (Amplify's SRP sign-in) is on https too. The browser must accept the
 * certificate once; Node clients trust it through `ca`.
 */
export async function startCognate(opts: { dataDir: string; port: number; appDb: string; smtpUrl?: string; logLevel?: string }): Promise<CognateProcess> {
  const args = [COGNATE_BIN, 'start', '--data-dir', opts.dataDir, '--port', String(opts.port), '--tls-self-signed', '--log-level', opts.logLevel ?? 'warn'];
  if (opts.smtpUrl) args.push('--smtp-url', opts.smtpUrl);
  // The seed's Lambda functions as local modules; the post confirmation one writes to the app's database.
  args.push('--functions', FUNCTIONS_FILE);
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CRUDDUR_DB: opts.appDb } });
  let output = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Cognate did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /Endpoint and token issuer base: (\S+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`Cognate exited with status ${code}:\n${output}`));
    });
  });
  // Keep showing Cognate's warnings and errors once it is up.
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[cognate] ${chunk.toString()}`));
  return {
    endpoint,
    dataDir: opts.dataDir,
    // Where --tls-self-signed keeps the certificate (packages/server/src/http/tls.ts).
    ca: readFileSync(join(opts.dataDir, 'tls', 'self-signed.crt'), 'utf8'),
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** The operator key Cognate wrote to <data-dir>/credentials (profile "cognate") on first start. */
export function operatorCredentials(dataDir: string): { accessKeyId: string; secretAccessKey: string } {
  const text = readFileSync(join(dataDir, 'credentials'), 'utf8');
  const value = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*(\\S+)`, 'm').exec(text)?.[1];
  const accessKeyId = value('aws_access_key_id');
  const secretAccessKey = value('aws_secret_access_key');
  if (!accessKeyId || !secretAccessKey) throw new Error(`No operator key in ${join(dataDir, 'credentials')}`);
  return { accessKeyId, secretAccessKey };
}

export interface SeedPool {
  userPoolId: string;
  clientId: string;
  /** `${endpoint}/${userPoolId}`: the `iss` claim of the pool's tokens. */
  issuer: string;
}

/**
 * The app client's settings (everything UpdateUserPoolClient would otherwise
 * reset). A public client (no secret) with the console's default flows, SRP
 * for Amplify's signIn and refresh tokens, plus the hosted sign-in: the code
 * flow (Amplify adds PKCE), back to the app's home page after sign-in and
 * after /logout.
 */
function clientSettings(appOrigin: string) {
  return {
    ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
    PreventUserExistenceErrors: 'ENABLED',
    AllowedOAuthFlowsUserPoolClient: true,
    AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: OAUTH_SCOPES,
    CallbackURLs: [`${appOrigin}/`],
    LogoutURLs: [`${appOrigin}/`],
    SupportedIdentityProviders: ['COGNITO'],
  } satisfies Partial<UserPoolClientType>;
}

const sameList = (a: readonly string[] | undefined, b: readonly string[]) => JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...b].sort());

/**
 * Creates the seed's pool, its domain and app client unless they exist (found
 * by name), so the dev script can be run again on the same data directory.
 * An existing client whose callback URLs are not `appOrigin`'s (another
 * WEB_PORT, or a data directory from before the hosted sign-in) gets the
 * settings again.
 */
export async function ensureSeedPool(cognate: { endpoint: string; dataDir: string; ca: string }, appOrigin: string): Promise<SeedPool> {
  const admin = new CognitoIdentityProviderClient({
    endpoint: cognate.endpoint,
    region: 'us-east-1',
    credentials: operatorCredentials(cognate.dataDir),
    requestHandler: { httpsAgent: new Agent({ ca: cognate.ca }) },
  });
  try {
    let userPoolId: string | undefined;
    for await (const page of paginateListUserPools({ client: admin }, { MaxResults: 60 })) userPoolId ??= page.UserPools?.find((p) => p.Name === POOL_NAME)?.Id;
    if (!userPoolId) {
      // The seed's console choices (its steps 4-15), as API parameters.
      const created = await admin.send(
        new CreateUserPoolCommand({
          PoolName: POOL_NAME,
          UsernameAttributes: ['email'], // sign in with email only
          AutoVerifiedAttributes: ['email'], // Cognito-assisted verification of the email
          Schema: [
            { Name: 'name', AttributeDataType: 'String', Required: true, Mutable: true },
            { Name: 'preferred_username', AttributeDataType: 'String', Required: true, Mutable: true },
          ],
          AccountRecoverySetting: { RecoveryMechanisms: [{ Name: 'verified_email', Priority: 1 }] },
          // Keep the old email active until a changed one is verified.
          UserAttributeUpdateSettings: { AttributesRequireVerificationBeforeUpdate: ['email'] },
          MfaConfiguration: 'OFF',
          // The seed's next week: a confirmed user is written to Cruddur's own database.
          LambdaConfig: { PostConfirmation: POST_CONFIRMATION_ARN },
        }),
      );
      userPoolId = created.UserPool!.Id!;
    }
    // The hosted pages need a domain on Cognito; Cognate serves them on any
    // host, and on this one as cruddur.localhost too.
    const pool = await admin.send(new DescribeUserPoolCommand({ UserPoolId: userPoolId }));
    // A pool made before the trigger existed gets it (UpdateUserPool resets what it is not given: the created settings go again).
    if (pool.UserPool?.LambdaConfig?.PostConfirmation !== POST_CONFIRMATION_ARN)
      await admin.send(
        new UpdateUserPoolCommand({
          UserPoolId: userPoolId,
          AutoVerifiedAttributes: pool.UserPool?.AutoVerifiedAttributes,
          AccountRecoverySetting: pool.UserPool?.AccountRecoverySetting,
          UserAttributeUpdateSettings: pool.UserPool?.UserAttributeUpdateSettings,
          MfaConfiguration: pool.UserPool?.MfaConfiguration,
          LambdaConfig: { ...pool.UserPool?.LambdaConfig, PostConfirmation: POST_CONFIRMATION_ARN },
        }),
      );
    if (!pool.UserPool?.Domain) await admin.send(new CreateUserPoolDomainCommand({ UserPoolId: userPoolId, Domain: DOMAIN_PREFIX }));

    const settings = clientSettings(appOrigin);
    let clientId: string | undefined;
    for await (const page of paginateListUserPoolClients({ client: admin }, { UserPoolId: userPoolId, MaxResults: 60 }))
      clientId ??= page.UserPoolClients?.find((c) => c.ClientName === CLIENT_NAME)?.ClientId;
    if (!clientId) {
      const created = await admin.send(
        new CreateUserPoolClientCommand({ UserPoolId: userPoolId, ClientName: CLIENT_NAME, GenerateSecret: false, ...settings }),
      );
      clientId = created.UserPoolClient!.ClientId!;
    } else {
      const { UserPoolClient: current } = await admin.send(new DescribeUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId }));
      if (
        !current?.AllowedOAuthFlowsUserPoolClient ||
        !sameList(current.CallbackURLs, settings.CallbackURLs) ||
        !sameList(current.LogoutURLs, settings.LogoutURLs)
      )
        await admin.send(new UpdateUserPoolClientCommand({ UserPoolId: userPoolId, ClientId: clientId, ClientName: CLIENT_NAME, ...settings }));
    }
    return { userPoolId, clientId, issuer: `${cognate.endpoint}/${userPoolId}` };
  } finally {
    admin.destroy();
  }
}

/** The frontend's settings (src/config.ts), as the VITE_* variables Vite inlines. */
export function frontendEnv(seed: SeedPool, cognateEndpoint: string, backendUrl: string): Record<string, string> {
  return {
    VITE_AWS_USER_POOLS_ID: seed.userPoolId,
    VITE_CLIENT_ID: seed.clientId,
    VITE_COGNITO_ENDPOINT: cognateEndpoint,
    // Amplify's OAuth domain is a host (and port), which it puts after https://.
    // Cognate's own host rather than cruddur.localhost: the browser then has
    // one self-signed certificate to accept, not two.
    VITE_COGNITO_DOMAIN: new URL(cognateEndpoint).host,
    VITE_BACKEND_URL: backendUrl,
  };
}
