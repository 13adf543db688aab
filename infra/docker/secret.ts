/**
 * Secret detection by shape, not instanceof: a workspace file loaded by jiti (edited sources, or a
 * workspace outside this package) gets its own copy of infra/resource.ts, hence its own Secret class.
 */
export interface SecretLike {
  reveal(): string;
}

export function isSecret(value: unknown): value is SecretLike {
  return typeof value === 'object' && value !== null && typeof (value as { reveal?: unknown }).reveal === 'function';
}
