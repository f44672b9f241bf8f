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
