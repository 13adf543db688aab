/** The autogenerate writer and the wsManaged reader. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { writeMigrationFile as writeMigration } from '../../../db/migration-files.js';
import { parseManaged } from '../../../db/autogen/workspace.js';
import { writeRevision } from '../../../db/revision.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('autogenerate writes where ws db revision writes', () => {
  it('same folder, ordered names, never overwrites', async () => {
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
