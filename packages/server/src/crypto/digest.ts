import { createHash } from 'node:crypto';

/**
 * SHA-256 of a secret's text as base64url: how codes, refresh tokens,
 * challenge sessions and managed-login sessions are kept at rest, so a read
 * of the database yields nothing that can be presented back.
 */
export const sha256Base64url = (text: string): string => createHash('sha256').update(text, 'utf8').digest('base64url');
