import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, parseEmail } from '../../app/server.js';
import { createMigrator, migrateUp } from '../../db/migrator.js';
import { createDb } from '../../db/session.js';
import type { DB } from '../../db/tables/index.js';
import { REPO_ROOT } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the app on a real Postgres', () => {
  let tdb: TestDatabase;
  let db: Kysely<DB>;
  let server: Server;
  let base: string;
  const logs: string[] = [];

  beforeAll(async () => {
    tdb = await createTestDatabase('ws_app');
    db = createDb<DB>(tdb.conn);
    await migrateUp(createMigrator(db, REPO_ROOT));
    server = createApp(db, { log: (l) => logs.push(l), logRequests: true });
    base = await listen(server);
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await db?.destroy();
    await tdb?.drop();
  });

  it('GET /health answers 200 with the database status', async () => {
    const r = await fetch(`${base}/health`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: 'ok', db: 'ok' });
  });

  it('POST /users creates a user (201) that GET /users/:email returns', async () => {
    const created = await fetch(`${base}/users`, { method: 'POST', body: JSON.stringify({ email: 'ada@example.com' }), headers: { 'content-type': 'application/json' } });
    expect(created.status).toBe(201);
    const user = (await created.json()) as Record<string, unknown>;
    expect(user).toMatchObject({ email: 'ada@example.com', is_active: true, updated_at: null });
    expect(user.id_user).toMatch(/^\d+$/);
    expect(new Date(user.created_at as string).getTime()).toBeGreaterThan(Date.now() - 60_000);

    const got = await fetch(`${base}/users/${encodeURIComponent('ada@example.com')}`);
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(user);
    const rows = await tdb.query('select email from dim_users where id_user = $1', [user.id_user]);
    expect(rows.rows).toEqual([{ email: 'ada@example.com' }]);
  });

  it('GET /users/:email answers 404 for an unknown email', async () => {
    const r = await fetch(`${base}/users/nobody@example.com`);
    expect(r.status).toBe(404);
    expect(await r.json()).toEqual({ error: 'no user with email nobody@example.com' });
  });

  it('answers 400 for bad JSON, a missing email or a non-email, and creates nothing', async () => {
    const before = (await tdb.query('select count(*)::int as n from dim_users')).rows[0]!.n;
    for (const body of ['{not json', '{}', '{"email": ""}', '{"email": 42}', '[]', '{"email": "no-at-sign"}']) {
      const r = await fetch(`${base}/users`, { method: 'POST', body });
      expect(r.status, body).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(/not valid JSON|email is required|not an email/);
    }
    expect((await tdb.query('select count(*)::int as n from dim_users')).rows[0]!.n).toBe(before);
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const r = await fetch(`${base}/users`);
    expect(r.status).toBe(405);
    expect((await fetch(`${base}/health`, { method: 'POST' })).status).toBe(405);
  });

  it('logs requests when asked to', () => {
    expect(logs.some((l) => /^GET \/health 200 \d+ms$/.test(l))).toBe(true);
  });
});

describe('the app without a database', () => {
  it('GET /health answers 503 when the database does not answer', async () => {
    const db = createDb<DB>({ host: '127.0.0.1', port: 1, user: 'x', password: 'x', database: 'x', source: 'test' });
    const server = createApp(db, { log: () => {} });
    const base = await listen(server);
    try {
      const r = await fetch(`${base}/health`);
      expect(r.status).toBe(503);
      expect(await r.json()).toMatchObject({ status: 'unavailable', db: 'unreachable' });
    } finally {
      await new Promise((r) => server.close(r));
      await db.destroy();
    }
  });

  it('validates the body of POST /users', () => {
    expect(parseEmail({ email: '  ada@example.com ' })).toBe('ada@example.com');
    expect(() => parseEmail(null)).toThrow('email is required');
  });
});
