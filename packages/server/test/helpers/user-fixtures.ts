import {
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  type CreateUserPoolCommandInput,
} from '@aws-sdk/client-cognito-identity-provider';
import type { Running } from './server.ts';

import { attrs, PASSWORD } from './pools.ts';

export { attrs, PASSWORD as FIXTURE_PASSWORD };

/**
 * Pools with an optional email and an immutable custom attribute, confirmed
 * users and password sign-in, for the user-administration tests. `server` is
 * read at call time: the server starts in the test file's `before`.
 */
export function userFixtures(server: () => Running) {
  let n = 0;
  const email = (tag: string) => `${tag}-${++n}@example.com`;
  const newPool = async (input: Partial<CreateUserPoolCommandInput> = {}, client: { WriteAttributes?: string[] } = {}) => {
    const c = server();
    const poolId = (
      await c.admin.send(
        new CreateUserPoolCommand({
          PoolName: 'pool',
          AutoVerifiedAttributes: ['email'],
          Schema: [
            { Name: 'email', AttributeDataType: 'String', Required: false, Mutable: true },
            { Name: 'custom:tier', AttributeDataType: 'String', Mutable: false },
          ],
          ...input,
        }),
      )
    ).UserPool!.Id!;
    const created = await c.admin.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        ...client,
      }),
    );
    return { poolId, clientId: created.UserPoolClient!.ClientId! };
  };
  /** A CONFIRMED user with a permanent password and the given attributes. */
  const newUser = async (poolId: string, username: string, a: Record<string, string>) => {
    const c = server();
    await c.admin.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, UserAttributes: attrs(a), MessageAction: 'SUPPRESS' }));
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const signIn = (clientId: string, username: string, password = PASSWORD) =>
    server().anon.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );
  return { email, newPool, newUser, signIn };
}

/**
 * Pools named apart (optionally with aliases or threat protection in audit
 * mode) and confirmed users with an email, whose sub is returned: for the
 * enumeration, group, auth-event and sub-as-username tests.
 */
export function aliasPoolFixtures(server: () => Running) {
  let n = 0;
  const newPool = async (input: { AliasAttributes?: ('email' | 'phone_number' | 'preferred_username')[]; threatProtection?: boolean } = {}) =>
    (
      await server().admin.send(
        new CreateUserPoolCommand({
          PoolName: `pool-${++n}`,
          ...(input.AliasAttributes ? { AliasAttributes: input.AliasAttributes } : {}),
          ...(input.threatProtection ? { UserPoolAddOns: { AdvancedSecurityMode: 'AUDIT' } } : {}),
        }),
      )
    ).UserPool!.Id!;
  const newUser = async (poolId: string, username: string) => {
    const c = server();
    await c.admin.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: username,
        MessageAction: 'SUPPRESS',
        UserAttributes: attrs({ email: `${username}-${++n}@example.com`, email_verified: 'true' }),
      }),
    );
    await c.admin.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: PASSWORD, Permanent: true }));
    return (await c.deps.store.users.byUsername(poolId, username))!.sub;
  };
  return { newPool, newUser };
}
