/** Progress on stderr: one redrawn line on a terminal, plain lines in CI / with NO_COLOR / when piped. */
import type { ApplyReporter } from '../infra/driver.js';
import { isInteractive } from './output.js';

export interface Progress extends ApplyReporter {
  /** A line that stays (step finished). */
  done(message: string): void;
  stop(): void;
}

export async function createProgress(stream: NodeJS.WriteStream = process.stderr): Promise<Progress> {
  if (!isInteractive(stream) || 'NO_COLOR' in process.env) {
    return { progress: (m) => void stream.write(`${m}\n`), done: (m) => void stream.write(`${m}\n`), stop: () => undefined };
  }
  const { createLogUpdate } = await import('log-update');
  const draw = createLogUpdate(stream);
  return {
    progress: (m) => draw(m),
    done: (m) => {
      draw.clear();
      stream.write(`${m}\n`);
    },
    stop: () => draw.done(),
  };
}
