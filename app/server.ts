/**
 * The small HTTP service the image runs (node:http, no framework):
 *   GET  /health         200 {status, db} when the database answers, 503 otherwise
 *   POST /users          {"email"} -> 201 with the user; bad JSON or no email -> 400
 *   GET  /users/:email   200 with the user, or 404
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sql, type Kysely } from 'kysely';
import type { DB, User } from '../db/tables/index.js';
import { createUser, getUser } from '../db/tables/user-queries.js';

export interface AppOptions {
  /** A log line (requests at debug level, errors always). */
  readonly log?: (line: string) => void;
  readonly logRequests?: boolean;
  /** How long /health waits for the database. */
  readonly healthTimeoutMs?: number;
}

const MAX_BODY_BYTES = 64 * 1024;
const EMAIL = /^[^\s@]+@[^\s@]+$/;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createApp(db: Kysely<DB>, options: AppOptions = {}): Server {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  return createServer((req, res) => {
    const started = Date.now();
    handle(db, req, res, options)
      .catch((error: unknown) => {
        if (error instanceof HttpError) return send(res, error.status, { error: error.message });
        log(`error: ${req.method} ${req.url}: ${(error as Error)?.message ?? String(error)}`);
        return send(res, 500, { error: 'internal error' });
      })
      .finally(() => {
        if (options.logRequests) log(`${req.method} ${req.url} ${res.statusCode} ${Date.now() - started}ms`);
      });
  });
}

async function handle(db: Kysely<DB>, req: IncomingMessage, res: ServerResponse, options: AppOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (path === '/health') {
    allow(req, ['GET']);
    const status = await dbStatus(db, options.healthTimeoutMs ?? 2000);
    return send(res, status.ok ? 200 : 503, { status: status.ok ? 'ok' : 'unavailable', db: status.ok ? 'ok' : 'unreachable', ...(status.error ? { error: status.error } : {}) });
  }
  if (path === '/users') {
    allow(req, ['POST']);
    const email = parseEmail(await readJson(req));
    return send(res, 201, userJson(await createUser(db, email)));
  }
  const m = /^\/users\/([^/]+)$/.exec(path);
  if (m) {
    allow(req, ['GET']);
    let email: string;
    try {
      email = decodeURIComponent(m[1]!);
    } catch {
      throw new HttpError(400, 'malformed email in the path');
    }
    const user = await getUser(db, email);
    return user ? send(res, 200, userJson(user)) : send(res, 404, { error: `no user with email ${email}` });
  }
  throw new HttpError(404, `not found: ${path}`);
}

function allow(req: IncomingMessage, methods: readonly string[]): void {
  if (!methods.includes(req.method ?? 'GET')) throw new HttpError(405, `method ${req.method} not allowed (allowed: ${methods.join(', ')})`);
}

export async function dbStatus(db: Kysely<DB>, timeoutMs: number): Promise<{ ok: boolean; error?: string }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([sql`select 1`.execute(db), timeout]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: (error as Error)?.message ?? String(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
}

export function parseEmail(body: unknown): string {
  const email = body && typeof body === 'object' && !Array.isArray(body) ? (body as { email?: unknown }).email : undefined;
  if (typeof email !== 'string' || email.trim() === '') throw new HttpError(400, 'email is required: send {"email": "..."}');
  const trimmed = email.trim();
  if (trimmed.length > 320 || !EMAIL.test(trimmed)) throw new HttpError(400, `not an email address: ${JSON.stringify(trimmed)}`);
  return trimmed;
}

export function userJson(u: User): Record<string, unknown> {
  return { id_user: String(u.id_user), email: u.email, is_active: u.is_active, created_at: u.created_at, updated_at: u.updated_at };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return void res.end();
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
