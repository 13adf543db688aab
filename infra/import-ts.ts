/**
 * Imports the user's TypeScript files (settings, resources, tables, migrations) at run time with jiti,
 * so edits need no build step. jiti is loaded on first use only: `ws --help` never pays for it.
 */
import { pathToFileURL } from 'node:url';

type Jiti = { import: (id: string, opts?: { default?: boolean }) => Promise<unknown> };
let jiti: Jiti | undefined;

export async function importTs<T = unknown>(file: string, opts: { default?: boolean } = { default: true }): Promise<T> {
  if (!jiti) {
    const { createJiti } = await import('jiti');
    jiti = createJiti(import.meta.url, { moduleCache: false, interopDefault: true }) as Jiti;
  }
  return (await jiti.import(pathToFileURL(file).href, opts)) as T;
}
