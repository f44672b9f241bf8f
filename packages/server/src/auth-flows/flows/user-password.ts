import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash } from '../../services/lookups.ts';
import { afterFirstFactor, checkPasswordSignIn } from '../../services/sign-in.ts';
import { preAuthentication } from '../../triggers/authentication.ts';
import { migrateAtSignIn } from '../../triggers/user-migration.ts';
import type { AuthFlow } from '../flow.ts';

// USER_PASSWORD_AUTH (InitiateAuth) and ADMIN_USER_PASSWORD_AUTH / legacy
// ADMIN_NO_SRP_AUTH (AdminInitiateAuth): the password itself is the first factor.
const flow = (names: string[], endpoint: 'public' | 'admin', allow: string): AuthFlow => ({
  names,
  endpoints: [endpoint],
  allow,
  async start(params, { ctx, pool, client, validationData }) {
    const username = params['USERNAME'];
    const password = params['PASSWORD'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    if (!password) throw Errors.InvalidParameter('Missing required parameter PASSWORD');
    checkSecretHash(client, username, params['SECRET_HASH']);
    await preAuthentication(ctx, pool, client, { given: username, validationData: validationData ?? null });
    const migrate = (name: string, given: string) => migrateAtSignIn(ctx, pool, client, name, given, validationData ?? undefined);
    const user = await checkPasswordSignIn(ctx, pool, client, username, password, migrate);
    return afterFirstFactor(ctx, pool, client, user, { deviceKey: params['DEVICE_KEY'] });
  },
});

export const userPasswordAuth = flow(['USER_PASSWORD_AUTH'], 'public', 'ALLOW_USER_PASSWORD_AUTH');
export default userPasswordAuth;
