/**
 * The dev environment on the local Docker engine: a network, the database's volume, the Postgres
 * container ai-db and the app container ai-api built from the project's Dockerfile.
 *
 * Overrides without editing this file: WS_DEV_DB_IMAGE, WS_NODE_IMAGE, WS_DEV_DB_PORT,
 * WS_DEV_API_PORT, WS_APP_IMAGE, WS_IMAGE_TAG (settings); DB_USER / DB_PASS / DB_DATABASE
 * (workspace/secrets/dev.env, .env or the environment); LOG_LEVEL for the app;
 * WS_BUILD_CA_FILE (a PEM file npm trusts during the image build, behind a TLS-intercepting proxy).
 */
import { container, image, network, scopedName, shellQuote, volume } from '../infra/docker/resources.js';
import { defineResources, secret } from '../infra/resource.js';

export default defineResources((ctx) => {
  const { settings, env, vars } = ctx;
  const db = settings.envs[env]!.db;
  // the same precedence as `ws db migrate --env dev`: DB_* variables over the settings
  const user = vars.DB_USER ?? db.user;
  const database = vars.DB_DATABASE ?? db.database;
  const password = vars.DB_PASS ?? db.password;
  if (!password) throw new Error(`env ${env}: no database password (set envs.${env}.db.password in workspace/settings.ts or DB_PASS in workspace/secrets/${env}.env)`);

  const net = network(ctx, { name: scopedName(ctx, 'network'), group: 'db' });
  const data = volume(ctx, { name: scopedName(ctx, 'db-data'), group: 'db' });

  const dbContainer = container(ctx, {
    name: `${settings.name}-db`,
    group: 'db',
    image: settings.images.devDb,
    env: { POSTGRES_USER: user, POSTGRES_PASSWORD: secret(password), POSTGRES_DB: database },
    mounts: [{ volume: data, target: '/var/lib/postgresql/data' }],
    network: net,
    ports: [{ host: settings.docker.dbPort, container: 5432 }],
    restart: 'unless-stopped',
    // over TCP: during its first start the image runs a socket-only server while it initialises
    healthcheck: { command: `pg_isready -h 127.0.0.1 -U ${shellQuote(user)} -d ${shellQuote(database)}`, intervalS: 2, timeoutS: 5, retries: 5, startPeriodS: 120 },
  });

  const appImage = image(ctx, {
    name: scopedName(ctx, 'api-image'),
    group: 'app',
    tag: `${settings.images.app}:${settings.images.tag}`,
    buildArgs: { NODE_IMAGE: settings.images.node },
    ...(vars.WS_BUILD_CA_FILE ? { trustCaFile: vars.WS_BUILD_CA_FILE } : {}),
  });

  const port = settings.appPort;
  const api = container(ctx, {
    name: `${settings.name}-api`,
    group: 'app',
    image: appImage,
    dependsOn: [dbContainer],
    env: {
      WS_ENV: env,
      PORT: String(port),
      LOG_LEVEL: vars.LOG_LEVEL ?? 'info',
      WAIT_FOR_DB: 'true',
      MIGRATE_DB: 'true',
      DB_HOST: dbContainer.name,
      DB_PORT: '5432',
      DB_USER: user,
      DB_PASS: secret(password),
      DB_DATABASE: database,
    },
    network: net,
    ports: [{ host: settings.docker.apiPort, container: port }],
    restart: 'unless-stopped',
    healthcheck: {
      command: `node -e "fetch('http://127.0.0.1:${port}/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"`,
      intervalS: 2,
      timeoutS: 5,
      retries: 5,
      startPeriodS: 120,
    },
  });

  return [net, data, dbContainer, appImage, api];
});
