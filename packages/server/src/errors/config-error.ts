// A configuration the server cannot start with, listing every problem at once
// (main.ts prints them and exits with status 2). It sits apart from config/ so
// that the layers that find such problems (crypto, TLS, the master-key check)
// need not import the configuration loader.
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
}
