// The CPU ceilings of bench/server.ts, measured in a process of their own so
// that its threadpool size (UV_THREADPOOL_SIZE, fixed when a process first
// uses the pool) can be chosen: the parent runs this once per size and keeps
// the best, so a server is held to the most the machine can do, whatever
// pool size the server itself runs with.
//
//   argon2id  hashes/s with Cognate's parameters (crypto/passwords.ts), as
//             concurrent @node-rs/argon2 calls on the threadpool, as the
//             server makes them
//   RS256     signatures/s through node:crypto: synchronous on this thread,
//             and in callback form on the threadpool
//
// Usage: tsx bench/ceilings.ts <argon2 hashes> <signatures> <in flight>; prints one JSON line.
import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { hashPassword } from '../packages/server/src/crypto/passwords.ts';
import { rate } from './rate.ts';

const [hashes, signatures, inFlight] = process.argv.slice(2).map(Number) as [number, number, number];
const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const input = Buffer.from('x'.repeat(900));
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

await hashPassword(randomUUID()); // warm-up: the first hash sets up the pool
let cpu = cpuMs();
const argon2 = await rate(hashes, inFlight, () => hashPassword(randomUUID()));
const argon2Cpu = (cpuMs() - cpu) / hashes;

cpu = cpuMs();
const t = performance.now();
for (let i = 0; i < signatures; i++) sign('sha256', input, key);
const syncRate = signatures / ((performance.now() - t) / 1000);
const signCpu = (cpuMs() - cpu) / signatures;
const pooled = await rate(signatures, inFlight, () => new Promise<Buffer>((res, rej) => sign('sha256', input, key, (err, sig) => (err ? rej(err) : res(sig)))));

console.log(JSON.stringify({ argon2: { perSecond: argon2, cpuMs: argon2Cpu }, rs256: { perSecond: Math.max(syncRate, pooled), cpuMs: signCpu } }));
