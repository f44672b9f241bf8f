import {
  ConfirmSignUpCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from '@aws-sdk/client-cognito-identity-provider';
// The server's own test harness: a real Cognate on a free port with a real
// SMTP inbox. Only tests use the server; the package itself never imports it.
import { startCognate, type Running } from '../../../server/test/helpers/server.ts';

export interface CognatePool {
  c: Running;
  poolId: string;
  clientId: string;
  /** `<public URL>/<poolId>`: the iss of the pool's tokens. */
  issuer: string;
  signIn(email?: string): Promise<Required<Pick<AuthenticationResultType, 'AccessToken' | 'IdToken' | 'RefreshToken'>>>;
  refresh(refreshToken: string): Promise<Required<Pick<AuthenticationResultType, 'AccessToken' | 'IdToken'>>>;
}

export const PASSWORD = 'Tok3n-Check!pw';

/** A running Cognate with one pool and one public client; signIn() signs up and confirms its user on first use. */
export async function cognatePool(): Promise<CognatePool> {
  const c = await startCognate();
  const pool = await c.admin.send(new CreateUserPoolCommand({ PoolName: 'verify', UsernameAttributes: ['email'], AutoVerifiedAttributes: ['email'] }));
  const poolId = pool.UserPool!.Id!;
  const client = await c.admin.send(
    new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'web', ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] }),
  );
  const clientId = client.UserPoolClient!.ClientId!;
  const users = new Set<string>();
  const ensureUser = async (email: string) => {
    if (users.has(email)) return;
    await c.anon.send(new SignUpCommand({ ClientId: clientId, Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'name', Value: 'Verify Test' }] }));
    // Confirmed with the mailed code, as a user does: that also verifies the email.
    await c.anon.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: email, ConfirmationCode: await c.inbox.nextCode(email) }));
    users.add(email);
  };
  return {
    c,
    poolId,
    clientId,
    issuer: `${c.url}/${poolId}`,
    async signIn(email = 'user@example.com') {
      await ensureUser(email);
      const out = await c.anon.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } }),
      );
      const r = out.AuthenticationResult!;
      return { AccessToken: r.AccessToken!, IdToken: r.IdToken!, RefreshToken: r.RefreshToken! };
    },
    async refresh(refreshToken: string) {
      const out = await c.anon.send(
        new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } }),
      );
      return { AccessToken: out.AuthenticationResult!.AccessToken!, IdToken: out.AuthenticationResult!.IdToken! };
    },
  };
}
