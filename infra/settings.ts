/**
 * The workspace settings model: what `workspace/settings.ts` declares with `defineWorkspace`,
 * and the resolved, frozen form every command receives (see load-settings.ts).
 * This module has no runtime dependencies so that the user's settings file loads fast.
 */
export type InfraName = 'docker' | 'aws';
export const INFRAS: readonly InfraName[] = ['docker', 'aws'];

export interface DbSettings {
  /** Host name; for a docker env it defaults to localhost (the published port of the db container). */
  host?: string;
  /** Port; for a docker env it defaults to the published port of the db container (docker.dbPort). */
  port?: number;
  user: string;
  /** Plain value for local development only; production passwords come from DB_PASS or the secrets file. */
  password?: string;
  database: string;
}

export interface EnvSettings {
  infra: InfraName;
  db: DbSettings;
}

export interface WorkspaceSettings {
  /** Workspace name: the prefix of every resource name (`{name}-{env}-{thing}`). */
  name: string;
  defaultEnv: string;
  envs: Record<string, EnvSettings>;
  images: {
    /** The app image built from the project's Dockerfile (repo/name, without tag). */
    app: string;
    /** Tag of the app image. */
    tag: string;
    /** The Postgres image of the dev db container. */
    devDb: string;
    /** Base image of the Dockerfile, passed as build arg NODE_IMAGE. */
    node: string;
  };
  docker: {
    /** Host port published for the dev db container. */
    dbPort: number;
    /** Host port published for the dev api container. */
    apiPort: number;
  };
  aws: {
    region: string;
    /** Image URI the prd task definition runs. */
    image: string;
    subnets: string[];
    /** Empty: ws creates a security group for the service in the subnets' VPC. */
    securityGroups: string[];
    cpu: number;
    memory: number;
    desiredCount: number;
  };
  /** The seed's prd_db_enabled: drives MIGRATE_DB in the prd container env. */
  prdDbEnabled: boolean;
  /** Port the app listens on inside its container. */
  appPort: number;
}

/** What a settings file may leave out; the loader fills in the defaults. */
export type WorkspaceInput = Pick<WorkspaceSettings, 'name' | 'envs'> &
  Partial<Omit<WorkspaceSettings, 'name' | 'envs' | 'images' | 'docker' | 'aws'>> & {
    images?: Partial<WorkspaceSettings['images']>;
    docker?: Partial<WorkspaceSettings['docker']>;
    aws?: Partial<WorkspaceSettings['aws']>;
  };

/** Identity function that types a settings file (kysely-ctl's defineConfig pattern). */
export function defineWorkspace(input: WorkspaceInput): WorkspaceInput {
  return input;
}

/** A database connection, resolved for one env. */
export interface DbConnection {
  host: string;
  port: number;
  user: string;
  password: string | undefined;
  database: string;
  /** Where the connection came from, for messages (never contains the password). */
  source: string;
}

export interface ResolvedWorkspace extends Readonly<Omit<WorkspaceSettings, 'envs'>> {
  /** Absolute path of the workspace root (the folder that holds workspace/settings.ts). */
  readonly root: string;
  readonly settingsFile: string;
  readonly envs: Readonly<Record<string, Readonly<EnvSettings>>>;
}
