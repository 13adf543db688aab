/**
 * The error types callers branch on, and the one place that maps them to exit codes:
 * 0 ok, 1 failure, 2 usage error (see DESIGN.md section 7).
 */
export class WsError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'WsError';
    this.exitCode = options.exitCode ?? 1;
  }
}

/** Bad input from the user: a flag, a filter value, a settings field. Exit code 2. */
export class UsageError extends WsError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { ...options, exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** Invalid workspace settings: names the field and where the value came from. Exit code 2. */
export class SettingsError extends UsageError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'SettingsError';
  }
}

/** Wraps a cause as "verb object: cause" (copilot style), keeping the cause for --debug. */
export function wrapError(what: string, cause: unknown, exitCode = 1): WsError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new WsError(`${what}: ${reason}`, { cause, exitCode });
}

export function exitCodeOf(error: unknown): number {
  if (error instanceof WsError) return error.exitCode;
  const code = (error as { exitCode?: unknown; code?: unknown })?.code;
  // commander's own usage errors carry codes such as 'commander.unknownOption'
  if (typeof code === 'string' && code.startsWith('commander.')) return 2;
  return 1;
}

export function describeError(error: unknown, debug: boolean): string {
  if (debug && error instanceof Error && error.stack) {
    let text = error.stack;
    let cause = error.cause;
    while (cause instanceof Error) {
      text += `\ncaused by: ${cause.stack ?? cause.message}`;
      cause = cause.cause;
    }
    return text;
  }
  return error instanceof Error ? error.message : String(error);
}
