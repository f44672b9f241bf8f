import { answerPasswordlessEmailOtp } from '../../services/passwordless.ts';
import { answerMfaCode } from '../mfa-answer.ts';
import type { ChallengeHandler } from '../flow.ts';

// EMAIL_OTP names two challenges in Cognito: the passwordless first factor of
// USER_AUTH (services/passwordless.ts answers the sessions it opened) and the
// email MFA code after a first factor (mfa-answer.ts answers everything else,
// with its own checks and errors). Answered as EMAIL_OTP_CODE either way.
const emailOtp: ChallengeHandler = {
  name: 'EMAIL_OTP',
  async respond(responses, session, env) {
    return (await answerPasswordlessEmailOtp(responses, session, env)) ?? answerMfaCode('EMAIL_OTP', 'EMAIL_OTP_CODE', responses, session, env);
  },
};
export default emailOtp;
