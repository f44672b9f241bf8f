import { Errors } from '../../errors/cognito-error.ts';
import { answerPasswordlessCode } from '../../services/passwordless.ts';
import type { ChallengeHandler } from '../flow.ts';

// SMS_OTP: the passwordless first factor of USER_AUTH, answered with
// SMS_OTP_CODE (services/passwordless.ts). Only the USER_AUTH flow opens it;
// the SMS code of MFA is SMS_MFA.
const smsOtp: ChallengeHandler = {
  name: 'SMS_OTP',
  async respond(responses, session, env) {
    const step = await answerPasswordlessCode('SMS_OTP', responses, session, env);
    if (!step) throw Errors.NotAuthorized('Invalid session for the user.');
    return step;
  },
};
export default smsOtp;
