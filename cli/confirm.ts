/** Asks for confirmation on a terminal; refuses rather than hangs without one. */
import { createInterface } from 'node:readline/promises';
import { UsageError } from './errors.js';

export async function confirm(question: string, opts: { yes?: boolean; stdin?: NodeJS.ReadStream } = {}): Promise<boolean> {
  if (opts.yes) return true;
  const stdin = opts.stdin ?? process.stdin;
  if (!stdin.isTTY) throw new UsageError('refusing to apply without confirmation: standard input is not a terminal (pass --yes, or --dry-run to only see the plan)');
  const rl = createInterface({ input: stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}
