import { generateNonce } from 'siwe';

// CreateAuthChallenge for Sign-In with Ethereum: a fresh nonce and the fields
// the wallet's EIP-4361 message must carry. They go to the app as
// ChallengeParameters; the same values, with the address the user is known
// by (their username), stay private for the Verify function. Every round has
// a new nonce, so a signature made for one challenge cannot answer another.
const SIWE = {
  domain: process.env.SIWE_DOMAIN ?? 'localhost:5173',
  uri: process.env.SIWE_URI ?? 'http://localhost:5173',
  chainId: process.env.SIWE_CHAIN_ID ?? '1',
  statement: process.env.SIWE_STATEMENT ?? 'Sign in to the app.',
};

export const handler = async (event) => {
  const challenge = { ...SIWE, nonce: generateNonce() };
  event.response.publicChallengeParameters = challenge;
  // A name that matches no user (PreventUserExistenceErrors ENABLED) gets the same challenge, which Verify then refuses.
  event.response.privateChallengeParameters = { ...challenge, address: event.userName.toLowerCase() };
  event.response.challengeMetadata = 'SIWE';
  return event;
};
