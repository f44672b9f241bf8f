// The one configuration schema: every key with its default, bounds and a
// one-line description. Flags (--kebab-case), environment (COGNATE_SNAKE_CASE)
// and defaults resolve through it; the README's configuration table is
// checked against it by a test.
import { readFileSync } from 'node:fs';
import { readAesKeyFile } from '../crypto/aes-key-file.ts';
import { parsePostgresUrl } from '../store/postgres.ts';
import { parseCidrList } from '../http/ip-lists.ts';
import { parseGuardrail } from '../domain/iam-policy.ts';
import { REGION_NAME } from '../domain/regions.ts';
import { parseRateLimits, type RateLimits } from '../services/quota-categories.ts';

export interface ConfigKey<T> {
  readonly flag: string;
  readonly env: string;
  readonly description: string;
  readonly default: T | ((partial: Partial<Config>) => T);
  readonly parse: (raw: string) => T;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly publicUrl: string;
  readonly region: string;
  /** Regions served (null: every region); --region is always one of them. */
  readonly regions: readonly string[] | null;
  readonly accountId: string;
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly bodyLimitBytes: number;
  readonly headersTimeoutSeconds: number;
  readonly logLevel: string;
  readonly purgeIntervalSeconds: number;
  readonly smsWebhookUrl: string | null;
  readonly smsWebhookSecret: string | null;
  readonly lambdaEndpoint: string | null;
  readonly functionsFile: string | null;
  readonly kmsEndpoint: string | null;
  readonly customSenderKeyFile: string | null;
  readonly databaseUrl: string | null;
  readonly databasePoolSize: number;
  readonly databaseTimeoutSeconds: number;
  readonly trustedProxies: readonly string[];
  readonly ipAllow: readonly string[];
  readonly ipDeny: readonly string[];
  readonly rateLimits: RateLimits;
  readonly rateLimitPerIp: number;
  readonly rateLimitWindowSeconds: number;
  readonly auditRetentionDays: number;
  readonly metricsToken: string | null;
  readonly masterKeyFile: string | null;
  readonly workers: number;
  readonly signingKeyRotationDays: number;
  readonly tlsCert: string | null;
  readonly tlsKey: string | null;
  readonly tlsSelfSigned: boolean;
  readonly guardrailPolicy: string | null;
  readonly deletionRequiresConfirmation: boolean;
  readonly passwordExtraChecks: boolean;
  readonly hideConfirmedAccounts: boolean;
}

function integer(min: number, max: number) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw)) throw new Error(`must be a whole number, got "${raw}"`);
    const n = Number(raw);
    if (n < min || n > max) throw new Error(`must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

function matching(pattern: RegExp, what: string) {
  return (raw: string): string => {
    if (!pattern.test(raw)) throw new Error(`must be ${what}, got "${raw}"`);
    return raw;
  };
}

function regionList(raw: string): readonly string[] | null {
  if (raw.trim() === '') return null;
  const names = raw.split(',').map((r) => r.trim());
  const bad = names.filter((r) => !REGION_NAME.test(r));
  if (bad.length) throw new Error(`must be region names like us-east-1,eu-west-1, got "${bad.join('", "')}"`);
  return [...new Set(names)];
}

/** A key file must be readable and hold a key at start, not at the first custom sender call; the path is kept. */
function aesKeyFile(raw: string): string {
  readAesKeyFile(raw);
  return raw;
}

function httpUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`must be an http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`must be an http(s) URL, got "${raw}"`);
  if (url.search || url.hash) throw new Error('must not carry a query or fragment');
  return raw.replace(/\/+$/, '');
}

// The URL is checked here so a typo fails at start with the other problems;
// the password in it is never echoed back.
function databaseUrl(raw: string): string | null {
  if (raw === '') return null;
  try {
    parsePostgresUrl(raw);
  } catch (err) {
    throw new Error(err instanceof TypeError ? 'must be a postgres:// URL' : (err as Error).message);
  }
  return raw;
}

function smtpUrl(raw: string): string | null {
  if (raw === '') return null;
  const url = new URL(raw);
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error(`must be an smtp:// or smtps:// URL`);
  return raw;
}

const text = (raw: string): string => raw;

function boolean(raw: string): boolean {
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0' || raw === '') return false;
  throw new Error(`must be true or false, got "${raw}"`);
}

export const schema: { readonly [K in keyof Config]: ConfigKey<Config[K]> } = {
  port: { flag: 'port', env: 'COGNATE_PORT', description: 'TCP port to listen on (0 picks a free one)', default: 9229, parse: integer(0, 65535) },
  host: { flag: 'host', env: 'COGNATE_HOST', description: 'Address to listen on', default: '127.0.0.1', parse: text },
  dataDir: {
    flag: 'data-dir',
    env: 'COGNATE_DATA_DIR',
    description: 'Directory for the SQLite database, master key and operator credentials',
    default: './.cognate',
    parse: text,
  },
  publicUrl: {
    flag: 'public-url',
    env: 'COGNATE_PUBLIC_URL',
    description: 'Base URL clients reach Cognate at; token issuers are <public-url>/<poolId>',
    default: (c) => `${c.tlsCert || c.tlsSelfSigned ? 'https' : 'http'}://localhost:${c.port ?? 9229}`,
    parse: httpUrl,
  },
  region: {
    flag: 'region',
    env: 'COGNATE_REGION',
    description: 'Default region, for calls and commands that name none (unsigned calls naming no pool, the CLI)',
    default: 'us-east-1',
    parse: matching(REGION_NAME, 'a region name like us-east-1'),
  },
  // One endpoint serves every region (a signed call's region is its credential scope's); this narrows it.
  regions: {
    flag: 'regions',
    env: 'COGNATE_REGIONS',
    description: 'Comma-separated regions served; unset serves every region',
    default: null,
    parse: regionList,
  },
  accountId: {
    flag: 'account-id',
    env: 'COGNATE_ACCOUNT_ID',
    description: 'Twelve-digit account number in ARNs',
    default: '000000000000',
    parse: matching(/^\d{12}$/, 'twelve digits'),
  },
  smtpUrl: {
    flag: 'smtp-url',
    env: 'COGNATE_SMTP_URL',
    description: 'SMTP server for outgoing mail (smtp://host:port); unset keeps mail in the outbox only',
    default: null,
    parse: smtpUrl,
  },
  mailFrom: {
    flag: 'mail-from',
    env: 'COGNATE_MAIL_FROM',
    description: 'Sender address when a pool sets none',
    default: 'no-reply@verificationemail.com',
    parse: text,
  },
  bodyLimitBytes: {
    flag: 'body-limit',
    env: 'COGNATE_BODY_LIMIT',
    description: 'Largest request body accepted, in bytes',
    default: 262144,
    parse: integer(1024, 16 * 1024 * 1024),
  },
  // A client that opens a connection and sends its headers a byte at a time
  // (slowloris) would hold the socket for ever: Fastify turns Node's request
  // timeout off. Idle keep-alive connections and slow handlers do not count.
  headersTimeoutSeconds: {
    flag: 'headers-timeout',
    env: 'COGNATE_HEADERS_TIMEOUT',
    description: 'Seconds a client has to send the request line and headers once it starts a request; the connection is then closed (HTTP 408)',
    default: 10,
    parse: integer(1, 300),
  },
  logLevel: {
    flag: 'log-level',
    env: 'COGNATE_LOG_LEVEL',
    description: 'Log level: fatal, error, warn, info, debug, trace or silent',
    default: 'info',
    parse: matching(/^(fatal|error|warn|info|debug|trace|silent)$/, 'a pino level'),
  },
  purgeIntervalSeconds: {
    flag: 'purge-interval',
    env: 'COGNATE_PURGE_INTERVAL',
    description: 'Seconds between runs of the job that deletes archived users past their pool retention',
    default: 3600,
    parse: integer(1, 7 * 86400),
  },
  // Cognate sends no SMS itself: SMS codes (SMS_MFA) are POSTed to this webhook, signed with the secret.
  smsWebhookUrl: {
    flag: 'sms-webhook-url',
    env: 'COGNATE_SMS_WEBHOOK_URL',
    description: 'URL that SMS messages (MFA codes) are POSTed to as JSON; unset sends no SMS',
    default: null,
    parse: (raw) => (raw === '' ? null : httpUrl(raw)),
  },
  smsWebhookSecret: {
    flag: 'sms-webhook-secret',
    env: 'COGNATE_SMS_WEBHOOK_SECRET',
    description: 'Key of the HMAC-SHA256 signature sent with each SMS webhook call (X-Cognate-Signature header)',
    default: null,
    parse: (raw) => (raw === '' ? null : raw),
  },
  // Lambda triggers (docs/triggers.md): the Invoke API's endpoint, and the file mapping functions to local modules or URLs.
  lambdaEndpoint: {
    flag: 'lambda-endpoint',
    env: 'COGNATE_LAMBDA_ENDPOINT',
    description:
      "Endpoint of the AWS Lambda Invoke API that trigger functions are called at (sam local start-lambda, LocalStack, serverless-offline); unset uses AWS Lambda in the function ARN's region",
    default: null,
    parse: (raw) => (raw === '' ? null : httpUrl(raw)),
  },
  functionsFile: {
    flag: 'functions',
    env: 'COGNATE_FUNCTIONS',
    description: 'JSON file mapping trigger functions (by ARN or name) to local modules or HTTPS URLs, run without any Lambda runtime',
    default: null,
    parse: (raw) => (raw === '' ? null : raw),
  },
  // Custom sender triggers (docs/triggers.md): codes reach CustomEmailSender/CustomSMSSender encrypted with the AWS Encryption SDK.
  kmsEndpoint: {
    flag: 'kms-endpoint',
    env: 'COGNATE_KMS_ENDPOINT',
    description:
      "Endpoint of the AWS KMS API that custom sender codes are encrypted with, under the pool's LambdaConfig.KMSKeyID (LocalStack, moto); unset uses AWS KMS in the key's region",
    default: null,
    parse: (raw) => (raw === '' ? null : httpUrl(raw)),
  },
  customSenderKeyFile: {
    flag: 'custom-sender-key-file',
    env: 'COGNATE_CUSTOM_SENDER_KEY_FILE',
    description:
      'File holding an AES-256 key (base64 of 32 bytes) that custom sender codes are encrypted with instead of KMS (raw AES keyring, namespace "cognate", name "custom-sender")',
    default: null,
    parse: (raw) => (raw === '' ? null : aesKeyFile(raw)),
  },
  databaseUrl: {
    flag: 'database-url',
    env: 'COGNATE_DATABASE_URL',
    description: 'PostgreSQL to keep all state in (postgres://user:pass@host:5432/db, optional ?schema=NAME); unset uses the SQLite file in the data directory',
    default: null,
    parse: databaseUrl,
  },
  databasePoolSize: {
    flag: 'database-pool-size',
    env: 'COGNATE_DATABASE_POOL_SIZE',
    description: 'Most PostgreSQL connections this process opens',
    default: 10,
    parse: integer(1, 1000),
  },
  databaseTimeoutSeconds: {
    flag: 'database-timeout',
    env: 'COGNATE_DATABASE_TIMEOUT',
    description:
      'Seconds a PostgreSQL statement, a transaction or a wait for a connection may take before it is cancelled and the request answers InternalErrorException',
    default: 10,
    parse: integer(1, 3600),
  },
  // Protection (docs/security.md): who to believe about the client address, which addresses may call at all, and how often.
  trustedProxies: {
    flag: 'trusted-proxies',
    env: 'COGNATE_TRUSTED_PROXIES',
    description: 'Comma-separated CIDR blocks of reverse proxies whose X-Forwarded-For is believed; unset uses the socket address',
    default: () => [],
    parse: parseCidrList,
  },
  ipAllow: {
    flag: 'ip-allow',
    env: 'COGNATE_IP_ALLOW',
    description: 'Comma-separated CIDR blocks allowed to call the server; unset allows every address',
    default: () => [],
    parse: parseCidrList,
  },
  ipDeny: {
    flag: 'ip-deny',
    env: 'COGNATE_IP_DENY',
    description: 'Comma-separated CIDR blocks refused with ForbiddenException (deny wins over allow)',
    default: () => [],
    parse: parseCidrList,
  },
  // Off by default: limits count in the database (one write per request), and every client behind one NAT or proxy shares an address.
  rateLimits: {
    flag: 'rate-limits',
    env: 'COGNATE_RATE_LIMITS',
    description: 'Per-pool request limits by Cognito quota category: off, cognito (Cognito default quotas), or Category=N pairs per window',
    // A function default: the parsed value is an object, the README shows `off`.
    default: () => parseRateLimits('off'),
    parse: parseRateLimits,
  },
  rateLimitPerIp: {
    flag: 'rate-limit-per-ip',
    env: 'COGNATE_RATE_LIMIT_PER_IP',
    description: 'Requests one client IP may make per window, all operations together; 0 turns the limit off',
    default: 0,
    parse: integer(0, 1_000_000),
  },
  rateLimitWindowSeconds: {
    flag: 'rate-limit-window',
    env: 'COGNATE_RATE_LIMIT_WINDOW',
    description: 'Length in seconds of the rate-limit counting window',
    default: 1,
    parse: integer(1, 3600),
  },
  // Pruning leaves an anchor (the hash of the last record dropped), so `cognate audit verify` still passes afterwards.
  auditRetentionDays: {
    flag: 'audit-retention-days',
    env: 'COGNATE_AUDIT_RETENTION_DAYS',
    description: 'Days audit records are kept before pruning (checked every purge interval); 0 keeps them forever',
    default: 365,
    parse: integer(0, 36500),
  },
  // /metrics is off unless a token is set: counters by operation reveal traffic patterns, so they are not public.
  metricsToken: {
    flag: 'metrics-token',
    env: 'COGNATE_METRICS_TOKEN',
    description: 'Bearer token that GET /metrics requires (Prometheus format); unset disables /metrics',
    default: null,
    parse: (raw) => {
      if (raw === '') return null;
      if (raw.length < 16) throw new Error('must be at least 16 characters');
      return raw;
    },
  },
  // Nodes on different data directories that share one database must share the master key (docs/deployment.md).
  masterKeyFile: {
    flag: 'master-key-file',
    env: 'COGNATE_MASTER_KEY_FILE',
    description:
      'File holding the master key (base64 of 32 bytes), shared by every node on one database; unset uses COGNATE_MASTER_KEY or <data-dir>/master.key',
    default: null,
    parse: (raw) => (raw === '' ? null : raw),
  },
  signingKeyRotationDays: {
    flag: 'signing-key-rotation-days',
    env: 'COGNATE_SIGNING_KEY_ROTATION_DAYS',
    description: "Rotate each pool's signing keys when they are this many days old (checked every purge interval); 0 never rotates on a schedule",
    default: 0,
    parse: integer(0, 3650),
  },
  tlsCert: {
    flag: 'tls-cert',
    env: 'COGNATE_TLS_CERT',
    description: 'PEM certificate chain file: serve HTTPS (TLS 1.2 or later) with it and --tls-key',
    default: null,
    parse: (raw) => (raw === '' ? null : raw),
  },
  tlsKey: {
    flag: 'tls-key',
    env: 'COGNATE_TLS_KEY',
    description: 'PEM private key file of --tls-cert',
    default: null,
    parse: (raw) => (raw === '' ? null : raw),
  },
  tlsSelfSigned: {
    flag: 'tls-self-signed',
    env: 'COGNATE_TLS_SELF_SIGNED',
    description: 'Serve HTTPS with a development certificate for localhost, made once and kept in the data directory',
    default: false,
    parse: boolean,
  },
  workers: {
    flag: 'workers',
    env: 'COGNATE_WORKERS',
    description: 'Server processes to run on this host (node:cluster), all on the same port and database',
    default: 1,
    parse: integer(1, 64),
  },
  // Operator access control (services/operator-policy.ts). The file is read and checked here (the check is domain/iam-policy.ts's, the
  // same the server applies when it loads the file), so a bad guardrail stops the start with the other configuration problems.
  guardrailPolicy: {
    flag: 'guardrail-policy',
    env: 'COGNATE_GUARDRAIL_POLICY',
    description: 'File with a deny-only IAM-style policy applied to every operator call, which no key policy can override',
    default: null,
    parse: (raw) => {
      if (raw === '') return null;
      try {
        parseGuardrail(readFileSync(raw, 'utf8'));
      } catch (err) {
        throw new Error(`${(err as Error).name === 'MalformedPolicyDocument' ? 'MalformedPolicyDocument: ' : ''}${(err as Error).message}`);
      }
      return raw;
    },
  },
  // Off: a new pool accepts the passwords Cognito accepts. Each pool can change its own later (CognateService.SetPasswordChecks).
  passwordExtraChecks: {
    flag: 'password-extra-checks',
    env: 'COGNATE_PASSWORD_EXTRA_CHECKS',
    description:
      "When true, new user pools also refuse passwords containing the username, email address or pool name, and common passwords (beyond Cognito's rules)",
    default: false,
    parse: boolean,
  },
  // Off: ResendConfirmationCode for a confirmed account answers as Cognito does, which tells that the account exists.
  hideConfirmedAccounts: {
    flag: 'hide-confirmed-accounts',
    env: 'COGNATE_HIDE_CONFIRMED_ACCOUNTS',
    description:
      "When true, ResendConfirmationCode for an account that is already confirmed answers as for an unknown name where the app client prevents user-existence errors (beyond Cognito, which answers 'User is already confirmed.')",
    default: false,
    parse: boolean,
  },
  deletionRequiresConfirmation: {
    flag: 'deletion-requires-confirmation',
    env: 'COGNATE_DELETION_REQUIRES_CONFIRMATION',
    description: 'When true, DeleteUserPool and DeleteUserPoolClient also require the caller to be allowed cognate:ConfirmDeletion on the pool',
    default: false,
    parse: (raw) => {
      if (raw !== 'true' && raw !== 'false') throw new Error(`must be true or false, got "${raw}"`);
      return raw === 'true';
    },
  },
};
