import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../config/load.ts';
import { MalformedPolicyDocument } from '../domain/iam-policy.ts';
import { attachPolicy, createAccessKey, deleteAccessKey, detachPolicy, KeyManagementError, setKeyStatus } from '../services/access-keys.ts';
import { systemClock } from '../services/clock.ts';
import { cryptoIds } from '../services/ids.ts';
import { sqliteFile } from '../store/open.ts';
import { openExistingStore } from './open-store.ts';

export const KEYS_USAGE = `Usage: cognate keys <command> [options] (plus --data-dir / --database-url as for start)
  create [--description TEXT] [--policy FILE] [--json]   Make a key; prints its secret once
  list [--json]                                         Keys, their status and access (never secrets)
  disable KEY_ID | enable KEY_ID | delete KEY_ID
  attach-policy KEY_ID FILE                              Attach an IAM-style JSON policy (replaces any before)
  detach-policy KEY_ID
`;

function readPolicyFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new KeyManagementError(`Cannot read policy file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

const out = (text: string) => process.stdout.write(text);

/** `cognate keys …`: operator access keys and their policies, on the database the configuration names. */
export async function keys(args: string[], flags: Record<string, string>): Promise<number> {
  const { description, policy, json, help, ...rest } = flags;
  const [command, keyId, file] = args;
  if (!command || help === 'true') {
    out(KEYS_USAGE);
    return command || help === 'true' ? 0 : 1;
  }
  const config = loadConfig(rest);
  if (config.databaseUrl === null && !existsSync(sqliteFile(config.dataDir))) {
    process.stderr.write(`No Cognate database in ${config.dataDir} (start Cognate first, or pass --data-dir)\n`);
    return 1;
  }
  const needsKey = ['disable', 'enable', 'delete', 'attach-policy', 'detach-policy'];
  if (needsKey.includes(command) && !keyId) {
    process.stderr.write(`cognate keys ${command}: name the access key id\n${KEYS_USAGE}`);
    return 1;
  }
  if (command === 'attach-policy' && !file) {
    process.stderr.write(`cognate keys attach-policy: name the policy file\n${KEYS_USAGE}`);
    return 1;
  }
  if (command !== 'list' && command !== 'create' && !needsKey.includes(command)) {
    process.stderr.write(`Unknown keys command: ${command}\n${KEYS_USAGE}`);
    return 1;
  }

  const { store, master } = await openExistingStore(config);
  const now = systemClock.now();
  try {
    if (command === 'create') {
      const document = policy ? readPolicyFile(policy) : null;
      const created = await createAccessKey({ store, master, ids: cryptoIds, now }, { description: description ?? '', policy: document });
      if (json === 'true')
        out(`${JSON.stringify({ AccessKey: { AccessKeyId: created.accessKeyId, SecretAccessKey: created.secretAccessKey, Status: 'Active' } }, null, 2)}\n`);
      else
        out(
          `AccessKeyId:     ${created.accessKeyId}\nSecretAccessKey: ${created.secretAccessKey}\n` +
            `The secret is shown only now: Cognate keeps it sealed and cannot show it again.\n` +
            (document ? '' : `The key has no policy yet, so it may do nothing: cognate keys attach-policy ${created.accessKeyId} FILE\n`),
        );
    } else if (command === 'list') {
      const listed = await store.keyPolicies.list();
      if (json === 'true') {
        const rows = listed.map((k) => ({
          AccessKeyId: k.accessKeyId,
          Status: k.status,
          Description: k.description,
          CreateDate: new Date(k.createdAt).toISOString(),
          Access: k.fullAccess ? 'full' : k.policy ? 'policy' : 'none',
          Policy: k.policy ? (JSON.parse(k.policy) as unknown) : null,
        }));
        out(`${JSON.stringify({ AccessKeys: rows }, null, 2)}\n`);
      } else {
        for (const k of listed) {
          const access = k.fullAccess ? 'full access' : k.policy ? 'policy attached' : 'no policy (no access)';
          out(`${k.accessKeyId}  ${k.status.padEnd(8)}  ${new Date(k.createdAt).toISOString()}  ${access}${k.description ? `  ${k.description}` : ''}\n`);
        }
      }
    } else if (command === 'disable' || command === 'enable') {
      await setKeyStatus(store, keyId!, command === 'disable' ? 'Inactive' : 'Active');
      out(`${keyId} is now ${command === 'disable' ? 'Inactive' : 'Active'}\n`);
    } else if (command === 'delete') {
      await deleteAccessKey(store, keyId!);
      out(`${keyId} deleted\n`);
    } else if (command === 'attach-policy') {
      await attachPolicy(store, keyId!, readPolicyFile(file!), now);
      out(`Policy attached to ${keyId}\n`);
    } else {
      await detachPolicy(store, keyId!, now);
      out(`Policy detached from ${keyId}\n`);
    }
    return 0;
  } catch (err) {
    if (err instanceof MalformedPolicyDocument) {
      process.stderr.write(`MalformedPolicyDocument: ${err.message}\n`);
      return 1;
    }
    if (err instanceof KeyManagementError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  } finally {
    await store.close();
  }
}
