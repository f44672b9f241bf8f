// The source must layer downward: no module may reach itself through its
// relative imports (a circle makes load order matter and hides which layer
// owns a type), and the low layers must not know about the high ones.
// The graph is built from the text of src/**/*.ts, counting `import type`
// too, since a type that a low layer borrows from a high one is the same
// upside-down dependency whether or not it survives compilation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const src = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

const name = (path: string) => relative(src, path).split(sep).join('/');

/** Module → the src modules it imports (static and dynamic, values and types). */
function graph(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  const specifier = /(?:\b(?:import|export)\b[^;'"]*?\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    const to = new Set<string>();
    for (const match of text.matchAll(specifier)) to.add(name(resolve(dirname(file), match[1]!)));
    edges.set(name(file), to);
  }
  return edges;
}

/** Every strongly connected set of two or more modules (or one importing itself). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)!.has(v)) found.push(component.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

test('no import circle in src/', () => {
  const found = cycles(graph());
  assert.deepEqual(found, [], `import circles (each line: modules that reach one another):\n${found.map((c) => `  ${c.join(', ')}`).join('\n')}`);
});

const forbidden: Array<[string[], string[]]> = [
  [
    ['services/', 'auth-flows/'],
    ['cognito-api/', 'cognate-api/'],
  ],
  [
    ['domain/', 'crypto/', 'store/'],
    ['services/', 'cognito-api/', 'cognate-api/', 'http/', 'config/load.ts'],
  ],
];

test('lower layers import nothing from higher ones', () => {
  const wrong: string[] = [];
  for (const [from, to] of graph()) {
    for (const [low, high] of forbidden) {
      if (!low.some((l) => from.startsWith(l))) continue;
      for (const target of to) if (high.some((h) => target.startsWith(h))) wrong.push(`${from} -> ${target}`);
    }
  }
  assert.deepEqual(wrong, [], `upward imports:\n${wrong.map((w) => `  ${w}`).join('\n')}`);
});
