import { answerMfaCode } from '../mfa-answer.ts';
import type { ChallengeHandler } from '../flow.ts';

// SOFTWARE_TOKEN_MFA: the second factor's code, answered as SOFTWARE_TOKEN_MFA_CODE (see mfa-answer.ts).
const softwareTokenMfa: ChallengeHandler = {
  name: 'SOFTWARE_TOKEN_MFA',
  respond: (responses, session, env) => answerMfaCode('SOFTWARE_TOKEN_MFA', 'SOFTWARE_TOKEN_MFA_CODE', responses, session, env),
};
export default softwareTokenMfa;
