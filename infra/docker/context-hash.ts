/**
 * The content hash of an image's inputs: the files of the build context that .dockerignore lets
 * through, the Dockerfile and the build args. Stored as a label on the built image, it tells `up`
 * whether a rebuild is needed without asking docker to build (which is slower even when cached).
 */
import { createHash } from 'node:crypto';
import { readFile, readdir, readlink, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canPrune, isIgnored, parseDockerignore, type IgnorePattern } from './dockerignore.js';
import type { ImageSpec } from './resources.js';

async function listFiles(root: string, patterns: readonly IgnorePattern[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    const entries = await readdir(rel ? join(root, rel) : root, { withFileTypes: true });
    await Promise.all(
      entries.map(async (e) => {
        const path = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (!canPrune(path, patterns)) await walk(path);
        } else if ((e.isFile() || e.isSymbolicLink()) && !isIgnored(path, patterns)) out.push(path);
      }),
    );
  };
  await walk('');
  return out.sort();
}

async function fileDigest(root: string, rel: string): Promise<string> {
  const full = join(root, rel);
  const info = await stat(full).catch(() => undefined);
  if (!info) return `link:${await readlink(full)}`; // dangling symlink: its target text
  if (info.isDirectory()) return `dir-link:${await readlink(full)}`;
  const exec = info.mode & 0o111 ? 'x' : '-';
  return `${exec}${createHash('sha256').update(await readFile(full)).digest('hex')}`;
}

export async function contextHash(spec: ImageSpec): Promise<string> {
  const ignoreText = await readFile(join(spec.context, '.dockerignore'), 'utf8').catch(() => '');
  const files = await listFiles(spec.context, parseDockerignore(ignoreText));
  if (!files.includes(spec.dockerfile)) files.push(spec.dockerfile);
  const digests = await Promise.all(files.map((f) => fileDigest(spec.context, f)));
  const hash = createHash('sha256');
  hash.update(`dockerfile=${spec.dockerfile}\n`);
  for (const k of Object.keys(spec.buildArgs).sort()) hash.update(`arg ${k}=${spec.buildArgs[k]}\n`);
  files.forEach((f, i) => hash.update(`${f}\0${digests[i]}\n`));
  return hash.digest('hex');
}

/** Build args as a label value: NAME=value, long values (certificates) as a short hash. */
export function buildArgsLabel(args: Readonly<Record<string, string>>): string {
  return Object.keys(args)
    .sort()
    .map((k) => `${k}=${shortValue(args[k]!)}`)
    .join(';');
}

export function shortValue(v: string): string {
  return v.length > 64 || /[;\n]/.test(v) ? `sha256:${createHash('sha256').update(v).digest('hex').slice(0, 12)}` : v;
}

export function parseBuildArgsLabel(label: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (label ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}
