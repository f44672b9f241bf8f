// Extracts the parts of botocore's Cognito user-pool service model (Apache-2.0)
// that Cognate's request validator needs: operations, shapes and their
// constraints, without the documentation text.
// Usage: node scripts/extract-model.mjs <path to service-2.json[.gz]> > packages/server/src/cognito-api/model/cognito-idp.json
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

const path = process.argv[2];
const raw = readFileSync(path);
const model = JSON.parse((path.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8'));
const keep = ['type', 'required', 'min', 'max', 'pattern', 'enum', 'sensitive', 'exception', 'error'];
const shapes = {};
for (const [name, shape] of Object.entries(model.shapes)) {
  const out = {};
  for (const k of keep) if (shape[k] !== undefined) out[k] = shape[k];
  if (shape.members) out.members = Object.fromEntries(Object.entries(shape.members).map(([m, ref]) => [m, ref.shape]));
  if (shape.member) out.member = shape.member.shape;
  if (shape.key) out.key = shape.key.shape;
  if (shape.value) out.value = shape.value.shape;
  shapes[name] = out;
}
const operations = {};
for (const [name, op] of Object.entries(model.operations)) {
  operations[name] = { input: op.input?.shape, output: op.output?.shape, errors: (op.errors ?? []).map((e) => e.shape) };
}
process.stdout.write(
  `${JSON.stringify({
    metadata: { apiVersion: model.metadata.apiVersion, targetPrefix: model.metadata.targetPrefix, source: 'botocore service-2.json (Apache-2.0)' },
    operations,
    shapes,
  })}\n`,
);
