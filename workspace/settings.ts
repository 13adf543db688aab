/**
 * The workspace settings. Every value can be overridden without editing this file:
 * see the README ("Configuration") for the environment variables and their precedence.
 */
import { defineWorkspace } from '../infra/settings.js';

export default defineWorkspace({
  name: 'ai',
  defaultEnv: 'dev',
  envs: {
    // dev runs on the local Docker engine; the db is the ai-db container on localhost:docker.dbPort
    dev: { infra: 'docker', db: { user: 'ai', password: 'ai-dev-password', database: 'ai' } },
    // prd runs on AWS ECS; its password comes from DB_PASS (workspace/secrets/prd.env -> SSM), never from here
    prd: { infra: 'aws', db: { host: 'ai-prd-db.internal', port: 5432, user: 'ai', database: 'ai' } },
  },
  images: { app: 'ai-api', tag: 'dev', devDb: 'postgres:17', node: 'node:20-bookworm-slim' },
  docker: { dbPort: 5432, apiPort: 8000 },
  aws: {
    region: 'us-east-1',
    image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/ai-api:prd',
    subnets: [],
    securityGroups: [],
    cpu: 512,
    memory: 1024,
    desiredCount: 1,
  },
  // the seed's prd_db_enabled: migrate the prd database when the container starts (MIGRATE_DB)
  prdDbEnabled: true,
  appPort: 8000,
});
