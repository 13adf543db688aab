/** SSM Parameter Store verbs (SecureString parameters) over a narrow client. Values never appear in errors. */
import type { Sender } from './clients.js';
import { attempt, deleteIfPresent } from './errors.js';
import type { Tags } from './resources.js';

const sdk = () => import('@aws-sdk/client-ssm');

export interface ParameterInfo {
  readonly type: string;
  readonly value: string;
  readonly version: number;
}

/** The named parameters that exist, decrypted (batches of 10, the API's limit). */
export async function getParameters(ssm: Sender, names: readonly string[]): Promise<Map<string, ParameterInfo>> {
  const { GetParametersCommand } = await sdk();
  const found = new Map<string, ParameterInfo>();
  for (let i = 0; i < names.length; i += 10) {
    const batch = names.slice(i, i + 10);
    const out = await attempt(`get parameters ${batch.join(', ')}`, () => ssm.send(new GetParametersCommand({ Names: batch, WithDecryption: true })));
    for (const p of (out.Parameters ?? []) as { Name?: string; Type?: string; Value?: string; Version?: number }[]) {
      if (p.Name) found.set(p.Name, { type: p.Type ?? '', value: p.Value ?? '', version: p.Version ?? 0 });
    }
  }
  return found;
}

export async function parameterTags(ssm: Sender, name: string): Promise<Record<string, string>> {
  const { ListTagsForResourceCommand } = await sdk();
  const out = await attempt(`list tags of parameter ${name}`, () => ssm.send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name })));
  return Object.fromEntries(((out.TagList ?? []) as { Key?: string; Value?: string }[]).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** Creates (with tags) or overwrites a SecureString parameter. */
export async function putParameter(ssm: Sender, p: { name: string; value: string; description: string; overwrite: boolean; tags?: Tags }): Promise<void> {
  const { PutParameterCommand, AddTagsToResourceCommand } = await sdk();
  const what = `${p.overwrite ? 'update' : 'create'} parameter ${p.name}`;
  await attempt(what, () =>
    ssm.send(
      new PutParameterCommand({
        Name: p.name,
        Value: p.value,
        Type: 'SecureString',
        Description: p.description,
        Overwrite: p.overwrite,
        ...(!p.overwrite && p.tags ? { Tags: Object.entries(p.tags).map(([Key, Value]) => ({ Key, Value })) } : {}),
      }),
    ),
  );
  if (p.overwrite && p.tags) {
    const tags = p.tags;
    await attempt(`tag parameter ${p.name}`, () =>
      ssm.send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: p.name, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
    );
  }
}

export async function deleteParameter(ssm: Sender, name: string): Promise<void> {
  const { DeleteParameterCommand } = await sdk();
  await deleteIfPresent(`delete parameter ${name}`, 'ParameterNotFound', () => ssm.send(new DeleteParameterCommand({ Name: name })));
}
