// `npm run dev -w cruddur`: Cognate, the seed's pool and client, the API and
// the Vite dev server, in one command. Ctrl-C stops all of them.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { startApi } from '../backend/api.ts';
import { ensureSeedPool, frontendEnv, startCognate } from './cognate.ts';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const dataDir = join(APP_DIR, '.cognate');
const cognatePort = Number(process.env['COGNATE_PORT'] ?? 9229);
const apiPort = Number(process.env['API_PORT'] ?? 4567); // the seed's backend port
const webPort = Number(process.env['WEB_PORT'] ?? 3000); // the seed's frontend port

// Cruddur's own database (backend/db.ts), written by the post confirmation trigger.
const appDb = join(APP_DIR, '.cruddur.db');
const cognate = await startCognate({ dataDir, port: cognatePort, appDb });
const stops: (() => Promise<void>)[] = [cognate.stop];
let stopping = false;
const stopAll = async () => {
  stopping = true;
  for (const stop of stops.reverse()) await stop().catch(() => {});
};

try {
  const frontendOrigin = `http://localhost:${webPort}`;
  const seed = await ensureSeedPool(cognate, frontendOrigin);
  const api = await startApi({ issuer: seed.issuer, clientId: seed.clientId, ca: cognate.ca, frontendOrigin, port: apiPort });
  stops.push(api.close);

  // Vite reads VITE_* variables from the environment as well as .env files.
  Object.assign(process.env, frontendEnv(seed, cognate.endpoint, api.url));
  const vite = await createServer({ root: APP_DIR, configFile: join(APP_DIR, 'vite.config.ts'), server: { port: webPort, strictPort: true } });
  await vite.listen();
  stops.push(() => vite.close());

  const rel = 'examples/cruddur/.cognate';
  console.log(`
Cruddur is running.
  First           open ${cognate.endpoint}/health and accept its self-signed certificate
                  (Chrome: "Advanced" > "Proceed to localhost"; Firefox: "Accept the Risk")
  Then open       ${frontendOrigin}
  API             ${api.url}/api/activities/home
  Cognate         ${cognate.endpoint} (data in ${rel})
  User pool       ${seed.userPoolId} ("cruddur-user-pool"), app client ${seed.clientId} ("cruddur")
  Hosted sign-in  ${cognate.endpoint}/oauth2/authorize (domain "cruddur", also https://cruddur.${new URL(cognate.endpoint).host})

Sign up in the browser, then read your confirmation code (from the repository root):
  npx cognate outbox --data-dir ${rel}

Operator access with the AWS CLI:
  export AWS_SHARED_CREDENTIALS_FILE=$PWD/${rel}/credentials AWS_PROFILE=cognate AWS_REGION=us-east-1
  export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=${cognate.endpoint} AWS_CA_BUNDLE=$PWD/${rel}/tls/self-signed.crt

Press Ctrl-C to stop.
`);
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  await stopAll();
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void stopAll().then(() => process.exit(0));
  });
}
cognate.process.once('exit', (code) => {
  if (stopping) return;
  console.error(`Cognate stopped (status ${code}); stopping Cruddur.`);
  void stopAll().then(() => process.exit(1));
});
