import type { CreateUserPoolRequest, PasswordPolicyType, UserPoolType } from '@aws-sdk/client-cognito-identity-provider';
import { Errors } from '../errors/cognito-error.ts';
import type { Wire } from '../cognito-api/wire.ts';
import { STANDARD_ATTRIBUTES, STANDARD_NAMES, type SchemaAttribute } from './standard-attributes.ts';

/** Everything DescribeUserPool reports that the pool itself configures. */
export type PoolSettings = Omit<Wire<UserPoolType>, 'Id' | 'Name' | 'Arn' | 'CreationDate' | 'LastModifiedDate' | 'EstimatedNumberOfUsers'>;
export type PasswordPolicy = Wire<PasswordPolicyType>;

export interface Pool {
  id: string;
  name: string;
  settings: PoolSettings;
  createdAt: number;
  updatedAt: number;
}

// Cognito's defaults when CreateUserPool leaves a setting out.
const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  MinimumLength: 8,
  RequireUppercase: true,
  RequireLowercase: true,
  RequireNumbers: true,
  RequireSymbols: true,
  TemporaryPasswordValidityDays: 7,
};

export const DEFAULT_EMAIL_MESSAGE = 'Your verification code is {####}. ';
export const DEFAULT_EMAIL_SUBJECT = 'Your verification code';
export const DEFAULT_INVITE_MESSAGE = 'Your username is {username} and temporary password is {####}. ';
export const DEFAULT_INVITE_SUBJECT = 'Your temporary password';

export function newPoolSettings(req: Wire<CreateUserPoolRequest>): PoolSettings {
  if (req.UsernameAttributes?.length && req.AliasAttributes?.length) {
    throw Errors.InvalidParameter('Only one of the aliasAttributes or usernameAttributes can be set in a User Pool.');
  }
  const given = req.Policies?.PasswordPolicy;
  const passwordPolicy: PasswordPolicy = given
    ? {
        MinimumLength: given.MinimumLength ?? 8,
        RequireUppercase: given.RequireUppercase ?? false,
        RequireLowercase: given.RequireLowercase ?? false,
        RequireNumbers: given.RequireNumbers ?? false,
        RequireSymbols: given.RequireSymbols ?? false,
        PasswordHistorySize: given.PasswordHistorySize,
        TemporaryPasswordValidityDays: given.TemporaryPasswordValidityDays ?? 7,
      }
    : DEFAULT_PASSWORD_POLICY;
  if ((passwordPolicy.MinimumLength ?? 8) < 6) {
    throw Errors.InvalidParameter('Password policy minimum length must be between 6 and 99.');
  }
  const verification = req.VerificationMessageTemplate ?? {};
  return {
    Policies: { PasswordPolicy: passwordPolicy, SignInPolicy: req.Policies?.SignInPolicy ?? { AllowedFirstAuthFactors: ['PASSWORD'] } },
    DeletionProtection: req.DeletionProtection ?? 'INACTIVE',
    LambdaConfig: req.LambdaConfig ?? {},
    SchemaAttributes: mergeSchema(req.Schema ?? []),
    AutoVerifiedAttributes: req.AutoVerifiedAttributes,
    AliasAttributes: req.AliasAttributes,
    UsernameAttributes: req.UsernameAttributes,
    SmsVerificationMessage: req.SmsVerificationMessage,
    EmailVerificationMessage: req.EmailVerificationMessage,
    EmailVerificationSubject: req.EmailVerificationSubject,
    VerificationMessageTemplate: {
      DefaultEmailOption: verification.DefaultEmailOption ?? 'CONFIRM_WITH_CODE',
      EmailMessage: verification.EmailMessage ?? req.EmailVerificationMessage ?? DEFAULT_EMAIL_MESSAGE,
      EmailSubject: verification.EmailSubject ?? req.EmailVerificationSubject ?? DEFAULT_EMAIL_SUBJECT,
      SmsMessage: verification.SmsMessage ?? req.SmsVerificationMessage,
      EmailMessageByLink: verification.EmailMessageByLink,
      EmailSubjectByLink: verification.EmailSubjectByLink,
    },
    SmsAuthenticationMessage: req.SmsAuthenticationMessage,
    UserAttributeUpdateSettings: req.UserAttributeUpdateSettings ?? { AttributesRequireVerificationBeforeUpdate: [] },
    MfaConfiguration: req.MfaConfiguration ?? 'OFF',
    DeviceConfiguration: req.DeviceConfiguration,
    EmailConfiguration: req.EmailConfiguration ?? { EmailSendingAccount: 'COGNITO_DEFAULT' },
    SmsConfiguration: req.SmsConfiguration,
    UserPoolTags: req.UserPoolTags,
    AdminCreateUserConfig: {
      AllowAdminCreateUserOnly: req.AdminCreateUserConfig?.AllowAdminCreateUserOnly ?? false,
      UnusedAccountValidityDays: req.AdminCreateUserConfig?.UnusedAccountValidityDays ?? passwordPolicy.TemporaryPasswordValidityDays ?? 7,
      InviteMessageTemplate: req.AdminCreateUserConfig?.InviteMessageTemplate,
    },
    UserPoolAddOns: req.UserPoolAddOns,
    // Cognito's API creates case-sensitive pools unless told otherwise.
    UsernameConfiguration: { CaseSensitive: req.UsernameConfiguration?.CaseSensitive ?? true },
    AccountRecoverySetting: req.AccountRecoverySetting,
    UserPoolTier: req.UserPoolTier ?? 'ESSENTIALS',
  };
}

function mergeSchema(requested: readonly SchemaAttribute[]): SchemaAttribute[] {
  const merged = STANDARD_ATTRIBUTES.map((a) => ({ ...a }));
  const seen = new Set<string>();
  for (const attr of requested) {
    const name = attr.Name ?? '';
    if (seen.has(name)) throw Errors.InvalidParameter(`Duplicate attribute name in schema: ${name}`);
    seen.add(name);
    if (STANDARD_NAMES.has(name)) {
      const i = merged.findIndex((a) => a.Name === name);
      const base = merged[i]!;
      if (name === 'sub' && (attr.Mutable === true || attr.Required === false)) {
        throw Errors.InvalidParameter('sub is a required, immutable attribute.');
      }
      merged[i] = {
        ...base,
        Required: attr.Required ?? base.Required,
        Mutable: attr.Mutable ?? base.Mutable,
        StringAttributeConstraints: attr.StringAttributeConstraints ?? base.StringAttributeConstraints,
        NumberAttributeConstraints: attr.NumberAttributeConstraints ?? base.NumberAttributeConstraints,
      };
      continue;
    }
    if (attr.Required) throw Errors.InvalidParameter('Required custom attributes are not supported currently.');
    merged.push({
      Name: name.startsWith('custom:') ? name : `custom:${name}`,
      AttributeDataType: attr.AttributeDataType ?? 'String',
      DeveloperOnlyAttribute: attr.DeveloperOnlyAttribute ?? false,
      Mutable: attr.Mutable ?? true,
      Required: false,
      StringAttributeConstraints: attr.AttributeDataType === 'Number' ? undefined : (attr.StringAttributeConstraints ?? {}),
      NumberAttributeConstraints: attr.AttributeDataType === 'Number' ? (attr.NumberAttributeConstraints ?? {}) : undefined,
    });
  }
  return merged;
}

export const passwordPolicyOf = (pool: Pool): PasswordPolicy => pool.settings.Policies?.PasswordPolicy ?? DEFAULT_PASSWORD_POLICY;
export const usesEmailAsUsername = (pool: Pool): boolean => pool.settings.UsernameAttributes?.includes('email') ?? false;
export const usesPhoneAsUsername = (pool: Pool): boolean => pool.settings.UsernameAttributes?.includes('phone_number') ?? false;
export const isCaseSensitive = (pool: Pool): boolean => pool.settings.UsernameConfiguration?.CaseSensitive ?? true;

/** How long a temporary password lasts: TemporaryPasswordValidityDays, where 0 (or unset) means Cognito's default of 7 days (PasswordPolicyType reference). */
export const temporaryPasswordValidityMs = (pool: Pool): number => (passwordPolicyOf(pool).TemporaryPasswordValidityDays || 7) * 86_400_000;

/**
 * The attribute a sign-up confirmation code goes to (SignUp,
 * ResendConfirmationCode) and that ConfirmSignUp then marks verified: email
 * when the pool auto-verifies it and the user has one, else the phone number.
 */
export function signUpCodeTarget(pool: Pool, attrs: Record<string, string>): 'email' | 'phone_number' | null {
  const autoVerified = pool.settings.AutoVerifiedAttributes ?? [];
  if (autoVerified.includes('email') && attrs['email']) return 'email';
  if (autoVerified.includes('phone_number') && attrs['phone_number']) return 'phone_number';
  return null;
}
