import { describeConnection, resolveDbConnection, varsForEnv } from '../../db/connection.js';
import { loadContext } from '../context.js';

export async function runConfig(opts: { env?: string; json?: boolean }): Promise<void> {
  const ctx = await loadContext(opts);
  const { settings } = ctx;
  const conn = resolveDbConnection(settings, ctx.env, varsForEnv(ctx, ctx.env));
  const masked = {
    ...settings,
    envs: Object.fromEntries(
      Object.entries(settings.envs).map(([name, e]) => [name, { ...e, db: { ...e.db, ...(e.db.password !== undefined ? { password: '****' } : {}) } }]),
    ),
    env: ctx.env,
    db: { ...conn, password: conn.password === undefined ? undefined : '****', url: describeConnection(conn) },
  };
  if (opts.json) return ctx.out.json(masked);
  ctx.out.result(`workspace   ${settings.name}  (${settings.settingsFile})`);
  ctx.out.result(`env         ${ctx.env} (${settings.envs[ctx.env]!.infra})   envs: ${Object.keys(settings.envs).join(', ')}`);
  ctx.out.result(`database    ${describeConnection(conn)}  [${conn.source}]`);
  ctx.out.result(`images      app ${settings.images.app}:${settings.images.tag}  db ${settings.images.devDb}  node ${settings.images.node}`);
  ctx.out.result(`docker      db port ${settings.docker.dbPort}  api port ${settings.docker.apiPort}`);
  ctx.out.result(`aws         region ${settings.aws.region}  image ${settings.aws.image || '(unset)'}  subnets ${settings.aws.subnets.join(',') || '(none)'}  security groups ${settings.aws.securityGroups.join(',') || '(created)'}`);
  ctx.out.result(`prdDbEnabled ${settings.prdDbEnabled}`);
}
