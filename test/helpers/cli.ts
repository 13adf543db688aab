/** Runs the built `ws` binary as a process (npm test builds dist/ first). */
import { execa } from 'execa';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const WS_BIN = fileURLToPath(new URL('../../bin/ws.js', import.meta.url));

/** Environment without the caller's DB_* / DATABASE_URL / WS_* overrides, plus the given ones. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(DB_|DATABASE_URL$|AWS_)/.test(k)) continue;
    if (/^WS_/.test(k) && !/^WS_(DEV_DB_IMAGE|NODE_IMAGE|TEST_)/.test(k)) continue;
    env[k] = v;
  }
  return { ...env, ...extra };
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function ws(args: readonly string[], options: { env?: Record<string, string | undefined>; cwd?: string; input?: string; timeout?: number } = {}): Promise<RunResult> {
  const r = await execa('node', [WS_BIN, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: cleanEnv(options.env),
    extendEnv: false,
    reject: false,
    timeout: options.timeout ?? 60_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}
