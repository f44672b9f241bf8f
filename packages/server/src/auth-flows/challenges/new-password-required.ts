import { Errors } from '../../errors/cognito-error.ts';
import { checkSecretHash } from '../../services/lookups.ts';
import { completeNewPassword } from '../../services/users.ts';
import type { ChallengeHandler } from '../flow.ts';

// NEW_PASSWORD_REQUIRED: a FORCE_CHANGE_PASSWORD user answers with a new
// password and the required attributes still missing (`userAttributes.<name>`);
// the user becomes CONFIRMED and the sign-in completes (services/users.ts
// completeNewPassword).
const newPasswordRequired: ChallengeHandler = {
  name: 'NEW_PASSWORD_REQUIRED',
  async respond(responses, session, { ctx, pool, client }) {
    const username = responses['USERNAME'];
    const password = responses['NEW_PASSWORD'];
    if (!username) throw Errors.InvalidParameter('Missing required parameter USERNAME');
    checkSecretHash(client, username, responses['SECRET_HASH']);
    if (!password) throw Errors.InvalidParameter('Missing required parameter NEW_PASSWORD');
    const attrInput = Object.entries(responses)
      .filter(([k]) => k.startsWith('userAttributes.'))
      .map(([k, v]) => ({ Name: k.slice('userAttributes.'.length), Value: v }));
    return completeNewPassword(ctx, pool, client, { session, given: username, password, attributes: attrInput });
  },
};
export default newPasswordRequired;
