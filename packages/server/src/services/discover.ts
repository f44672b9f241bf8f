import { readdir } from 'node:fs/promises';

/** Default exports of every .ts file in a folder, in name order: a new strategy is a new file. */
export async function discover<T>(dir: URL): Promise<{ file: string; value: T }[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const out: { file: string; value: T }[] = [];
  for (const file of files) {
    const mod = (await import(new URL(file, dir).href)) as { default?: T };
    if (mod.default === undefined) throw new Error(`${new URL(file, dir).pathname} has no default export`);
    out.push({ file, value: mod.default });
  }
  return out;
}
