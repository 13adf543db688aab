/**
 * The SDK clients, created lazily: each @aws-sdk/client-* module is imported the first time a
 * wrapper needs it (they cost 150-300 ms each to load), never by `ws --help`, docker or db commands.
 * Default credential chain; region from settings (AWS_REGION overrides it in the settings loader);
 * AWS_ENDPOINT_URL honoured (LocalStack, moto); the SDK's adaptive retry strategy.
 */
import type { DriverContext } from '../driver.js';

/** The narrow interface every wrapper takes: SDK clients satisfy it, tests inject fakes. */
export interface Sender {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any): Promise<any>;
}

export interface AwsClients {
  readonly ecs: Sender;
  readonly ssm: Sender;
  readonly iam: Sender;
  readonly logs: Sender;
  readonly ec2: Sender;
}

export type ServiceKey = keyof AwsClients;

export interface ClientConfig {
  readonly region: string;
  readonly endpoint?: string;
  readonly maxAttempts: number;
  readonly retryMode: 'adaptive' | 'standard';
}

/** Pure: the client configuration of an env. */
export function clientConfig(ctx: Pick<DriverContext, 'settings' | 'vars'>): ClientConfig {
  const endpoint = ctx.vars.AWS_ENDPOINT_URL || undefined;
  const attempts = Number(ctx.vars.AWS_MAX_ATTEMPTS);
  return {
    region: ctx.settings.aws.region,
    ...(endpoint ? { endpoint } : {}),
    maxAttempts: Number.isInteger(attempts) && attempts > 0 ? attempts : 8,
    retryMode: ctx.vars.AWS_RETRY_MODE === 'standard' ? 'standard' : 'adaptive',
  };
}

/** Lazily created clients, with injected ones taking precedence (tests). */
export class ClientPool {
  readonly #config: ClientConfig;
  readonly #given: Partial<AwsClients>;
  readonly #made = new Map<ServiceKey, Promise<Sender & { destroy?: () => void }>>();

  constructor(config: ClientConfig, given: Partial<AwsClients> = {}) {
    this.#config = config;
    this.#given = given;
  }

  get region(): string {
    return this.#config.region;
  }

  get endpoint(): string | undefined {
    return this.#config.endpoint;
  }

  async get(key: ServiceKey): Promise<Sender> {
    const given = this.#given[key];
    if (given) return given;
    let made = this.#made.get(key);
    if (!made) {
      made = create(key, this.#config);
      this.#made.set(key, made);
    }
    return made;
  }

  ecs(): Promise<Sender> {
    return this.get('ecs');
  }
  ssm(): Promise<Sender> {
    return this.get('ssm');
  }
  iam(): Promise<Sender> {
    return this.get('iam');
  }
  logs(): Promise<Sender> {
    return this.get('logs');
  }
  ec2(): Promise<Sender> {
    return this.get('ec2');
  }

  /** Closes the sockets of the clients this pool created. */
  async close(): Promise<void> {
    for (const made of this.#made.values()) (await made.catch(() => undefined))?.destroy?.();
    this.#made.clear();
  }
}

async function create(key: ServiceKey, config: ClientConfig): Promise<Sender & { destroy?: () => void }> {
  // the SDK warns on every run under Node 20 about its future versions; ws supports Node >= 20
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const options = {
    region: config.region,
    maxAttempts: config.maxAttempts,
    retryMode: config.retryMode,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  };
  switch (key) {
    case 'ecs':
      return new (await import('@aws-sdk/client-ecs')).ECSClient(options);
    case 'ssm':
      return new (await import('@aws-sdk/client-ssm')).SSMClient(options);
    case 'iam':
      return new (await import('@aws-sdk/client-iam')).IAMClient(options);
    case 'logs':
      return new (await import('@aws-sdk/client-cloudwatch-logs')).CloudWatchLogsClient(options);
    case 'ec2':
      return new (await import('@aws-sdk/client-ec2')).EC2Client(options);
  }
}
