import { Errors } from '../errors/cognito-error.ts';

export interface MfaOption {
  DeliveryMedium: 'SMS';
  AttributeName: 'phone_number';
}

/**
 * The legacy MFAOptions of AdminSetUserSettings / SetUserSettings. The API
 * reference: "You can use this parameter only to set an SMS configuration",
 * DeliveryMedium SMS, AttributeName "The only valid value is phone_number".
 * Anything else is refused (the exact text Cognito answers with was not
 * found; this one names the rule). Duplicates collapse; an empty list clears.
 * The options are stored and reported by AdminGetUser / GetUser; they do not
 * drive MFA at sign-in (that is AdminSetUserMFAPreference's job).
 */
export function parseMfaOptions(input: readonly { DeliveryMedium?: string | undefined; AttributeName?: string | undefined }[] | undefined): MfaOption[] {
  const out: MfaOption[] = [];
  for (const o of input ?? []) {
    if (o.DeliveryMedium !== 'SMS' || o.AttributeName !== 'phone_number') {
      throw Errors.InvalidParameter('Only the phone_number attribute with the SMS delivery medium is supported in MFAOptions.');
    }
    if (!out.length) out.push({ DeliveryMedium: 'SMS', AttributeName: 'phone_number' });
  }
  return out;
}
