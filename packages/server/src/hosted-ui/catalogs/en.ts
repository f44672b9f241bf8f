// The managed-login pages' English text (the default language).
export const en = {
  signIn: { title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in' },
  mfa: {
    title: 'Enter your code',
    SOFTWARE_TOKEN_MFA: 'Enter the code from your authenticator app.',
    SMS_MFA: 'Enter the code we sent you by text message.',
    EMAIL_OTP: 'Enter the code we sent you by email.',
    code: 'Code',
    submit: 'Continue',
  },
  selectMfa: {
    title: 'Choose how to confirm it is you',
    SOFTWARE_TOKEN_MFA: 'Authenticator app',
    SMS_MFA: 'Text message',
    EMAIL_OTP: 'Email',
    submit: 'Continue',
  },
  newPassword: { title: 'Set a new password', intro: 'You must choose a new password to continue.', password: 'New password', submit: 'Set password' },
  signedOut: { title: 'Signed out' },
  error: {
    title: 'Something went wrong',
    unknownClient: 'This sign-in link names an app client that does not exist.',
    badRedirect: 'This sign-in link asks to return to an address the app has not registered.',
    badLogout: 'This sign-out link asks to return to an address the app has not registered.',
    expired: 'This page has expired. Go back to the app and start again.',
    generic: 'The request could not be completed. Go back to the app and try again.',
  },
  problem: {
    incorrect: 'Incorrect username or password.',
    attempts: 'Too many attempts. Wait a moment and try again.',
    disabled: 'This account is disabled.',
    notConfirmed: 'This account is not confirmed yet.',
    resetRequired: 'This account needs a password reset.',
    badCode: 'That code is not right. Try again.',
    badPassword: 'That password does not meet the requirements.',
    sessionExpired: 'Your sign-in took too long. Start again.',
    generic: 'Something went wrong. Try again.',
  },
  language: 'Language',
};
export type Catalog = typeof en;
