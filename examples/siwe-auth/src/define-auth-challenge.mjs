// DefineAuthChallenge for Sign-In with Ethereum: one signed SIWE message
// signs the wallet in; three wrong answers end the attempt. Any challenge that
// is not this flow's own (a password, SRP) fails it: a wallet has no password.
const MAX_TRIES = 3;

export const handler = async (event) => {
  const session = event.request.session ?? [];
  const last = session.at(-1);
  const ours = session.every((r) => r.challengeName === 'CUSTOM_CHALLENGE' && r.challengeMetadata === 'SIWE');
  if (ours && last?.challengeResult === true) {
    event.response.issueTokens = true;
    event.response.failAuthentication = false;
  } else if (!ours || session.length >= MAX_TRIES) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
  }
  return event;
};
