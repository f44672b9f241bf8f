import type {
  CreateUserPoolRequest,
  EmailMfaConfigType,
  GetUserPoolMfaConfigResponse,
  PasswordPolicyType,
  SetUserPoolMfaConfigRequest,
  UpdateUserPoolRequest,
  UserPoolType,
  WebAuthnConfigurationType,
} from '@aws-sdk/client-cognito-identity-provider';
import { Errors } from '../errors/cognito-error.ts';
import type { Wire } from './wire.ts';
import { mergeSchema } from './schema.ts';

/** Everything DescribeUserPool reports that the pool itself configures, and the MFA factors it does not report. */
export type PoolSettings = Omit<Wire<UserPoolType>, 'Id' | 'Name' | 'Arn' | 'CreationDate' | 'LastModifiedDate' | 'EstimatedNumberOfUsers'> & {
  MfaFactors?: MfaFactors;
  SessionConfiguration?: SessionConfiguration;
};

/**
 * Session tracking and the per-user cap on token sessions
 * (SetUserPoolSessionConfiguration), kept beside the settings because
 * DescribeUserPool does not report it; read through `sessionConfigOf`.
 */
export interface SessionConfiguration {
  UserSessionTracking: 'ENABLED' | 'DISABLED';
  TokenSession: { MaxPerUser: number };
}

/** Cognito's answer for a pool never configured: tracking DISABLED, 20 sessions a user (GetUserPoolSessionConfiguration). */
export const sessionConfigOf = (pool: Pool): SessionConfiguration =>
  pool.settings.SessionConfiguration ?? { UserSessionTracking: 'DISABLED', TokenSession: { MaxPerUser: 20 } };

/**
 * Which MFA factors the pool offers (SetUserPoolMfaConfig), kept beside the
 * settings because DescribeUserPool reports only MfaConfiguration; read
 * through `mfaConfigOf`. SMS also needs the pool's SmsConfiguration.
 */
export interface MfaFactors {
  Sms: boolean;
  SoftwareToken: boolean;
  Email?: Wire<EmailMfaConfigType> | undefined;
  WebAuthn?: Wire<WebAuthnConfigurationType> | undefined;
}
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

/**
 * UpdateUserPool: as the API reference warns, "with the exception of
 * UserPoolTier, if you don't provide a value for an attribute, Amazon Cognito
 * sets it to its default value", so the request is read as a CreateUserPool
 * request over what cannot change: the sign-in options (UsernameAttributes,
 * AliasAttributes), case sensitivity and the schema (added to only by
 * AddCustomAttributes). PoolName, UserPoolTier and UserPoolTags keep their
 * values when absent (tags have their own operations). MFA factors chosen by
 * SetUserPoolMfaConfig stay; MfaConfiguration itself resets to OFF.
 */
export function updatedPoolSettings(pool: Pool, req: Wire<UpdateUserPoolRequest>): PoolSettings {
  const waiting = req.UserAttributeUpdateSettings?.AttributesRequireVerificationBeforeUpdate ?? [];
  if (waiting.some((a) => !req.AutoVerifiedAttributes?.includes(a))) {
    throw Errors.InvalidParameter('All attributes in AttributesRequireVerificationBeforeUpdate must exist in AutoVerifiedAttributes');
  }
  const fresh = newPoolSettings({
    ...req,
    PoolName: pool.name,
    UsernameAttributes: pool.settings.UsernameAttributes,
    AliasAttributes: pool.settings.AliasAttributes,
    UsernameConfiguration: pool.settings.UsernameConfiguration,
    UserPoolTier: req.UserPoolTier ?? pool.settings.UserPoolTier,
    UserPoolTags: req.UserPoolTags ?? pool.settings.UserPoolTags,
  });
  const mode = fresh.MfaConfiguration ?? 'OFF';
  const before = mfaFactorsOf(pool);
  const anyBefore = before.Sms || before.SoftwareToken || before.Email !== undefined;
  // SMS stays on only while an SmsConfiguration is given; with MFA required
  // or optional and no factor chosen yet, giving one turns SMS MFA on (how
  // pools enabled MFA before SetUserPoolMfaConfig existed).
  const factors: MfaFactors =
    mode === 'OFF'
      ? { Sms: false, SoftwareToken: false, WebAuthn: before.WebAuthn }
      : { ...before, Sms: req.SmsConfiguration !== undefined && (before.Sms || !anyBefore) };
  if (mode !== 'OFF' && !factors.Sms && !factors.SoftwareToken && !factors.Email) {
    throw Errors.InvalidParameter('SMS configuration and Auto verification for phone_number are required when MFA is required/optional');
  }
  return {
    ...fresh,
    SchemaAttributes: pool.settings.SchemaAttributes,
    MfaFactors: factors,
    ...(pool.settings.SessionConfiguration ? { SessionConfiguration: pool.settings.SessionConfiguration } : {}),
  };
}

const mfaFactorsOf = (pool: Pool): MfaFactors => pool.settings.MfaFactors ?? { Sms: false, SoftwareToken: false };

export type MfaConfig = Wire<GetUserPoolMfaConfigResponse>;
const DEFAULT_WEBAUTHN: Wire<WebAuthnConfigurationType> = { UserVerification: 'preferred' };

/** GetUserPoolMfaConfig's view: the mode, and each factor the pool offers. */
export function mfaConfigOf(pool: Pool): MfaConfig {
  const f = mfaFactorsOf(pool);
  const sms = f.Sms && pool.settings.SmsConfiguration !== undefined;
  return {
    MfaConfiguration: pool.settings.MfaConfiguration ?? 'OFF',
    ...(sms
      ? { SmsMfaConfiguration: { SmsAuthenticationMessage: pool.settings.SmsAuthenticationMessage, SmsConfiguration: pool.settings.SmsConfiguration } }
      : {}),
    SoftwareTokenMfaConfiguration: { Enabled: f.SoftwareToken },
    ...(f.Email ? { EmailMfaConfiguration: f.Email } : {}),
    WebAuthnConfiguration: f.WebAuthn ?? DEFAULT_WEBAUTHN,
  };
}

/**
 * SetUserPoolMfaConfig: the factors named in the request replace the ones
 * stored (a factor left out is turned off, as AWS answers a bare
 * `MfaConfiguration: OPTIONAL` for a pool whose SMS MFA was set elsewhere);
 * MfaConfiguration keeps its value when absent. Cognito's two refusals:
 * a factor with MFA OFF, and ON/OPTIONAL with no factor. WebAuthn (passkeys)
 * is not an MFA factor and goes with either.
 */
export function withMfaConfig(pool: Pool, req: Wire<SetUserPoolMfaConfigRequest>): PoolSettings {
  const mode = req.MfaConfiguration ?? pool.settings.MfaConfiguration ?? 'OFF';
  const factors: MfaFactors = {
    Sms: req.SmsMfaConfiguration !== undefined,
    SoftwareToken: req.SoftwareTokenMfaConfiguration?.Enabled === true,
    Email: req.EmailMfaConfiguration,
    WebAuthn: req.WebAuthnConfiguration ? { ...DEFAULT_WEBAUTHN, ...req.WebAuthnConfiguration } : pool.settings.MfaFactors?.WebAuthn,
  };
  const any = factors.Sms || factors.SoftwareToken || factors.Email !== undefined;
  if (mode === 'OFF' && any) throw Errors.InvalidParameter("Invalid MFA configuration given, can't turn off MFA and configure an MFA together.");
  if (mode !== 'OFF' && !any)
    throw Errors.InvalidParameter("Invalid MFA configuration given, can't disable all MFAs with a required or optional configuration.");
  if (req.EmailMfaConfiguration?.Message !== undefined && !req.EmailMfaConfiguration.Message.includes('{####}')) {
    throw Errors.InvalidParameter('The email MFA message must contain the {####} placeholder.');
  }
  const sms = req.SmsMfaConfiguration;
  if (sms && !(sms.SmsConfiguration ?? pool.settings.SmsConfiguration)) throw Errors.InvalidParameter('SMS configuration is required to turn on SMS MFA.');
  return {
    ...pool.settings,
    MfaConfiguration: mode,
    ...(sms?.SmsConfiguration ? { SmsConfiguration: sms.SmsConfiguration } : {}),
    ...(sms?.SmsAuthenticationMessage ? { SmsAuthenticationMessage: sms.SmsAuthenticationMessage } : {}),
    MfaFactors: factors,
  };
}
