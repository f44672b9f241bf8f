// The one configuration schema: every key with its default, bounds and a
// one-line description. Flags (--kebab-case), environment (COGNATE_SNAKE_CASE)
// and defaults resolve through it; the README's configuration table is
// checked against it by a test.
import { parsePostgresUrl } from '../store/postgres.ts';

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
  readonly accountId: string;
  readonly smtpUrl: string | null;
  readonly mailFrom: string;
  readonly bodyLimitBytes: number;
  readonly logLevel: string;
  readonly purgeIntervalSeconds: number;
  readonly smsWebhookUrl: string | null;
  readonly smsWebhookSecret: string | null;
  readonly databaseUrl: string | null;
  readonly databasePoolSize: number;
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

export const schema: { readonly [K in keyof Config]: ConfigKey<Config[K]> } = {
  port: { flag: 'port', env: 'COGNATE_PORT', description: 'TCP port to listen on (0 picks a free one)', default: 9229, parse: integer(0, 65535) },
  host: { flag: 'host', env: 'COGNATE_HOST', description: 'Address to listen on', default: '127.0.0.1', parse: text },
  dataDir: { flag: 'data-dir', env: 'COGNATE_DATA_DIR', description: 'Directory for the SQLite database, master key and operator credentials', default: './.cognate', parse: text },
  publicUrl: {
    flag: 'public-url',
    env: 'COGNATE_PUBLIC_URL',
    description: 'Base URL clients reach Cognate at; token issuers are <public-url>/<poolId>',
    default: (c) => `http://localhost:${c.port ?? 9229}`,
    parse: httpUrl,
  },
  region: { flag: 'region', env: 'COGNATE_REGION', description: 'Region in pool IDs and ARNs', default: 'us-east-1', parse: matching(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region name like us-east-1') },
  accountId: { flag: 'account-id', env: 'COGNATE_ACCOUNT_ID', description: 'Twelve-digit account number in ARNs', default: '000000000000', parse: matching(/^\d{12}$/, 'twelve digits') },
  smtpUrl: { flag: 'smtp-url', env: 'COGNATE_SMTP_URL', description: 'SMTP server for outgoing mail (smtp://host:port); unset keeps mail in the outbox only', default: null, parse: smtpUrl },
  mailFrom: { flag: 'mail-from', env: 'COGNATE_MAIL_FROM', description: 'Sender address when a pool sets none', default: 'no-reply@verificationemail.com', parse: text },
  bodyLimitBytes: { flag: 'body-limit', env: 'COGNATE_BODY_LIMIT', description: 'Largest request body accepted, in bytes', default: 262144, parse: integer(1024, 16 * 1024 * 1024) },
  logLevel: { flag: 'log-level', env: 'COGNATE_LOG_LEVEL', description: 'Log level: fatal, error, warn, info, debug, trace or silent', default: 'info', parse: matching(/^(fatal|error|warn|info|debug|trace|silent)$/, 'a pino level') },
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
  databaseUrl: {
    flag: 'database-url',
    env: 'COGNATE_DATABASE_URL',
    description: 'PostgreSQL to keep all state in (postgres://user:pass@host:5432/db, optional ?schema=NAME); unset uses the SQLite file in the data directory',
    default: null,
    parse: databaseUrl,
  },
  databasePoolSize: { flag: 'database-pool-size', env: 'COGNATE_DATABASE_POOL_SIZE', description: 'Most PostgreSQL connections this process opens', default: 10, parse: integer(1, 1000) },
};
