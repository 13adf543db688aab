/**
 * Imports the user's TypeScript files (settings, resources, tables, migrations) at run time.
 * When the build has an up-to-date compiled twin (dist/<same path>.js, newer than the source) it is
 * imported natively; otherwise jiti transpiles the source, so edits never need a build step.
 * jiti is loaded on first use only: `ws --help` never pays for it.
 */
import { statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
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

export async function importTs<T = unknown>(file: string, opts: { default?: boolean } = { default: true }): Promise<T> {
  const twin = compiledTwin(file);
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
