import { isAbsolute, relative } from 'node:path';
/**
 * Where output goes: results on stdout, progress and prompts on stderr (DESIGN.md section 7).
 * Colour and redraws only on a TTY, never with NO_COLOR or in CI.
 */
export interface Output {
  /** A result line on stdout. */
  result(text: string): void;
  /** A JSON result on stdout. */
  json(value: unknown): void;
  /** A progress/log line on stderr. */
  info(text: string): void;
  warn(text: string): void;
  readonly interactive: boolean;
  readonly color: boolean;
}

export function isInteractive(stream: NodeJS.WriteStream = process.stderr): boolean {
  return Boolean(stream.isTTY) && !process.env.CI && process.env.TERM !== 'dumb';
}

export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && !process.env.CI;
}

export function createOutput(): Output {
  const color = useColor();
  return {
    result: (text) => void process.stdout.write(`${text}\n`),
    json: (value) => void process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    info: (text) => void process.stderr.write(`${text}\n`),
    warn: (text) => void process.stderr.write(`${color ? '\u001b[33mwarning\u001b[0m' : 'warning'}: ${text}\n`),
    interactive: isInteractive(),
    color,
  };
}

/** A path for messages: relative when under the current folder, absolute otherwise. */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
