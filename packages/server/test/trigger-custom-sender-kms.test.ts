import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { AdminGetUserCommand, ConfirmSignUpCommand, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider';
import { KMS } from '@aws-crypto/client-node';
import { attrs, createPoolAndClient, PASSWORD } from './helpers/pools.ts';
import { arnOf, TriggerFunctions } from './helpers/trigger-functions.ts';
import { startCognate, type Running } from './helpers/server.ts';

// CustomEmailSender with Cognito's own encryption: a KMS keyring whose key is
// the pool's LambdaConfig.KMSKeyID, at --kms-endpoint. Against moto's KMS
// (moto_server, a local AWS API emulator), when it is installed; the handler
// decrypts with KmsKeyringNode as the developer guide's example does.

const MOTO = spawnSync('moto_server', ['--help'], { stdio: 'ignore' }).status === 0;
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
const clientNode = pathToFileURL(createRequire(import.meta.url).resolve('@aws-crypto/client-node')).href;

const senderSource = (endpoint: string, keyArn: string) => `
import clientNode from ${JSON.stringify(clientNode)};
const { buildClient, CommitmentPolicy, KmsKeyringNode, getClient, KMS } = clientNode;
const { decrypt } = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_ALLOW_DECRYPT);
const keyring = new KmsKeyringNode({
  keyIds: [${JSON.stringify(keyArn)}],
  clientProvider: getClient(KMS, { endpoint: ${JSON.stringify(endpoint)}, credentials: ${JSON.stringify(CREDENTIALS)} }),
});
export const handler = async (event) => {
  const { plaintext, messageHeader } = await decrypt(keyring, Buffer.from(event.request.code, 'base64'));
  RECORD({ event, plaintext: Buffer.from(plaintext).toString('utf8'), encryptionContext: messageHeader.encryptionContext });
};`;

/** What the sender records: its event, the decrypted code and the encryption context. */
type SenderRecord = { event: { triggerSource: string }; plaintext: string; encryptionContext: Record<string, string> };

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

async function waitForKms(kms: KMS): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await kms.listKeys({});
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('CustomEmailSender › the code encrypted under the pool’s KMS key (--kms-endpoint)', { skip: MOTO ? false : 'moto_server is not installed' }, () => {
  let moto: ChildProcess;
  let c: Running;
  let fns: TriggerFunctions;
  let endpoint: string;
  let keyArn: string;

  before(async () => {
    const port = await freePort();
    endpoint = `http://127.0.0.1:${port}`;
    moto = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
    const kms = new KMS({ region: 'us-east-1', endpoint, credentials: CREDENTIALS });
    await waitForKms(kms);
    keyArn = (await kms.createKey({})).KeyMetadata!.Arn!;
    fns = new TriggerFunctions().module('email-sender', senderSource(endpoint, keyArn));
    // Cognate's KMS client takes its credentials from the default chain, as it would in AWS.
    process.env['AWS_ACCESS_KEY_ID'] = CREDENTIALS.accessKeyId;
    process.env['AWS_SECRET_ACCESS_KEY'] = CREDENTIALS.secretAccessKey;
    c = await startCognate({ config: { functionsFile: fns.functionsFile, kmsEndpoint: endpoint } });
  });
  after(async () => {
    await c?.stop();
    fns?.cleanup();
    moto?.kill();
  });

  it('the handler decrypts the code with KmsKeyringNode and the code confirms the user; the context names the pool', async () => {
    const { poolId, clientId } = await createPoolAndClient(c, {
      pool: {
        AutoVerifiedAttributes: ['email'],
        LambdaConfig: { CustomEmailSender: { LambdaArn: arnOf('email-sender'), LambdaVersion: 'V1_0' }, KMSKeyID: keyArn },
      },
    });
    const email = 'kms@example.com';
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: attrs({ email }) }));
    const [record] = await fns.waitForEvents<SenderRecord>('email-sender', 1);
    assert.equal(record!.event.triggerSource, 'CustomEmailSender_SignUp');
    assert.match(record!.plaintext, /^\d{6}$/);
    assert.equal(record!.encryptionContext['userpool-id'], poolId);
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: record!.plaintext }));
    assert.equal((await c.admin.send(new AdminGetUserCommand({ UserPoolId: poolId, Username: email }))).UserStatus, 'CONFIRMED');
  });
});
