/** EC2 verbs for the service's network: subnets, their VPC, and the service's security group. */
import type { Sender } from './clients.js';
import { attempt, deleteIfPresent, isAwsError, SubnetNotFoundError, wrapAws } from './errors.js';
import type { Tags } from './resources.js';

const sdk = () => import('@aws-sdk/client-ec2');

export interface IpRule {
  readonly protocol: string;
  readonly port: number;
  readonly cidr: string;
}

export interface SecurityGroupInfo {
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId: string;
  readonly tags: Record<string, string>;
  readonly ingress: readonly IpRule[];
}

/** The VPC of the subnets (they must all be in one); a missing subnet is a SubnetNotFoundError. */
export async function vpcOfSubnets(ec2: Sender, subnets: readonly string[], region: string): Promise<{ vpcId: string; cidr: string }> {
  const { DescribeSubnetsCommand, DescribeVpcsCommand } = await sdk();
  let out;
  try {
    out = await ec2.send(new DescribeSubnetsCommand({ SubnetIds: [...subnets] }));
  } catch (error) {
    if (isAwsError(error, 'InvalidSubnetID.NotFound', 'InvalidSubnetID.Malformed')) {
      const named = subnets.filter((s) => (error as Error).message.includes(s));
      throw new SubnetNotFoundError(named.length ? named : subnets, region);
    }
    throw wrapAws(`describe subnets ${subnets.join(', ')}`, error);
  }
  const found = (out.Subnets ?? []) as { SubnetId?: string; VpcId?: string }[];
  const missing = subnets.filter((s) => !found.some((f) => f.SubnetId === s));
  if (missing.length) throw new SubnetNotFoundError(missing, region);
  const vpcs = [...new Set(found.map((f) => f.VpcId ?? ''))];
  if (vpcs.length !== 1) throw wrapAws(`find the VPC of subnets ${subnets.join(', ')}`, new Error(`they are in several VPCs (${vpcs.join(', ')}); use subnets of one VPC`));
  const vpcId = vpcs[0]!;
  const vpc = await attempt(`describe VPC ${vpcId}`, () => ec2.send(new DescribeVpcsCommand({ VpcIds: [vpcId] })));
  return { vpcId, cidr: ((vpc.Vpcs ?? [])[0] as { CidrBlock?: string } | undefined)?.CidrBlock ?? '' };
}

type RawGroup = {
  GroupId?: string;
  GroupName?: string;
  VpcId?: string;
  Tags?: { Key?: string; Value?: string }[];
  IpPermissions?: { IpProtocol?: string; FromPort?: number; ToPort?: number; IpRanges?: { CidrIp?: string }[] }[];
};

function toInfo(g: RawGroup): SecurityGroupInfo {
  const ingress: IpRule[] = [];
  for (const p of g.IpPermissions ?? []) {
    for (const r of p.IpRanges ?? []) ingress.push({ protocol: p.IpProtocol ?? '', port: p.FromPort ?? 0, cidr: r.CidrIp ?? '' });
  }
  return {
    groupId: g.GroupId ?? '',
    groupName: g.GroupName ?? '',
    vpcId: g.VpcId ?? '',
    tags: Object.fromEntries((g.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    ingress,
  };
}

export async function findSecurityGroup(ec2: Sender, name: string, vpcId: string): Promise<SecurityGroupInfo | undefined> {
  const { DescribeSecurityGroupsCommand } = await sdk();
  const out = await attempt(`describe security group ${name} in ${vpcId}`, () =>
    ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }, { Name: 'vpc-id', Values: [vpcId] }] })),
  );
  const g = ((out.SecurityGroups ?? []) as RawGroup[]).find((x) => x.GroupName === name && x.VpcId === vpcId);
  return g ? toInfo(g) : undefined;
}

/** Every group of that name, in any VPC. */
export async function securityGroupsByName(ec2: Sender, name: string): Promise<SecurityGroupInfo[]> {
  const { DescribeSecurityGroupsCommand } = await sdk();
  const out = await attempt(`describe security group ${name}`, () => ec2.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [name] }] })));
  return ((out.SecurityGroups ?? []) as RawGroup[]).filter((g) => g.GroupName === name).map(toInfo);
}

export async function securityGroupsById(ec2: Sender, ids: readonly string[]): Promise<SecurityGroupInfo[]> {
  if (ids.length === 0) return [];
  const { DescribeSecurityGroupsCommand } = await sdk();
  try {
    const out = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [...ids] }));
    return ((out.SecurityGroups ?? []) as RawGroup[]).map(toInfo);
  } catch (error) {
    if (isAwsError(error, 'InvalidGroup.NotFound')) return [];
    throw wrapAws(`describe security groups ${ids.join(', ')}`, error);
  }
}

export async function createSecurityGroup(ec2: Sender, g: { name: string; description: string; vpcId: string; tags: Tags }): Promise<string> {
  const { CreateSecurityGroupCommand } = await sdk();
  const out = await attempt(`create security group ${g.name} in ${g.vpcId}`, () =>
    ec2.send(
      new CreateSecurityGroupCommand({
        GroupName: g.name,
        Description: g.description,
        VpcId: g.vpcId,
        TagSpecifications: [{ ResourceType: 'security-group', Tags: Object.entries(g.tags).map(([Key, Value]) => ({ Key, Value })) }],
      }),
    ),
  );
  return out.GroupId as string;
}

function permissions(rules: readonly IpRule[]) {
  return rules.map((r) => ({ IpProtocol: r.protocol, FromPort: r.port, ToPort: r.port, IpRanges: [{ CidrIp: r.cidr }] }));
}

export async function authorizeIngress(ec2: Sender, groupId: string, rules: readonly IpRule[]): Promise<void> {
  if (rules.length === 0) return;
  const { AuthorizeSecurityGroupIngressCommand } = await sdk();
  try {
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions(rules) }));
  } catch (error) {
    if (!isAwsError(error, 'InvalidPermission.Duplicate')) throw wrapAws(`allow ingress on security group ${groupId}`, error);
  }
}

export async function revokeIngress(ec2: Sender, groupId: string, rules: readonly IpRule[]): Promise<void> {
  if (rules.length === 0) return;
  const { RevokeSecurityGroupIngressCommand } = await sdk();
  await attempt(`revoke ingress on security group ${groupId}`, () => ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions(rules) })));
}

/** Deletes the group; ENIs of stopped tasks release it late, so DependencyViolation is retried by the caller. */
export async function deleteSecurityGroup(ec2: Sender, groupId: string): Promise<void> {
  const { DeleteSecurityGroupCommand } = await sdk();
  await deleteIfPresent(`delete security group ${groupId}`, 'InvalidGroup.NotFound', () => ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId })), { wrap: false });
}
