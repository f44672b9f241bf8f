import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Real DefineAuthChallenge / CreateAuthChallenge / VerifyAuthChallengeResponse
// modules for the custom-auth tests, run by Cognate's module invoker through a
// functions file. They play a question-and-code game: Define asks for the
// password first when the flow opened with SRP_A, then CUSTOM_CHALLENGEs
// until one is answered right (tokens) or three are answered wrong (fail).
// Create's private answer is `code-<round>`. Each function appends the event
// it received to a log, one JSON line each, so tests assert on exact events;
// a behaviour file lets a test make one of them misbehave for its pool.

export const ARN = {
  define: 'arn:aws:lambda:us-east-1:123456789012:function:define-auth',
  create: 'arn:aws:lambda:us-east-1:123456789012:function:create-auth',
  verify: 'arn:aws:lambda:us-east-1:123456789012:function:verify-auth',
} as const;

export const CHALLENGE_TRIGGERS = { DefineAuthChallenge: ARN.define, CreateAuthChallenge: ARN.create, VerifyAuthChallengeResponse: ARN.verify };

/** What a test may make a function do for one pool (by pool ID). */
export interface Misbehaviour {
  defineThrows?: boolean;
  /** Define answers with this challenge name instead of CUSTOM_CHALLENGE. */
  defineAsks?: string;
  /** Define issues tokens right away. */
  defineIssues?: boolean;
  createNumberParam?: boolean;
}

export interface TriggerEvent {
  version: string;
  triggerSource: string;
  region: string;
  userPoolId: string;
  userName: string;
  callerContext: { awsSdkVersion: string; clientId: string };
  request: Record<string, unknown> & { session?: { challengeName: string; challengeResult: boolean; challengeMetadata: string | null }[] };
  response: Record<string, unknown>;
}

const common = (log: string, behaviour: string) => `
import { appendFileSync, readFileSync } from 'node:fs';
const log = (event) => appendFileSync(${JSON.stringify(log)}, JSON.stringify(event) + '\\n');
const behaviour = (poolId) => {
  try { return JSON.parse(readFileSync(${JSON.stringify(behaviour)}, 'utf8'))[poolId] ?? {}; } catch { return {}; }
};
`;

const DEFINE = `
export const handler = async (event) => {
  log(event);
  const b = behaviour(event.userPoolId);
  if (b.defineThrows) throw new Error('define broke');
  const session = event.request.session;
  const last = session[session.length - 1];
  const customs = session.filter((r) => r.challengeName === 'CUSTOM_CHALLENGE');
  if (b.defineIssues) { event.response.issueTokens = true; event.response.failAuthentication = false; return event; }
  if (b.defineAsks) { event.response.challengeName = b.defineAsks; return event; }
  if (session.length === 1 && last.challengeName === 'SRP_A') {
    event.response.challengeName = 'PASSWORD_VERIFIER';
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
  } else if (last && last.challengeName === 'CUSTOM_CHALLENGE' && last.challengeResult === true) {
    event.response.issueTokens = true;
    event.response.failAuthentication = false;
  } else if (customs.length >= 3) {
    event.response.issueTokens = false;
    event.response.failAuthentication = true;
  } else {
    event.response.challengeName = 'CUSTOM_CHALLENGE';
    event.response.issueTokens = false;
    event.response.failAuthentication = false;
  }
  return event;
};
`;

const CREATE = `
export const handler = async (event) => {
  log(event);
  const round = event.request.session.filter((r) => r.challengeName === 'CUSTOM_CHALLENGE').length + 1;
  event.response.publicChallengeParameters = { question: 'What is the code?', round: String(round) };
  if (behaviour(event.userPoolId).createNumberParam) event.response.publicChallengeParameters.round = round;
  event.response.privateChallengeParameters = { answer: 'code-' + round };
  event.response.challengeMetadata = 'CODE-' + round;
  return event;
};
`;

const VERIFY = `
export const handler = async (event) => {
  log(event);
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
  return event;
};
`;

export interface ChallengeFunctions {
  functionsFile: string;
  /** The events the functions received for a pool, oldest first. */
  events(poolId: string): TriggerEvent[];
  misbehave(poolId: string, b: Misbehaviour): void;
  remove(): void;
}

export function challengeFunctions(): ChallengeFunctions {
  const dir = mkdtempSync(join(tmpdir(), 'cognate-custom-auth-'));
  const log = join(dir, 'events.jsonl');
  const behaviourFile = join(dir, 'behaviour.json');
  const behaviours: Record<string, Misbehaviour> = {};
  writeFileSync(log, '');
  writeFileSync(join(dir, 'define.mjs'), common(log, behaviourFile) + DEFINE);
  writeFileSync(join(dir, 'create.mjs'), common(log, behaviourFile) + CREATE);
  writeFileSync(join(dir, 'verify.mjs'), common(log, behaviourFile) + VERIFY);
  const functionsFile = join(dir, 'functions.json');
  const entry = (file: string) => ({ module: `./${file}`, handler: 'handler' });
  writeFileSync(
    functionsFile,
    JSON.stringify({ functions: { 'define-auth': entry('define.mjs'), 'create-auth': entry('create.mjs'), 'verify-auth': entry('verify.mjs') } }),
  );
  return {
    functionsFile,
    events: (poolId) =>
      readFileSync(log, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as TriggerEvent)
        .filter((e) => e.userPoolId === poolId),
    misbehave(poolId, b) {
      behaviours[poolId] = b;
      writeFileSync(behaviourFile, JSON.stringify(behaviours));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
