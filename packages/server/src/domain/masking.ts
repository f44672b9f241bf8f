import { isEmail, isPhone } from './attributes.ts';
// How Cognito shows a delivery destination: `a***@e***` for email, and
// `+*******1234` (one star per hidden digit, last four shown) for phones.
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '***';
  return `${email[0]}***@${email[at + 1] ?? ''}***`;
}

export function maskPhone(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  if (digits.length <= 4) return `+${digits}`;
  return `+${'*'.repeat(digits.length - 4)}${digits.slice(-4)}`;
}

export interface CodeDeliveryDetails {
  Destination: string;
  DeliveryMedium: 'EMAIL' | 'SMS';
  AttributeName: 'email' | 'phone_number';
}

export const emailDelivery = (email: string): CodeDeliveryDetails => ({ Destination: maskEmail(email), DeliveryMedium: 'EMAIL', AttributeName: 'email' });
export const smsDelivery = (phone: string): CodeDeliveryDetails => ({ Destination: maskPhone(phone), DeliveryMedium: 'SMS', AttributeName: 'phone_number' });

/**
 * Where a code "went" for a user who does not exist, or who cannot get one,
 * when PreventUserExistenceErrors is ENABLED: Cognito answers with a simulated
 * destination chosen from the format of the name given and the pool's
 * settings. An email or phone number given is masked as a real one would be;
 * any other name gets a mask whose characters come from `seed` (a keyed hash
 * of the name), so asking twice gives the same answer.
 */
export function simulatedDelivery(given: string, seed: string, medium: 'EMAIL' | 'SMS'): CodeDeliveryDetails {
  if (isEmail(given)) return emailDelivery(given);
  if (isPhone(given)) return smsDelivery(given);
  const bytes = [...Buffer.from(seed, 'base64url')];
  const letter = (i: number) => String.fromCharCode(97 + ((bytes[i] ?? 0) % 26));
  if (medium === 'SMS')
    return {
      Destination: `+*******${bytes
        .slice(0, 4)
        .map((b) => b % 10)
        .join('')}`,
      DeliveryMedium: 'SMS',
      AttributeName: 'phone_number',
    };
  return { Destination: `${letter(0)}***@${letter(1)}***`, DeliveryMedium: 'EMAIL', AttributeName: 'email' };
}
