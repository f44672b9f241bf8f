import type { FunctionMap } from './function-map.ts';
import type { FunctionInvoker, Invocation } from './invokers/invoker.ts';
import { LambdaInvoker } from './invokers/lambda-invoker.ts';
import { ModuleInvoker } from './invokers/module-invoker.ts';
import { UrlInvoker } from './invokers/url-invoker.ts';

// Where each trigger function runs: the functions file's module or URL when
// it names the function, the Lambda Invoke API otherwise.
export class Functions {
  private readonly lambda: LambdaInvoker;
  private readonly modules: ModuleInvoker;
  private readonly urls: UrlInvoker;

  constructor(
    private readonly map: FunctionMap,
    opts: { lambdaEndpoint: string | null; region: string },
  ) {
    this.lambda = new LambdaInvoker(opts.lambdaEndpoint, opts.region);
    this.modules = new ModuleInvoker((arn) => {
      const fn = map.lookup(arn);
      return fn?.kind === 'module' ? fn : null;
    });
    this.urls = new UrlInvoker((arn) => {
      const fn = map.lookup(arn);
      return fn?.kind === 'url' ? fn : null;
    });
  }

  private invokerFor(functionArn: string): FunctionInvoker {
    const fn = this.map.lookup(functionArn);
    if (fn?.kind === 'module') return this.modules;
    if (fn?.kind === 'url') return this.urls;
    return this.lambda;
  }

  invoke(functionArn: string, event: object, timeoutMs: number): Promise<Invocation> {
    return this.invokerFor(functionArn).invoke(functionArn, event, timeoutMs);
  }

  async close(): Promise<void> {
    await Promise.all([this.lambda.close(), this.modules.close(), this.urls.close()]);
  }
}
