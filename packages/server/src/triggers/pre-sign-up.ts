import type { Context } from '../context.ts';
import type { Pool } from '../domain/pool-settings.ts';
import { Errors } from '../errors/cognito-error.ts';
import { booleanOf, runTrigger } from './run-trigger.ts';
import { clientMetadataOf } from './user-attributes.ts';

// The pre sign-up trigger (developer guide, "Pre sign-up Lambda trigger"):
// runs before a user is created, by SignUp (PreSignUp_SignUp, the managed
// sign-up page included), AdminCreateUser (PreSignUp_AdminCreateUser) and,
// once federation creates users, a first federated sign-in
// (PreSignUp_ExternalProvider). An error from the function refuses the
// creation. The request holds the attributes as given (no sub, no status: the
// user does not exist yet), `validationData` (SignUp's or AdminCreateUser's
// ValidationData as a map; null when the call sent none, as in events logged
// from Cognito) and `clientMetadata` (only when sent). The response comes
// pre-filled with the three flags false.

export type PreSignUpSource = 'SignUp' | 'AdminCreateUser' | 'ExternalProvider';

export interface PreSignUpCall {
  source: PreSignUpSource;
  /** The new user's username (for email/phone-as-username pools, the sub Cognito makes it). */
  userName: string;
  clientId: string | null;
  userAttributes: Record<string, string>;
  validationData: Record<string, string> | null;
}

export interface PreSignUpAnswer {
  autoConfirmUser: boolean;
  autoVerifyEmail: boolean;
  autoVerifyPhone: boolean;
}

/** Runs the trigger; null when the pool has none. */
export async function preSignUp(ctx: Context, pool: Pool, call: PreSignUpCall): Promise<PreSignUpAnswer | null> {
  const response = await runTrigger(ctx, pool, {
    trigger: 'PreSignUp',
    triggerSource: `PreSignUp_${call.source}`,
    userName: call.userName,
    clientId: call.clientId,
    request: { userAttributes: call.userAttributes, validationData: call.validationData, ...clientMetadataOf(ctx.clientMetadata) },
    response: { autoConfirmUser: false, autoVerifyEmail: false, autoVerifyPhone: false },
  });
  if (!response) return null;
  return {
    autoConfirmUser: booleanOf(response, 'autoConfirmUser'),
    autoVerifyEmail: booleanOf(response, 'autoVerifyEmail'),
    autoVerifyPhone: booleanOf(response, 'autoVerifyPhone'),
  };
}

/** SignUp's and AdminCreateUser's ValidationData (a list of name/value pairs) as the event's map; null when absent. */
export function validationDataOf(list: readonly { Name?: string | undefined; Value?: string | undefined }[] | undefined): Record<string, string> | null {
  if (!list) return null;
  const out: Record<string, string> = {};
  for (const { Name, Value } of list) if (Name !== undefined) out[Name] = Value ?? '';
  return out;
}

export interface AutoConfirmation {
  /** The user starts CONFIRMED: no confirmation code is sent. */
  confirmed: boolean;
  /** email_verified / phone_number_verified "true" with the value they verify, for the flags set. */
  verifiedAttributes: Record<string, string>;
}

/**
 * What SignUp does with the answer. autoVerifyEmail / autoVerifyPhone need
 * autoConfirmUser (Cognito refuses the sign-up otherwise: "Phone or email
 * cannot be auto verified, when user is not being auto confirmed.", as
 * reported in aws/aws-sdk-java#1049) and the attribute they verify ("must
 * have a valid, non-null value. Otherwise an error will occur").
 */
export function autoConfirmationOf(answer: PreSignUpAnswer | null, attributes: Record<string, string>): AutoConfirmation {
  if (!answer) return { confirmed: false, verifiedAttributes: {} };
  const verify = [...(answer.autoVerifyEmail ? ['email'] : []), ...(answer.autoVerifyPhone ? ['phone_number'] : [])];
  if (verify.length && !answer.autoConfirmUser)
    throw Errors.InvalidLambdaResponse('Phone or email cannot be auto verified, when user is not being auto confirmed.');
  const verifiedAttributes: Record<string, string> = {};
  for (const attr of verify) {
    const value = attributes[attr];
    if (!value) throw Errors.InvalidLambdaResponse(`Cannot auto verify ${attr}: the user has no ${attr}.`);
    verifiedAttributes[attr] = value;
    verifiedAttributes[`${attr}_verified`] = 'true';
  }
  return { confirmed: answer.autoConfirmUser, verifiedAttributes };
}
