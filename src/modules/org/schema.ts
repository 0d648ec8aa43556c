import { sql } from 'drizzle-orm';
import { index, integer, pgEnum, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { baseColumns, timestamptz } from '../../db/columns.js';
import { safeText } from '../../http/zod.js';
import { users } from '../auth/schema.js';

export const people = pgTable(
  'people',
  {
    ...baseColumns,
    name: text().notNull(),
    title: text(),
    department: text(),
    phone: text(),
    email: text(),
    wecomId: text(),
    dingtalkId: text(),
    notes: text(),
    /** The account this person signs in with, if any. */
    userId: uuid().references(() => users.id),
    archivedAt: timestamptz(),
  },
  (t) => [index().on(t.name)],
);

export const GROUP_MEMBER_ROLES = ['leader', 'member'] as const;
export const groupMemberRole = pgEnum('group_member_role', GROUP_MEMBER_ROLES);

/** 工作组: a working group with a leader, members and written duties. */
export const groups = pgTable('groups', {
  ...baseColumns,
  name: text().notNull(),
  duties: text().notNull().default(''),
  archivedAt: timestamptz(),
});

export const groupMembers = pgTable(
  'group_members',
  {
    ...baseColumns,
    groupId: uuid()
      .notNull()
      .references(() => groups.id),
    personId: uuid()
      .notNull()
      .references(() => people.id),
    role: groupMemberRole().notNull(),
    position: integer().notNull(),
  },
  (t) => [
    uniqueIndex().on(t.groupId, t.personId),
    uniqueIndex('group_members_one_leader').on(t.groupId).where(sql`role = 'leader'`),
    index().on(t.personId),
  ],
);

export const CONTACT_CHANNELS = ['phone', 'email', 'wecom', 'dingtalk'] as const;
export const contactChannel = pgEnum('contact_channel', CONTACT_CHANNELS);

/** 值班联系人: who to call first, by which channel, when. */
export const onCallContacts = pgTable('on_call_contacts', {
  ...baseColumns,
  personId: uuid()
    .notNull()
    .references(() => people.id),
  label: text().notNull(),
  channel: contactChannel().notNull(),
  priority: integer().notNull().default(1),
  availability: text(),
  notes: text(),
  archivedAt: timestamptz(),
});

// ---- API contracts ----

const optionalField = (max: number) => safeText(max).nullable().optional();

export const PersonFields = {
  name: safeText(100).min(1),
  title: optionalField(100),
  department: optionalField(100),
  phone: safeText(40)
    .regex(/^[0-9+\-() ]*$/, { message: 'digits, spaces and + - ( ) only' })
    .nullable()
    .optional(),
  email: z.email().max(200).nullable().optional(),
  wecomId: optionalField(100),
  dingtalkId: optionalField(100),
  notes: optionalField(2000),
  userId: z.uuid().nullable().optional(),
};
export const CreatePersonBody = z.strictObject(PersonFields);
export type CreatePersonBody = z.infer<typeof CreatePersonBody>;
export const UpdatePersonBody = z.strictObject(PersonFields).partial();
export type UpdatePersonBody = z.infer<typeof UpdatePersonBody>;

export const Person = z.object({
  id: z.uuid(),
  name: z.string(),
  title: z.string().nullable(),
  department: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  wecomId: z.string().nullable(),
  dingtalkId: z.string().nullable(),
  notes: z.string().nullable(),
  userId: z.string().nullable(),
  archived: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Person = z.infer<typeof Person>;

export const ListPeopleQuery = z.strictObject({
  q: safeText(100).optional(),
  archived: z.enum(['true', 'false', 'all']).default('false'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type ListPeopleQuery = z.infer<typeof ListPeopleQuery>;

export const PersonIdParams = z.strictObject({ personId: z.uuid() });

const GroupFields = {
  name: safeText(100).min(1),
  duties: safeText(5000).optional(),
  leaderId: z.uuid().nullable().optional(),
  memberIds: z.array(z.uuid()).max(200).optional(),
};
export const CreateGroupBody = z.strictObject(GroupFields);
export type CreateGroupBody = z.infer<typeof CreateGroupBody>;
export const UpdateGroupBody = z.strictObject(GroupFields).partial();
export type UpdateGroupBody = z.infer<typeof UpdateGroupBody>;

export const GroupMember = z.object({ personId: z.uuid(), name: z.string(), title: z.string().nullable(), role: z.enum(GROUP_MEMBER_ROLES) });
export const Group = z.object({
  id: z.uuid(),
  name: z.string(),
  duties: z.string(),
  leader: GroupMember.nullable(),
  members: z.array(GroupMember),
  archived: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Group = z.infer<typeof Group>;
export const GroupIdParams = z.strictObject({ groupId: z.uuid() });
export const ListGroupsQuery = z.strictObject({ archived: z.enum(['true', 'false', 'all']).default('false') });

const ContactFields = {
  personId: z.uuid(),
  label: safeText(100).min(1),
  channel: z.enum(CONTACT_CHANNELS),
  priority: z.number().int().min(1).max(99).optional(),
  availability: optionalField(200),
  notes: optionalField(2000),
};
export const CreateContactBody = z.strictObject(ContactFields);
export type CreateContactBody = z.infer<typeof CreateContactBody>;
export const UpdateContactBody = z.strictObject(ContactFields).partial();
export type UpdateContactBody = z.infer<typeof UpdateContactBody>;
export const Contact = z.object({
  id: z.uuid(),
  personId: z.uuid(),
  personName: z.string(),
  label: z.string(),
  channel: z.enum(CONTACT_CHANNELS),
  /** The person's address on that channel (phone number, e-mail, WeCom or DingTalk id). */
  address: z.string().nullable(),
  priority: z.number(),
  availability: z.string().nullable(),
  notes: z.string().nullable(),
  archived: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Contact = z.infer<typeof Contact>;
export const ContactIdParams = z.strictObject({ contactId: z.uuid() });
export const ListContactsQuery = z.strictObject({ archived: z.enum(['true', 'false', 'all']).default('false') });

// ---- the company (one row) ----

/** The company itself: its name heads every report (header and title page). One row, keyed `company`. */
export const companyProfile = pgTable('company_profile', {
  ...baseColumns,
  key: text().notNull().unique().default('company'),
  name: text().notNull().default(''),
  nameEn: text().notNull().default(''),
  /** Optional short name of the unit issuing reports (e.g. 研发部). */
  department: text().notNull().default(''),
});

export const CompanyProfile = z.object({ name: z.string(), nameEn: z.string(), department: z.string() });
export type CompanyProfile = z.infer<typeof CompanyProfile>;
export const UpdateCompanyProfileBody = z.strictObject({ name: safeText(200).optional(), nameEn: safeText(200).optional(), department: safeText(200).optional() });
export type UpdateCompanyProfileBody = z.infer<typeof UpdateCompanyProfileBody>;
