// The one configuration schema: every key with its default, bounds and a
// one-line description. Flags (--kebab-case), environment (COGNATE_SNAKE_CASE)
// and defaults resolve through it; the README's configuration table is
// checked against it by a test.
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
};
