/**
 * Imports the user's TypeScript files (settings, resources, tables, migrations) at run time.
 * When the build has up-to-date compiled twins (dist/<same path>.js, newer than the source) of the
 * file and of every other .ts file in its folder (what it may import: db/tables/index.ts imports
 * users.ts) it is imported natively; otherwise jiti transpiles the source, so edits never need a build.
 * jiti is loaded on first use only: `ws --help` never pays for it.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

type Jiti = { import: (id: string, opts?: { default?: boolean }) => Promise<unknown> };
let jiti: Jiti | undefined;

/** The package root when running from dist/ (the compiled CLI), else undefined (tests run the sources). */
const here = fileURLToPath(import.meta.url);
const packageRoot = here.includes(`${sep}dist${sep}infra${sep}`) ? join(here, '..', '..', '..') : undefined;

export function compiledTwin(file: string, root: string | undefined = packageRoot): string | undefined {
  if (!root || !file.endsWith('.ts')) return undefined;
  const rel = relative(root, file);
  if (rel.startsWith('..') || rel.startsWith(`dist${sep}`)) return undefined;
  const twin = join(root, 'dist', rel.replace(/\.ts$/, '.js'));
  try {
    return statSync(twin).mtimeMs >= statSync(file).mtimeMs ? twin : undefined;
  } catch {
    return undefined;
  }
}

/** The twin of `file` when every .ts file of its folder has an up-to-date twin, else undefined. */
export function usableTwin(file: string, root: string | undefined = packageRoot): string | undefined {
  const twin = compiledTwin(file, root);
  if (!twin) return undefined;
  const dir = dirname(file);
  const siblings = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));
  return siblings.every((f) => compiledTwin(join(dir, f), root) !== undefined) ? twin : undefined;
}

export async function importTs<T = unknown>(file: string, opts: { default?: boolean } = { default: true }): Promise<T> {
  const twin = usableTwin(file);
  if (twin) {
    const mod = (await import(pathToFileURL(twin).href)) as Record<string, unknown>;
    return (opts.default === false ? mod : (mod.default ?? mod)) as T;
  }
  if (!jiti) {
    const { createJiti } = await import('jiti');
    jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: true }) as Jiti;
  }
  return (await jiti.import(pathToFileURL(file).href, opts)) as T;
}
