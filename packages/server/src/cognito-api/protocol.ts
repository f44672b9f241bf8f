import type { Operation } from './operation.ts';
import { model } from './model/validate.ts';
import { discover } from '../services/discover.ts';

let loaded: Promise<Map<string, Operation>> | undefined;

/** Loads every operation file in operations/, once: adding an operation is adding a file. */
export function loadOperations(): Promise<Map<string, Operation>> {
  loaded ??= discover<Operation>(new URL('./operations/', import.meta.url)).then((found) => {
    const ops = new Map<string, Operation>();
    for (const { file, value: op } of found) {
      if (`${op.name}.ts` !== file) throw new Error(`operations/${file} must default-export the operation named after the file`);
      if (!model.operations[op.name]) throw new Error(`operations/${file}: ${op.name} is not in the Cognito API model`);
      ops.set(op.name, op);
    }
    return ops;
  });
  return loaded;
}
