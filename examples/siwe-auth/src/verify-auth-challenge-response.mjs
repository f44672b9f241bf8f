import { SiweMessage } from 'siwe';

// VerifyAuthChallengeResponse for Sign-In with Ethereum. The answer is JSON,
// {"message": "<the EIP-4361 message>", "signature": "0x…"}. Right when the
// message parses, names the user's address and this challenge's domain, URI,
// chain and nonce, is within its validity times, and the signature recovers
// to that address.
export const handler = async (event) => {
  event.response.answerCorrect = !event.request.userNotFound && (await check(event.request.privateChallengeParameters, event.request.challengeAnswer));
  return event;
};

async function check(expected, answer) {
  let message;
  let signature;
  try {
    const parsed = JSON.parse(answer);
    message = new SiweMessage(parsed.message);
    signature = parsed.signature;
  } catch {
    return false;
  }
  if (typeof signature !== 'string') return false;
  if (message.address.toLowerCase() !== expected.address) return false;
  if (message.uri !== expected.uri || String(message.chainId) !== expected.chainId) return false;
  const result = await message.verify({ signature, domain: expected.domain, nonce: expected.nonce }, { suppressExceptions: true });
  return result.success === true;
}
