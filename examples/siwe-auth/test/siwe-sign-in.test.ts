import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  AdminCreateUserCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  type InitiateAuthCommandOutput,
} from '@aws-sdk/client-cognito-identity-provider';
import { SiweMessage } from 'siwe';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';

// The example end to end: `cognate start --functions functions.json` as its
// own process, a pool whose CUSTOM_AUTH triggers are this folder's handlers,
// and a wallet (a viem account) answering the challenge with a signed
// EIP-4361 message built from the challenge's public parameters.

const HERE = fileURLToPath(new URL('..', import.meta.url));
const COGNATE_BIN = fileURLToPath(new URL('../../../packages/server/bin/cognate.cjs', import.meta.url));

let cognate: ChildProcess;
let dataDir: string;
let admin: CognitoIdentityProviderClient;
let anon: CognitoIdentityProviderClient;
let clientId: string;
let poolId: string;

async function startCognate(): Promise<{ endpoint: string; region: string }> {
  dataDir = mkdtempSync(join(tmpdir(), 'siwe-auth-'));
  const args = [COGNATE_BIN, 'start', '--data-dir', dataDir, '--port', '0', '--functions', join(HERE, 'functions.json'), '--log-level', 'warn'];
  cognate = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Cognate did not start within 30 s:\n${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const endpoint = /Endpoint and token issuer base: (\S+)/.exec(output)?.[1];
      const region = /export AWS_REGION=(\S+)/.exec(output)?.[1];
      if (endpoint && region) {
        clearTimeout(timer);
        resolve({ endpoint, region });
      }
    };
    cognate.stdout!.on('data', onData);
    cognate.stderr!.on('data', onData);
    cognate.once('exit', (code) => reject(new Error(`Cognate exited with status ${code}:\n${output}`)));
  });
}

function operatorCredentials(): { accessKeyId: string; secretAccessKey: string } {
  const text = readFileSync(join(dataDir, 'credentials'), 'utf8');
  const value = (key: string) => new RegExp(`^\\s*${key}\\s*=\\s*(\\S+)`, 'm').exec(text)?.[1] ?? '';
  return { accessKeyId: value('aws_access_key_id'), secretAccessKey: value('aws_secret_access_key') };
}

before(async () => {
  const { endpoint, region } = await startCognate();
  admin = new CognitoIdentityProviderClient({ region, endpoint, credentials: operatorCredentials() });
  // An app calls InitiateAuth and RespondToAuthChallenge unsigned.
  anon = new CognitoIdentityProviderClient({
    region,
    endpoint,
    credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' },
    signer: { sign: async (request) => request },
  });
  const fn = (name: string) => `arn:aws:lambda:${region}:123456789012:function:${name}`;
  const pool = await admin.send(
    new CreateUserPoolCommand({
      PoolName: 'siwe',
      LambdaConfig: {
        DefineAuthChallenge: fn('siwe-define-auth-challenge'),
        CreateAuthChallenge: fn('siwe-create-auth-challenge'),
        VerifyAuthChallengeResponse: fn('siwe-verify-auth-challenge-response'),
      },
    }),
  );
  poolId = pool.UserPool!.Id!;
  const client = await admin.send(
    new CreateUserPoolClientCommand({
      UserPoolId: poolId,
      ClientName: 'dapp',
      ExplicitAuthFlows: ['ALLOW_CUSTOM_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    }),
  );
  clientId = client.UserPoolClient!.ClientId!;
});

after(async () => {
  admin?.destroy();
  anon?.destroy();
  if (cognate && cognate.exitCode === null) {
    const exited = new Promise((resolve) => cognate.once('exit', resolve));
    cognate.kill('SIGTERM');
    await exited;
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A wallet with an account in the pool: its username is its address, lowercased. */
async function wallet(): Promise<PrivateKeyAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  await admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: account.address.toLowerCase(), MessageAction: 'SUPPRESS' }));
  return account;
}

const start = (address: string) =>
  anon.send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: address.toLowerCase() } }));

/** What the dapp does with a challenge: the EIP-4361 message from its parameters, signed by the wallet. */
async function signedAnswer(challenge: InitiateAuthCommandOutput, signer: PrivateKeyAccount): Promise<string> {
  const p = challenge.ChallengeParameters!;
  const message = new SiweMessage({
    domain: p['domain']!,
    address: signer.address,
    statement: p['statement']!,
    uri: p['uri']!,
    version: '1',
    chainId: Number(p['chainId']),
    nonce: p['nonce']!,
    issuedAt: new Date().toISOString(),
  }).prepareMessage();
  return JSON.stringify({ message, signature: await signer.signMessage({ message }) });
}

const respond = (challenge: InitiateAuthCommandOutput, answer: string) =>
  anon.send(
    new RespondToAuthChallengeCommand({
      ClientId: clientId,
      ChallengeName: 'CUSTOM_CHALLENGE',
      Session: challenge.Session,
      ChallengeResponses: { USERNAME: challenge.ChallengeParameters!['USERNAME']!, ANSWER: answer },
    }),
  );

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

describe('Sign-In with Ethereum through CUSTOM_AUTH', () => {
  it('hands out a SIWE challenge and signs the wallet in with its signed message', async () => {
    const account = await wallet();
    const challenge = await start(account.address);
    assert.equal(challenge.ChallengeName, 'CUSTOM_CHALLENGE');
    const p = challenge.ChallengeParameters!;
    assert.equal(p['domain'], 'localhost:5173');
    assert.equal(p['uri'], 'http://localhost:5173');
    assert.equal(p['chainId'], '1');
    assert.match(p['nonce']!, /^[A-Za-z0-9]{8,}$/);
    assert.equal(p['USERNAME'], account.address.toLowerCase());
    assert.ok(!('address' in p), 'the private parameters stay on the server');

    const done = await respond(challenge, await signedAnswer(challenge, account));
    assert.ok(done.AuthenticationResult?.IdToken, 'tokens');
    assert.equal(claims(done.AuthenticationResult.IdToken)['cognito:username'], account.address.toLowerCase());
  });

  it('refuses a signature by another wallet, then takes the right one with a fresh nonce', async () => {
    const account = await wallet();
    const first = await start(account.address);
    const intruder = privateKeyToAccount(generatePrivateKey());
    const again = await respond(first, await signedAnswer(first, intruder));
    assert.equal(again.ChallengeName, 'CUSTOM_CHALLENGE', 'a wrong answer gets another try');
    assert.notEqual(again.ChallengeParameters!['nonce'], first.ChallengeParameters!['nonce']);
    const done = await respond(again, await signedAnswer(again, account));
    assert.ok(done.AuthenticationResult?.AccessToken);
  });

  it('a message signed for one challenge does not answer another (the nonce binds it)', async () => {
    const account = await wallet();
    const earlier = await start(account.address);
    const stale = await signedAnswer(earlier, account);
    const later = await start(account.address);
    const out = await respond(later, stale);
    assert.equal(out.AuthenticationResult, undefined);
    assert.equal(out.ChallengeName, 'CUSTOM_CHALLENGE');
  });

  it('ends the attempt after three wrong answers with NotAuthorizedException', async () => {
    const account = await wallet();
    let challenge: InitiateAuthCommandOutput = await start(account.address);
    challenge = await respond(challenge, 'not json');
    challenge = await respond(challenge, JSON.stringify({ message: 'not a SIWE message', signature: '0x00' }));
    await assert.rejects(respond(challenge, 'still wrong'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('an unknown wallet gets the same challenge and can never sign in', async () => {
    const stranger = privateKeyToAccount(generatePrivateKey());
    const challenge = await start(stranger.address);
    assert.equal(challenge.ChallengeName, 'CUSTOM_CHALLENGE');
    const out = await respond(challenge, await signedAnswer(challenge, stranger));
    assert.equal(out.AuthenticationResult, undefined);
  });
});
