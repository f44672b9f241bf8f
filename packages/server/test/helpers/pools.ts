import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SetUserPoolMfaConfigCommand,
  type AttributeType,
  type CreateUserPoolClientCommandInput,
  type CreateUserPoolCommandInput,
  type SetUserPoolMfaConfigCommandInput,
  type UserType,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Running } from './server.ts';

// Set-up most tests repeat: a pool, an app client, a confirmed user with a
// password, a USER_PASSWORD_AUTH sign-in. Defaults are the common case; each
// test passes only what makes its case different.

/** The password most tests give their users (meets Cognito's default policy). */
export const PASSWORD = 'Passw0rd!';

/** The flows of a plain password app client. */
export const PASSWORD_FLOWS = ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

type Admin = Pick<Running, 'admin'>;

/** `{ email: 'a@b' }` as Cognito's attribute list. */
export const attrs = (o: Record<string, string>): AttributeType[] => Object.entries(o).map(([Name, Value]) => ({ Name, Value }));

/** A user pool (named 'pool' unless the input names it); returns its id. */
export async function createPool(c: Admin, input: Partial<CreateUserPoolCommandInput> = {}): Promise<string> {
  return (await c.admin.send(new CreateUserPoolCommand({ PoolName: 'pool', ...input }))).UserPool!.Id!;
}

/** An app client named 'app' allowing the password flows, unless the input says otherwise. */
export async function createClient(
  c: Admin,
  poolId: string,
  input: Partial<CreateUserPoolClientCommandInput> = {},
): Promise<{ clientId: string; secret: string | undefined }> {
  const out = await c.admin.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: 'app', ExplicitAuthFlows: [...PASSWORD_FLOWS], ...input }));
  return { clientId: out.UserPoolClient!.ClientId!, secret: out.UserPoolClient!.ClientSecret };
}

/** A pool, its MFA configuration (set before the client exists, as an operator would) and an app client. */
export async function createPoolAndClient(
  c: Admin,
  opts: {
    pool?: Partial<CreateUserPoolCommandInput>;
    mfa?: Omit<SetUserPoolMfaConfigCommandInput, 'UserPoolId'>;
    client?: Partial<CreateUserPoolClientCommandInput>;
  } = {},
): Promise<{ poolId: string; clientId: string; secret: string | undefined }> {
  const poolId = await createPool(c, opts.pool);
  if (opts.mfa) await c.admin.send(new SetUserPoolMfaConfigCommand({ UserPoolId: poolId, ...opts.mfa }));
  return { poolId, ...(await createClient(c, poolId, opts.client)) };
}

/** A CONFIRMED user: created by the operator without a message, then given a permanent password; returns AdminCreateUser's User. */
export async function createConfirmedUser(
  c: Admin,
  poolId: string,
  username: string,
  opts: { attributes?: AttributeType[]; password?: string; temporaryPassword?: string } = {},
): Promise<UserType> {
  const out = await c.admin.send(
    new AdminCreateUserCommand({
      UserPoolId: poolId,
      Username: username,
      ...(opts.temporaryPassword !== undefined ? { TemporaryPassword: opts.temporaryPassword } : {}),
      MessageAction: 'SUPPRESS',
      UserAttributes: opts.attributes ?? [],
    }),
  );
  await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: opts.password ?? PASSWORD, Permanent: true }));
  return out.User!;
}

/** InitiateAuth with USER_PASSWORD_AUTH, unsigned as an app sends it; `extra` adds AuthParameters (SECRET_HASH...). */
export function passwordSignIn(c: Pick<Running, 'anon'>, clientId: string, username: string, password = PASSWORD, extra: Record<string, string> = {}) {
  return c.anon.send(
    new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password, ...extra } }),
  );
}
