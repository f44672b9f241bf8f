import type { KeyringNode } from '@aws-crypto/client-node';
import { readAesKeyFile } from '../crypto/aes-key-file.ts';

// Codes and temporary passwords reach the custom sender triggers encrypted
// with the AWS Encryption SDK's message format, base64 in `request.code`
// (developer guide, "Custom sender Lambda triggers"), so the function
// decrypts them with @aws-crypto/client-node's `decrypt` and a keyring:
//
//   --custom-sender-key-file   a raw AES-256 keyring shared with the function:
//                              RawAesKeyringNode, keyNamespace "cognate",
//                              keyName "custom-sender", AES256_GCM_IV12_TAG16
//   otherwise                  Cognito's way: a KMS keyring whose generator is
//                              the pool's LambdaConfig.KMSKeyID, at
//                              --kms-endpoint (or AWS KMS in the key's region)
//
// The encryption context is {"userpool-id": <pool ID>}: Cognito does not
// document its context; functions in the wild check this member.

export const RAW_KEY_NAMESPACE = 'cognate';
export const RAW_KEY_NAME = 'custom-sender';

export interface EncryptionSettings {
  kmsEndpoint: string | null;
  customSenderKeyFile: string | null;
}

// The SDK takes a quarter of a second to load: only pools with a custom sender pay for it, once.
type Sdk = typeof import('@aws-crypto/client-node');
let sdk: Promise<Sdk> | null = null;
const loadSdk = (): Promise<Sdk> => (sdk ??= import('@aws-crypto/client-node'));

// Keyrings cache data keys and clients: one per key file or KMS key and endpoint.
const keyrings = new Map<string, KeyringNode>();

function keyringFor(sdk: Sdk, settings: EncryptionSettings, kmsKeyId: string | null): KeyringNode {
  const file = settings.customSenderKeyFile;
  const id = file ? `file:${file}` : `kms:${settings.kmsEndpoint ?? ''}:${kmsKeyId ?? ''}`;
  let keyring = keyrings.get(id);
  if (keyring) return keyring;
  if (file) {
    keyring = new sdk.RawAesKeyringNode({
      keyNamespace: RAW_KEY_NAMESPACE,
      keyName: RAW_KEY_NAME,
      unencryptedMasterKey: new Uint8Array(readAesKeyFile(file)),
      wrappingSuite: sdk.RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
    });
  } else {
    if (!kmsKeyId) throw new Error('the pool has a custom sender but no LambdaConfig.KMSKeyID');
    const endpoint = settings.kmsEndpoint;
    keyring = new sdk.KmsKeyringNode({ generatorKeyId: kmsKeyId, ...(endpoint ? { clientProvider: sdk.getClient(sdk.KMS, { endpoint }) } : {}) });
  }
  keyrings.set(id, keyring);
  return keyring;
}

/** The secret encrypted for a custom sender function: base64 of an AWS Encryption SDK message. */
export async function encryptForSender(settings: EncryptionSettings, kmsKeyId: string | null, poolId: string, secret: string): Promise<string> {
  const loaded = await loadSdk();
  const { encrypt } = loaded.buildClient(loaded.CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const { result } = await encrypt(keyringFor(loaded, settings, kmsKeyId), Buffer.from(secret, 'utf8'), { encryptionContext: { 'userpool-id': poolId } });
  return Buffer.from(result).toString('base64');
}
