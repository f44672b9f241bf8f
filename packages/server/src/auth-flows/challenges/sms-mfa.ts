import { answerMfaCode } from '../mfa-answer.ts';
import type { ChallengeHandler } from '../flow.ts';

// SMS_MFA: the second factor's code, answered as SMS_MFA_CODE (see mfa-answer.ts).
const smsMfa: ChallengeHandler = {
  name: 'SMS_MFA',
  respond: (responses, session, env) => answerMfaCode('SMS_MFA', 'SMS_MFA_CODE', responses, session, env),
};
export default smsMfa;
