// required-members.ts is generated from cognito-idp.json by
// scripts/required-members.mjs; the operation helpers type each handler's
// input from it. This fails when it is out of date with the model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { model } from './validate.ts';

const checkedIn = readFileSync(new URL('./required-members.ts', import.meta.url), 'utf8');
const script = fileURLToPath(new URL('../../../../../scripts/required-members.mjs', import.meta.url));

test('required-members.ts is what scripts/required-members.mjs generates from the model', () => {
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.ok(
    run.stdout === checkedIn,
    'packages/server/src/cognito-api/model/required-members.ts is out of date: run node scripts/required-members.mjs > packages/server/src/cognito-api/model/required-members.ts',
  );
});

test("RequiredMembers lists, for every operation, exactly the required members of the model's input shape", () => {
  const body = checkedIn.slice(checkedIn.indexOf('export interface RequiredMembers {'));
  const listed = new Map<string, string[]>();
  for (const [, name, union] of body.matchAll(/^ {2}(\w+): (.+);$/gm)) {
    listed.set(name!, union === 'never' ? [] : union!.split(' | ').map((m) => m.slice(1, -1)));
  }
  const expected = new Map(
    Object.entries(model.operations)
      .filter(([, op]) => op.input)
      .map(([name, op]) => [name, [...(model.shapes[op.input!]?.required ?? [])].sort()]),
  );
  assert.deepEqual(new Map([...listed].sort()), new Map([...expected].sort()));
  assert.deepEqual(listed.get('AdminCreateUser'), ['UserPoolId', 'Username']);
});
