/**
 * The one module that executes docker (argv arrays, never a shell). It passes secret values
 * through the client's environment, redacts them from everything it logs or reports, and maps the
 * ways the engine can be unreachable to one clear error.
 *
 * It spawns with node:child_process rather than execa: importing execa costs ~80 ms here, more than
 * four `docker ps` runs, and every `ws up` pays it before its first docker call (bench/up-noop.mjs).
 */
import { spawn } from 'node:child_process';
import { WsError } from '../../cli/errors.js';
import type { DockerInvocation } from './commands.js';

export interface RunOptions {
  /** Kill docker and fail after this long (default: no limit). */
  readonly timeoutMs?: number;
  /** Called with each output line (stdout and stderr), redacted. */
  readonly onLine?: (line: string) => void;
  /** Return non-zero exits instead of throwing. */
  readonly allowFailure?: boolean;
}

export interface RunResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface DockerRunner {
  run(inv: DockerInvocation | readonly string[], opts?: RunOptions): Promise<RunResult>;
  /** Runs with the terminal attached (exec, logs) and returns docker's exit code. */
  attached(inv: DockerInvocation | readonly string[]): Promise<number>;
  /** Values to redact from every log line and error from now on. */
  addSecrets(values: Iterable<string>): void;
  redact(text: string): string;
}

/** The Docker engine is not installed, not running or not reachable. */
export class DockerUnavailableError extends WsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DockerUnavailableError';
  }
}

/** A docker command exited non-zero; `stderr` is already redacted. */
export class DockerCommandError extends WsError {
  constructor(
    message: string,
    readonly dockerExitCode: number,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'DockerCommandError';
  }
}

const UNREACHABLE = /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|permission denied while trying to connect to the Docker daemon/i;

/**
 * Replaces secret values with ****. Values shorter than 6 characters (a dev password such as "ai")
 * are replaced only where they stand alone (after '=', ':', a quote or a space), so that they do
 * not mangle every word that contains them.
 */
export function redactText(text: string, secrets: Iterable<string>): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 6) out = out.split(s).join('****');
    else if (s.length > 0) {
      const escaped = s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      out = out.replace(new RegExp(`(^|[\\s=:'"])${escaped}(?=$|[\\s'",;@])`, 'gm'), '$1****');
    }
  }
  return out;
}

/** `docker run --detach ...` for logs: long arguments (a CA bundle as build arg) shortened. */
export function displayArgv(argv: readonly string[]): string {
  return argv.map((a) => (a.length > 80 ? `${a.slice(0, 40)}…(${a.length} chars)` : /[\s"'$]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

export function unavailableMessage(stderr: string): string | undefined {
  const line = stderr.split('\n').find((l) => UNREACHABLE.test(l));
  if (!line) return undefined;
  if (/permission denied/i.test(line)) return `cannot use the Docker engine: ${line.trim()} (add your user to the docker group, or run with sudo)`;
  return `the Docker engine is not running or not reachable: ${line.replace(/^error:\s*/i, '').trim()} (start Docker — e.g. \`sudo systemctl start docker\` or \`dockerd\` — and retry)`;
}

function notInstalled(cause: unknown): DockerUnavailableError {
  return new DockerUnavailableError('docker is not installed: no `docker` command on PATH (install Docker Engine: https://docs.docker.com/engine/install/)', { cause });
}

const osSignals: Record<string, number> = { SIGINT: 2, SIGTERM: 15, SIGKILL: 9, SIGHUP: 1 };

export function createRunner(options: { log?: (line: string) => void } = {}): DockerRunner {
  const secrets = new Set<string>();
  const redact = (text: string) => redactText(text, secrets);
  const normalize = (inv: DockerInvocation | readonly string[]): DockerInvocation => ('argv' in inv ? (inv as DockerInvocation) : { argv: inv as readonly string[] });
  const childEnv = (inv: DockerInvocation): Record<string, string> => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(inv.secretEnv ?? {})) {
      secrets.add(v.reveal());
      env[k] = v.reveal();
    }
    return env;
  };

  return {
    addSecrets(values) {
      for (const v of values) if (v) secrets.add(v);
    },
    redact,

    async run(input, opts = {}) {
      const inv = normalize(input);
      options.log?.(`$ ${redact(displayArgv(inv.argv))}`);
      const r = await spawnCaptured(inv.argv, childEnv(inv), opts.timeoutMs, opts.onLine && ((line) => opts.onLine!(redact(line))));
      const stderr = redact(r.stderr);
      if (r.timedOut) {
        throw new DockerUnavailableError(`docker ${inv.argv[1] ?? ''} did not answer within ${Math.round((opts.timeoutMs ?? 0) / 1000)} s: is the Docker engine running and reachable${process.env.DOCKER_HOST ? ` at DOCKER_HOST=${process.env.DOCKER_HOST}` : ''}?`);
      }
      if (r.exitCode !== 0) {
        const unavailable = unavailableMessage(stderr);
        if (unavailable) throw new DockerUnavailableError(unavailable);
        if (!opts.allowFailure) {
          const detail = stderr.trim().split('\n').slice(-10).join('\n') || `exit code ${r.exitCode}`;
          throw new DockerCommandError(`docker ${inv.argv.slice(1, 3).join(' ')} failed: ${detail}`, r.exitCode, stderr);
        }
      }
      return { exitCode: r.exitCode, stdout: r.stdout, stderr };
    },

    async attached(input) {
      const inv = normalize(input);
      options.log?.(`$ ${redact(displayArgv(inv.argv))}`);
      const [file, ...args] = inv.argv;
      const child = spawn(file!, args, { env: { ...process.env, ...childEnv(inv) }, stdio: 'inherit' });
      return new Promise<number>((resolve, reject) => {
        child.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'ENOENT' ? notInstalled(e) : e));
        child.once('close', (code, signal) => resolve(code ?? (signal ? 128 + (osSignals[signal] ?? 0) : 1)));
      });
    },
  };
}

interface Captured {
  exitCode: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs argv without a shell, collecting stdout/stderr, optionally streaming lines of both. */
function spawnCaptured(argv: readonly string[], env: Record<string, string>, timeoutMs: number | undefined, onLine: ((line: string) => void) | undefined): Promise<Captured> {
  const [file, ...args] = argv;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let pending = '';
    let timedOut = false;
    const lines = (chunk: Buffer) => {
      if (!onLine) return;
      const parts = (pending + chunk.toString('utf8')).split(/\r?\n/);
      pending = parts.pop() ?? '';
      for (const l of parts) if (l.trim()) onLine(l);
    };
    child.stdout.on('data', (c: Buffer) => (out.push(c), lines(c)));
    child.stderr.on('data', (c: Buffer) => (err.push(c), lines(c)));
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, timeoutMs)
      : undefined;
    child.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(e.code === 'ENOENT' ? notInstalled(e) : e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (onLine && pending.trim()) onLine(pending);
      resolve({ exitCode: code ?? 1, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}
