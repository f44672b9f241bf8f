import { Amplify } from 'aws-amplify';

/** Map-backed key-value storage for Amplify's tokens, as an app outside the browser gives it. */
export class MapStorage {
  readonly items = new Map<string, string>();
  async setItem(key: string, value: string): Promise<void> {
    this.items.set(key, value);
  }
  async getItem(key: string): Promise<string | null> {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string): Promise<void> {
    this.items.delete(key);
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
}

/** Points Amplify (aws-amplify/auth) at this pool and client on Cognate at `url`. */
export function configureAmplify(url: string, userPoolId: string, userPoolClientId: string): void {
  Amplify.configure({ Auth: { Cognito: { userPoolId, userPoolClientId, userPoolEndpoint: url } } });
}
