import { Errors } from '../errors/cognito-error.ts';

/**
 * ManagedLoginVersion: 1 is the classic hosted UI, 2 managed login (API
 * reference, CreateUserPoolDomain). The model types it only as an integer;
 * other values are refused, worded by us (Cognito's text unconfirmed).
 */
export function checkManagedLoginVersion(version: number): number {
  if (version !== 1 && version !== 2) throw Errors.InvalidParameter(`ManagedLoginVersion must be 1 or 2.`);
  return version;
}

/** DeleteUserPoolDomain's answer when the pair does not name a domain (reported from Cognito by Terraform users). */
export const noSuchDomain = () => Errors.InvalidParameter('No such domain or user pool exists.');
