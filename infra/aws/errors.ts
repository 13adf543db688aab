/**
 * AWS errors in ws's words: every wrapper call wraps its failure as "verb object: cause" (copilot's
 * pattern) with the cause translated into what to do (credentials, region, access, throttling,
 * endpoint). Small typed errors exist where callers branch on them.
 */
import { WsError } from '../../cli/errors.js';

/** The SDK error name (ClusterNotFoundException, AccessDenied, ...), or undefined. */
export function awsErrorName(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const e = error as { name?: unknown; Code?: unknown; code?: unknown };
  const name = typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : undefined;
  return name;
}

export function isAwsError(error: unknown, ...names: string[]): boolean {
  const name = awsErrorName(error);
  return name !== undefined && names.includes(name);
}

const THROTTLING = ['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ThrottledException', 'RequestThrottled', 'RequestThrottledException'];
const ACCESS_DENIED = ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnrecognizedClientException', 'InvalidClientTokenId', 'ExpiredToken', 'ExpiredTokenException'];

export function isThrottling(error: unknown): boolean {
  return isAwsError(error, ...THROTTLING);
}

/** The cause, rewritten so that it says what to do. Pure. */
export function explainAwsError(error: unknown): string {
  const name = awsErrorName(error);
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /could not load credentials/i.test(message)) {
    return 'no AWS credentials found: set AWS_PROFILE (or run aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  if (/region is missing/i.test(message)) return 'no AWS region: set aws.region in workspace/settings.ts or AWS_REGION';
  if (name && ACCESS_DENIED.includes(name)) {
    return `access denied (${name}): ${message} — the credentials in use lack this permission, or have expired`;
  }
  if (name && THROTTLING.includes(name)) {
    return `AWS kept throttling the requests after the SDK's retries (${name}): wait a minute and run the command again`;
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || /ECONNREFUSED|getaddrinfo/.test(message)) {
    return `cannot reach the AWS endpoint (${message})${process.env.AWS_ENDPOINT_URL ? `: is AWS_ENDPOINT_URL=${process.env.AWS_ENDPOINT_URL} running?` : ''}`;
  }
  if (/Deserialization error|is not valid JSON|XML parse error/.test(message)) {
    const status = (error as { $metadata?: { httpStatusCode?: number }; $response?: { statusCode?: number } })?.$response?.statusCode ?? (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
    return `the endpoint answered with something that is not an AWS response${status ? ` (HTTP ${status})` : ''}: does ${process.env.AWS_ENDPOINT_URL ?? 'the endpoint'} support this call?`;
  }
  return name && !message.includes(name) && name !== 'Error' ? `${name}: ${message}` : message;
}

/** Wraps a failure as "verb object: cause"; WsErrors from inner calls keep their message. */
export function wrapAws(what: string, error: unknown): WsError {
  if (error instanceof WsError) return error;
  return new WsError(`${what}: ${explainAwsError(error)}`, { cause: error });
}

/** Runs an SDK call and wraps its failure. */
export async function attempt<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw wrapAws(what, error);
  }
}

/** A delete that is done when the thing is already gone (`missing`: the service's not-found error code). */
export async function deleteIfPresent(what: string, missing: string, call: () => Promise<unknown>, options: { wrap?: boolean } = {}): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (isAwsError(error, missing)) return;
    throw options.wrap === false ? error : wrapAws(what, error);
  }
}

export class ClusterNotFoundError extends WsError {
  constructor(readonly cluster: string) {
    super(`cluster ${cluster} does not exist: run ws up -e <env> -i aws first`);
    this.name = 'ClusterNotFoundError';
  }
}

export class ServiceNotFoundError extends WsError {
  constructor(readonly service: string, readonly cluster: string) {
    super(`service ${service} does not exist in cluster ${cluster}: run ws up -e <env> -i aws first`);
    this.name = 'ServiceNotFoundError';
  }
}

export class SubnetNotFoundError extends WsError {
  constructor(readonly subnets: readonly string[], region: string) {
    super(`subnet ${subnets.join(', ')} does not exist in ${region}: check aws.subnets in workspace/settings.ts or WS_AWS_SUBNETS`);
    this.name = 'SubnetNotFoundError';
  }
}

/** A service rollout that failed (circuit breaker, rollout FAILED, tasks stopping) or timed out. */
export class RolloutError extends WsError {
  constructor(message: string, readonly reasons: readonly string[]) {
    super(reasons.length ? `${message}:\n${reasons.map((r) => `  - ${r}`).join('\n')}` : message);
    this.name = 'RolloutError';
  }
}
