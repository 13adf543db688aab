import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { compiledTwin, importTs, usableTwin } from '../../infra/import-ts.js';

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

it('uses the compiled twin only when it is at least as new as the source', () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-twin-'));
  mkdirSync(join(dir, 'workspace'));
  mkdirSync(join(dir, 'dist/workspace'), { recursive: true });
  const src = join(dir, 'workspace/settings.ts');
  const twin = join(dir, 'dist/workspace/settings.js');
  writeFileSync(src, 'export default 1;');
  writeFileSync(twin, 'export default 1;');
  utimesSync(src, new Date(1000_000), new Date(1000_000));
  utimesSync(twin, new Date(2000_000), new Date(2000_000));
  expect(compiledTwin(src, dir)).toBe(twin);
  utimesSync(src, new Date(3000_000), new Date(3000_000)); // edited after the build
  expect(compiledTwin(src, dir)).toBeUndefined();
  expect(compiledTwin(join(dir, 'workspace/other.ts'), dir)).toBeUndefined();
  expect(compiledTwin(src, undefined)).toBeUndefined();
});

it('imports TypeScript sources without a build (jiti)', async () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-ts-'));
  const file = join(dir, 'mod.ts');
  writeFileSync(file, 'const n: number = 41;\nexport const answer = n + 1;\nexport default { n };\n');
  expect(await importTs(file)).toEqual({ n: 41 });
  expect(await importTs<{ answer: number }>(file, { default: false })).toMatchObject({ answer: 42 });
});

it('a twin is not used when another source of the same folder was edited after the build (its imports may be stale)', () => {
  dir = mkdtempSync(join(tmpdir(), 'ws-twin-'));
  mkdirSync(join(dir, 'db/tables'), { recursive: true });
  mkdirSync(join(dir, 'dist/db/tables'), { recursive: true });
  const old = new Date(1000_000);
  const built = new Date(2000_000);
  for (const f of ['index', 'users']) {
    writeFileSync(join(dir, `db/tables/${f}.ts`), '');
    writeFileSync(join(dir, `dist/db/tables/${f}.js`), '');
    utimesSync(join(dir, `db/tables/${f}.ts`), old, old);
    utimesSync(join(dir, `dist/db/tables/${f}.js`), built, built);
  }
  const index = join(dir, 'db/tables/index.ts');
  expect(usableTwin(index, dir)).toBe(join(dir, 'dist/db/tables/index.js'));
  utimesSync(join(dir, 'db/tables/users.ts'), new Date(3000_000), new Date(3000_000));
  expect(compiledTwin(index, dir)).toBe(join(dir, 'dist/db/tables/index.js'));
  expect(usableTwin(index, dir)).toBeUndefined();
});
