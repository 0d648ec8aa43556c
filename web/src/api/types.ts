/** The API's shapes, as the server's zod contracts describe them (see /api/openapi.json). */

export const ROLES = ['admin', 'coordinator', 'responder', 'observer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export type Permission = 'user.read' | 'user.manage' | 'org.read' | 'org.write' | 'audit.read';

export interface User {
  id: string;
  login: string;
  displayName: string;
  email: string | null;
  role: Role;
  locale: 'zh-CN' | 'en';
  disabled: boolean;
  locked: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

export interface Me {
  user: User;
  permissions: string[];
}

export type ArchivedFilter = 'false' | 'true' | 'all';

export interface Person {
  id: string;
  name: string;
  title: string | null;
  department: string | null;
  phone: string | null;
  email: string | null;
  wecomId: string | null;
  dingtalkId: string | null;
  notes: string | null;
  userId: string | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface GroupMember {
  personId: string;
  name: string;
  title: string | null;
  role: 'leader' | 'member';
}

export interface Group {
  id: string;
  name: string;
  duties: string;
  leader: GroupMember | null;
  members: GroupMember[];
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export const CHANNELS = ['phone', 'email', 'wecom', 'dingtalk'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface Contact {
  id: string;
  personId: string;
  personName: string;
  label: string;
  channel: Channel;
  address: string | null;
  priority: number;
  availability: string | null;
  notes: string | null;
  archived: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEntry {
  id: string;
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  hash: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  entries: number;
  headSeq: number;
  headHash: string;
  problem: { kind: 'edited' | 'deleted' | 'reordered' | 'truncated'; seq: number; message: string } | null;
}

export interface Health {
  status: 'ok';
  version: string;
  database: 'pglite' | 'postgres';
}
