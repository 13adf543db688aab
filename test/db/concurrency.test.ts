import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { ws } from '../helpers/cli.js';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(async () => tdb?.drop());

it('10 processes running ws db migrate at once on a fresh database: all exit 0, each migration applied once', async () => {
  const runs = await Promise.all(Array.from({ length: 10 }, () => ws(['db', 'migrate'], { env: { DATABASE_URL: tdb.url }, timeout: 90_000 })));
  for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
  const appliedBy = runs.filter((r) => r.stdout.includes('applied 20261125000000_initialize_db'));
  expect(appliedBy).toHaveLength(1);
  expect(runs.filter((r) => r.stdout.includes('nothing to migrate'))).toHaveLength(9);
  const { rows } = await tdb.query(`select name from kysely_migration`);
  expect(rows).toEqual([{ name: '20261125000000_initialize_db' }]);
}, 120_000);
