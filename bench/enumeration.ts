// User-existence timing benchmark: with PreventUserExistenceErrors ENABLED,
// USER_PASSWORD_AUTH for an unknown name, a wrong password, a disabled user
// and a locked-out account should take comparable time (each refusal costs
// one argon2 check). Prints the median and p90 per case, interleaved so drift
// in machine load hits every case alike.
// Run: npx tsx bench/enumeration.ts [calls per case]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AdminCreateUserCommand,
  AdminDisableUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { buildApp } from '../packages/server/src/app.ts';
import { configFor } from '../packages/server/src/config/load.ts';

const CALLS = Number(process.argv[2] ?? 40);
const PASSWORD = 'Bench!Passw0rd';
const WRONG = 'Wr0ng!Passw0rd';

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
};

const dataDir = mkdtempSync(join(tmpdir(), 'cognate-bench-enum-'));
const config = configFor({ dataDir, port: 0, logLevel: 'silent' });
const built = await buildApp(config, {});
const url = (await built.app.listen({ port: 0, host: '127.0.0.1' })).replace('127.0.0.1', 'localhost');
built.deps.tokens.setPublicUrl(url);
const common = { region: config.region, endpoint: url, maxAttempts: 1 };
const admin = new CognitoIdentityProviderClient({ ...common, credentials: built.createdCredentials! });
const anon = new CognitoIdentityProviderClient({ ...common, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, signer: { sign: async (r) => r } });

try {
  const poolId = (await admin.send(new CreateUserPoolCommand({ PoolName: 'bench-enum' }))).UserPool!.Id!;
  const clientId = (
    await admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'bench',
        PreventUserExistenceErrors: 'ENABLED',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    )
  ).UserPoolClient!.ClientId!;
  const user = async (name: string) => {
    await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: name, MessageAction: 'SUPPRESS' }));
    await admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: name, Password: PASSWORD, Permanent: true }));
  };
  await user('known');
  await user('disabled');
  await admin.send(new AdminDisableUserCommand({ UserPoolId: poolId, Username: 'disabled' }));
  await user('locked');

  const attempt = async (username: string): Promise<number> => {
    const t = process.hrtime.bigint();
    try {
      await anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: WRONG } }));
    } catch {
      // every case is refused; only the time matters
    }
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  // The locked account: five failures lock it (the schedule's later locks last long enough for the run).
  for (let i = 0; i < 12; i++) await attempt('locked');

  const cases: Record<string, () => string> = {
    'unknown name (fresh each call)': (() => {
      let n = 0;
      return () => `nobody-${n++}`;
    })(),
    'wrong password': () => 'known',
    'disabled user': () => 'disabled',
    'locked account': () => 'locked',
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < 3; i++) for (const pick of Object.values(cases)) await attempt(pick()); // warm-up
  for (let i = 0; i < CALLS; i++) for (const [label, pick] of Object.entries(cases)) times[label]!.push(await attempt(pick()));

  console.log(`USER_PASSWORD_AUTH refusals, PreventUserExistenceErrors ENABLED, ${CALLS} calls per case (ms)`);
  for (const [label, xs] of Object.entries(times))
    console.log(`  ${label.padEnd(32)} median ${quantile(xs, 0.5).toFixed(1).padStart(6)}   p90 ${quantile(xs, 0.9).toFixed(1).padStart(6)}`);
} finally {
  await built.app.close();
  rmSync(dataDir, { recursive: true, force: true });
}
