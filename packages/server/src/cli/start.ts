import { resolve } from 'node:path';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config/load.ts';
import { describeDatabase } from '../store/open.ts';
import { startupProblem } from './startup-problem.ts';
import { isClusterPrimary, printsBanner, runAsWorker, runPrimary } from './workers.ts';

export async function start(flags: Record<string, string>): Promise<number> {
  const config = loadConfig(flags);
  // --workers N: this process forks and watches N workers, each of which runs the rest of start().
  // A database or data directory that cannot be used is said in one line, not a stack trace (cli/startup-problem.ts).
  const problem = (err: unknown): number => {
    const said = startupProblem(err, config);
    if (said === null) throw err;
    process.stderr.write(`${said}\n`);
    return 1;
  };
  if (isClusterPrimary(config)) return runPrimary(config, process.env['COGNATE_MASTER_KEY']).catch(problem);
  let built: Awaited<ReturnType<typeof buildApp>>;
  try {
    built = await buildApp(config, { masterKey: process.env['COGNATE_MASTER_KEY'] });
  } catch (err) {
    return problem(err);
  }
  const { app, deps } = built;
  if (config.workers > 1) runAsWorker(app);
  const address = await app.listen({ port: config.port, host: config.host });
  const port = Number(new URL(address).port);
  const portChosen = config.port === 0 && !flags['public-url'] && !process.env['COGNATE_PUBLIC_URL'];
  const endpoint = portChosen ? `${config.tlsCert || config.tlsSelfSigned ? 'https' : 'http'}://localhost:${port}` : config.publicUrl;
  if (portChosen) deps.tokens.setPublicUrl(endpoint);
  const credentials = resolve(config.dataDir, 'credentials');
  // The handlers go in before the banner: a SIGTERM sent the moment the banner
  // appears would otherwise meet the default action and kill the process mid-way.
  const stopped = new Promise<void>((done) => {
    const stop = (signal: string) => {
      app.log.info({ signal }, 'shutting down');
      app.close().then(done, done);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  if (printsBanner())
    process.stdout.write(
      `${[
        '',
        `Cognate is listening on ${address}`,
        `  Endpoint and token issuer base: ${endpoint}${port !== config.port ? ` (listening on port ${port})` : ''}`,
        `  Operator credentials: ${credentials} (profile "cognate")`,
        `  Database: ${describeDatabase(config)}`,
        // bin/cognate.cjs sets it from the cores unless the operator did.
        `  Hashing and signing threads: ${process.env['UV_THREADPOOL_SIZE'] ?? '4 (Node default)'} per process`,
        '',
        'Use it with the AWS CLI and SDKs:',
        `  export AWS_SHARED_CREDENTIALS_FILE=${credentials}`,
        '  export AWS_PROFILE=cognate',
        `  export AWS_REGION=${config.region} AWS_DEFAULT_REGION=${config.region}`,
        `  export AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER=${endpoint}`,
        '  aws cognito-idp list-user-pools --max-results 10',
        '',
      ].join('\n')}\n`,
    );
  await stopped;
  return 0;
}
