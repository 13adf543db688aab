/** IAM role verbs over a narrow client: roles with a trust policy, inline policies and tags. */
import type { Sender } from './clients.js';
import { attempt, isAwsError, wrapAws } from './errors.js';
import type { Tags } from './resources.js';

const sdk = () => import('@aws-sdk/client-iam');

export interface RoleInfo {
  readonly arn: string;
  readonly tags: Record<string, string>;
  /** The trust policy, parsed. */
  readonly trust: unknown;
}

/** IAM returns policy documents URL-encoded. */
export function decodePolicy(doc: string | undefined): unknown {
  if (!doc) return undefined;
  const text = doc.trimStart().startsWith('{') ? doc : decodeURIComponent(doc);
  return JSON.parse(text) as unknown;
}

export async function getRole(iam: Sender, name: string): Promise<RoleInfo | undefined> {
  const { GetRoleCommand } = await sdk();
  try {
    const out = await iam.send(new GetRoleCommand({ RoleName: name }));
    const role = out.Role as { Arn?: string; Tags?: { Key?: string; Value?: string }[]; AssumeRolePolicyDocument?: string };
    return { arn: role.Arn ?? '', tags: Object.fromEntries((role.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])), trust: decodePolicy(role.AssumeRolePolicyDocument) };
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return undefined;
    throw wrapAws(`get role ${name}`, error);
  }
}

export async function inlinePolicies(iam: Sender, role: string): Promise<Record<string, unknown>> {
  const { ListRolePoliciesCommand, GetRolePolicyCommand } = await sdk();
  const names: string[] = [];
  let Marker: string | undefined;
  do {
    const out = await attempt(`list policies of role ${role}`, () => iam.send(new ListRolePoliciesCommand({ RoleName: role, ...(Marker ? { Marker } : {}) })));
    names.push(...((out.PolicyNames ?? []) as string[]));
    Marker = out.IsTruncated ? out.Marker : undefined;
  } while (Marker);
  const policies: Record<string, unknown> = {};
  for (const name of names.sort()) {
    const out = await attempt(`get policy ${name} of role ${role}`, () => iam.send(new GetRolePolicyCommand({ RoleName: role, PolicyName: name })));
    policies[name] = decodePolicy(out.PolicyDocument);
  }
  return policies;
}

export async function createRole(iam: Sender, r: { name: string; trust: unknown; description: string; tags: Tags }): Promise<string> {
  const { CreateRoleCommand } = await sdk();
  const out = await attempt(`create role ${r.name}`, () =>
    iam.send(
      new CreateRoleCommand({
        RoleName: r.name,
        AssumeRolePolicyDocument: JSON.stringify(r.trust),
        Description: r.description,
        Tags: Object.entries(r.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
  return (out.Role as { Arn?: string }).Arn ?? '';
}

/** The SDK's waiter: returns at once when the role is visible, polls while IAM is eventually consistent. */
export async function waitRoleExists(iam: Sender, name: string, maxWaitSeconds = 60): Promise<void> {
  const { waitUntilRoleExists } = await sdk();
  await attempt(`wait for role ${name}`, () => waitUntilRoleExists({ client: iam as never, maxWaitTime: maxWaitSeconds, minDelay: 1, maxDelay: 5 }, { RoleName: name }));
}

export async function updateTrust(iam: Sender, role: string, trust: unknown): Promise<void> {
  const { UpdateAssumeRolePolicyCommand } = await sdk();
  await attempt(`update trust policy of role ${role}`, () => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: role, PolicyDocument: JSON.stringify(trust) })));
}

export async function putRolePolicy(iam: Sender, role: string, name: string, doc: unknown): Promise<void> {
  const { PutRolePolicyCommand } = await sdk();
  await attempt(`put policy ${name} on role ${role}`, () => iam.send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: JSON.stringify(doc) })));
}

export async function deleteRolePolicy(iam: Sender, role: string, name: string): Promise<void> {
  const { DeleteRolePolicyCommand } = await sdk();
  try {
    await iam.send(new DeleteRolePolicyCommand({ RoleName: role, PolicyName: name }));
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return;
    throw wrapAws(`delete policy ${name} of role ${role}`, error);
  }
}

/** Deletes the role with its inline policies and managed-policy attachments (IAM refuses otherwise). */
export async function deleteRole(iam: Sender, role: string): Promise<void> {
  const { ListAttachedRolePoliciesCommand, DetachRolePolicyCommand, DeleteRoleCommand } = await sdk();
  for (const name of Object.keys(await inlinePolicies(iam, role))) await deleteRolePolicy(iam, role, name);
  const attached = await attempt(`list attached policies of role ${role}`, () => iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role })));
  for (const p of (attached.AttachedPolicies ?? []) as { PolicyArn?: string }[]) {
    await attempt(`detach ${p.PolicyArn} from role ${role}`, () => iam.send(new DetachRolePolicyCommand({ RoleName: role, PolicyArn: p.PolicyArn })));
  }
  try {
    await iam.send(new DeleteRoleCommand({ RoleName: role }));
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity', 'NoSuchEntityException')) return;
    throw wrapAws(`delete role ${role}`, error);
  }
}
