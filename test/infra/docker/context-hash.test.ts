import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildArgsLabel, contextHash, parseBuildArgsLabel } from '../../../infra/docker/context-hash.js';
import { canPrune, isIgnored, parseDockerignore } from '../../../infra/docker/dockerignore.js';
import type { ImageSpec } from '../../../infra/docker/resources.js';

describe('.dockerignore matching', () => {
  const allowlist = parseDockerignore('# only these\n*\n!cli\n!package.json\ncli/secret.txt\n**/*.test.ts\n');

  it('applies the last matching pattern, with folders matching everything inside them', () => {
    expect(isIgnored('node_modules/kysely/index.js', allowlist)).toBe(true);
    expect(isIgnored('README.md', allowlist)).toBe(true);
    expect(isIgnored('cli/main.ts', allowlist)).toBe(false);
    expect(isIgnored('cli/deep/x.ts', allowlist)).toBe(false);
    expect(isIgnored('package.json', allowlist)).toBe(false);
    expect(isIgnored('cli/secret.txt', allowlist)).toBe(true);
    expect(isIgnored('cli/deep/x.test.ts', allowlist)).toBe(true);
  });

  it('supports ?, character classes, ** and leading slashes', () => {
    const p = parseDockerignore('/build?\n[ab].log\nlogs/**/*.log\n!logs/keep/**\n');
    expect(isIgnored('build1', p)).toBe(true);
    expect(isIgnored('build12', p)).toBe(false);
    expect(isIgnored('a.log', p)).toBe(true);
    expect(isIgnored('c.log', p)).toBe(false);
    expect(isIgnored('logs/x/y/z.log', p)).toBe(true);
    expect(isIgnored('logs/z.log', p)).toBe(true);
    expect(isIgnored('logs/keep/z.log', p)).toBe(false);
  });

  it('prunes ignored folders unless a ! pattern can reach inside them', () => {
    expect(canPrune('node_modules', allowlist)).toBe(true);
    expect(canPrune('cli', allowlist)).toBe(false);
    const p = parseDockerignore('docs\n!docs/keep.md\n');
    expect(canPrune('docs', p)).toBe(false);
    expect(canPrune('other', parseDockerignore('other\n!*.md\n'))).toBe(true);
  });
});

describe('build context hash', () => {
  let dir: string;
  let spec: ImageSpec;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ws-ctx-'));
    await mkdir(join(dir, 'src'));
    await mkdir(join(dir, 'node_modules', 'x'), { recursive: true });
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\n');
    await writeFile(join(dir, '.dockerignore'), 'node_modules\n*.md\n');
    await writeFile(join(dir, 'src', 'a.ts'), 'export const a = 1;\n');
    await writeFile(join(dir, 'node_modules', 'x', 'i.js'), '1');
    await writeFile(join(dir, 'README.md'), 'hi');
    spec = { tag: 't:1', context: dir, dockerfile: 'Dockerfile', buildArgs: { NODE_IMAGE: 'node:20' } };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('is stable, and changes with a context file, the Dockerfile or a build arg', async () => {
    const first = await contextHash(spec);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(await contextHash(spec)).toBe(first);
    await writeFile(join(dir, 'src', 'a.ts'), 'export const a = 2;\n');
    const second = await contextHash(spec);
    expect(second).not.toBe(first);
    await writeFile(join(dir, 'Dockerfile'), 'FROM scratch\nLABEL x=1\n');
    const third = await contextHash(spec);
    expect(third).not.toBe(second);
    expect(await contextHash({ ...spec, buildArgs: { NODE_IMAGE: 'node:22' } })).not.toBe(third);
  });

  it('ignores files that .dockerignore keeps out of the context', async () => {
    const before = await contextHash(spec);
    await writeFile(join(dir, 'README.md'), 'changed');
    await writeFile(join(dir, 'node_modules', 'x', 'i.js'), '2');
    expect(await contextHash(spec)).toBe(before);
    await writeFile(join(dir, 'src', 'new.ts'), '');
    expect(await contextHash(spec)).not.toBe(before);
  });

  it('records build args as a label, long values as a hash', () => {
    const label = buildArgsLabel({ NODE_IMAGE: 'node:20', EXTRA_CA_CERTS: '-----BEGIN CERTIFICATE-----\n' + 'x'.repeat(200) });
    expect(label).toMatch(/^EXTRA_CA_CERTS=sha256:[0-9a-f]{12};NODE_IMAGE=node:20$/);
    expect(parseBuildArgsLabel(label).NODE_IMAGE).toBe('node:20');
  });
});
