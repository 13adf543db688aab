/** The autogenerate writer and workspace readers restate a few things of db/migrator.ts and db/revision.ts: they must agree. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nextStamp, slug, writeMigration } from '../../../db/autogen/write.js';
import { MIGRATION_FILE, MIGRATIONS_DIR, parseManaged } from '../../../db/autogen/workspace.js';
import * as migrator from '../../../db/migrator.js';
import { nextTimestamp, slugify, writeRevision } from '../../../db/revision.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('agreement with db/migrator.ts and db/revision.ts', () => {
  it('same migrations folder and file pattern', () => {
    expect(MIGRATIONS_DIR).toBe(migrator.MIGRATIONS_DIR);
    expect(MIGRATION_FILE.source).toBe(migrator.MIGRATION_FILE.source);
  });
  it('same slugs and timestamps', () => {
    for (const m of ['Initialize DB', 'Add  "name" to users!', 'Çà et là', 'x'.repeat(80)]) expect(slug(m)).toBe(slugify(m));
    const now = new Date(Date.UTC(2026, 10, 25, 9, 30, 0));
    for (const existing of [[], ['20261125093000_a.ts'], ['20301231235959_future.ts', 'README.md']]) expect(nextStamp(existing, now)).toBe(nextTimestamp(existing, now));
    expect(() => slug('!!!')).toThrow(/at least one letter or digit/);
  });
  it('writes where writeRevision writes, and never overwrites', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ws-write-'));
    mkdirSync(join(dir, 'db', 'migrations'), { recursive: true });
    const now = new Date(Date.UTC(2026, 10, 25, 9, 30, 0));
    const a = await writeMigration(dir, 'Initialize DB', 'export async function up() {}\n', now);
    const b = await writeRevision(dir, 'Initialize DB', 'export async function up() {}\n', now);
    expect(a.endsWith('20261125093000_initialize_db.ts')).toBe(true);
    expect(b.endsWith('20261125093001_initialize_db.ts')).toBe(true);
    const c = await writeMigration(dir, 'Initialize DB', '', now);
    expect(c.endsWith('20261125093002_initialize_db.ts')).toBe(true);
    expect(readdirSync(join(dir, 'db', 'migrations'))).toHaveLength(3);
  });
});

describe('wsManaged is read from the migration text', () => {
  it('as emitted, reformatted, or absent', () => {
    expect(parseManaged("export const wsManaged = { tables: ['dim_users', 'orders'], enums: [] };")).toEqual({ tables: ['dim_users', 'orders'], enums: [] });
    expect(parseManaged('export const wsManaged = {\n  tables: [\n    "a",\n    \'b\',\n  ],\n  enums: ["e"],\n};')).toEqual({ tables: ['a', 'b'], enums: ['e'] });
    expect(parseManaged("export async function up() {}")).toBeNull();
  });
});
