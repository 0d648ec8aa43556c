import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { ServiceContext } from '../../context.js';
import { preparedPerDb } from '../../db/prepared.js';
import type { Db } from '../../db/types.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { appendAudit } from '../audit/service.js';
import { userExists } from '../auth/service.js';
import {
  companyProfile,
  groupMembers,
  groups,
  onCallContacts,
  people,
  type CompanyProfile,
  type Contact,
  type CreateContactBody,
  type CreateGroupBody,
  type CreatePersonBody,
  type Group,
  type ListPeopleQuery,
  type Person,
  type UpdateCompanyProfileBody,
  type UpdateContactBody,
  type UpdateGroupBody,
  type UpdatePersonBody,
} from './schema.js';

type PersonRow = typeof people.$inferSelect;
type GroupRow = typeof groups.$inferSelect;
type ContactRow = typeof onCallContacts.$inferSelect;
type ArchivedFilter = 'true' | 'false' | 'all';

function archivedWhere(column: typeof people.archivedAt | typeof groups.archivedAt | typeof onCallContacts.archivedAt, filter: ArchivedFilter): SQL | undefined {
  if (filter === 'all') return undefined;
  return filter === 'true' ? isNotNull(column) : isNull(column);
}

/** A LIKE pattern matching `text` literally anywhere. */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

// ---------- people ----------

export function toPerson(row: PersonRow): Person {
  return {
    id: row.id,
    name: row.name,
    title: row.title,
    department: row.department,
    phone: row.phone,
    email: row.email,
    wecomId: row.wecomId,
    dingtalkId: row.dingtalkId,
    notes: row.notes,
    userId: row.userId,
    archived: row.archivedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * The people list in its four common shapes (archived or not, with or without a search text), prepared once
 * per database: it is the busiest list of the organisation pages.
 */
function peopleQueries(db: Db, archived: ArchivedFilter, searching: boolean) {
  const pattern = sql.placeholder('pattern');
  const where = () =>
    and(
      archivedWhere(people.archivedAt, archived),
      searching ? or(ilike(people.name, pattern), ilike(people.department, pattern), ilike(people.title, pattern)) : undefined,
    );
  const name = `firedrill_people_${archived}_${searching ? 'q' : 'all'}`;
  // The total rides along as an uncorrelated subquery (computed once per query): one round trip per page.
  const total = db.select({ n: count() }).from(people).where(where());
  return {
    page: db
      .select({ person: people, total: sql<number>`(${total})`.mapWith(Number) })
      .from(people)
      .where(where())
      .orderBy(asc(people.name), asc(people.id))
      .limit(sql.placeholder('limit'))
      .offset(sql.placeholder('offset'))
      .prepare(`${name}_page`),
    total: total.prepare(`${name}_total`),
  };
}

const preparedPeopleQueries = Object.fromEntries(
  (['true', 'false', 'all'] as const).flatMap((archived) => [false, true].map((searching) => [`${archived}:${searching}`, preparedPerDb((db) => peopleQueries(db, archived, searching))])),
);

/** Lists people by name, optionally filtered by a search text and archive state. */
export async function listPeople(ctx: ServiceContext, query: ListPeopleQuery): Promise<{ people: Person[]; total: number }> {
  const queries = preparedPeopleQueries[`${query.archived}:${Boolean(query.q)}`](ctx.db);
  const params = { limit: query.limit, offset: query.offset, pattern: query.q ? containsPattern(query.q) : '' };
  const rows = await queries.page.execute(params);
  // A page past the end has no row to carry the total: ask for it alone.
  const total = rows.length > 0 ? rows[0].total : query.offset > 0 ? (await queries.total.execute(params))[0].n : 0;
  return { people: rows.map((r) => toPerson(r.person)), total };
}

async function loadPerson(db: Db, personId: string): Promise<PersonRow> {
  const [row] = await db.select().from(people).where(eq(people.id, personId));
  if (!row) throw new NotFoundError('person', personId);
  return row;
}

/** One person. Throws NotFound. */
export async function getPerson(ctx: ServiceContext, personId: string): Promise<Person> {
  return toPerson(await loadPerson(ctx.db, personId));
}

async function checkUserLink(db: Db, userId: string | null | undefined): Promise<void> {
  if (userId && !(await userExists(db, userId))) throw new ValidationError('user_link_unknown', `No account ${userId}`, { id: userId });
}

/** Adds a person to the organisation. Throws `user_link_unknown`. */
export async function createPerson(ctx: ServiceContext, body: CreatePersonBody): Promise<Person> {
  await checkUserLink(ctx.db, body.userId);
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(people).values(body).returning();
    const person = toPerson(row);
    await appendAudit(tx, ctx, { action: 'person.create', entityType: 'person', entityId: row.id, after: person });
    return person;
  });
}

/** Changes a person's details. Throws NotFound, `user_link_unknown`. */
export async function updatePerson(ctx: ServiceContext, personId: string, body: UpdatePersonBody): Promise<Person> {
  await checkUserLink(ctx.db, body.userId);
  return ctx.db.transaction(async (tx) => {
    const before = await loadPerson(tx, personId);
    const [row] = await tx
      .update(people)
      .set({ ...body, updatedAt: ctx.clock.now() })
      .where(eq(people.id, personId))
      .returning();
    const person = toPerson(row);
    await appendAudit(tx, ctx, { action: 'person.update', entityType: 'person', entityId: personId, before: toPerson(before), after: person });
    return person;
  });
}

/** Archives (archive=true) or restores a person; nothing is ever deleted. Throws NotFound. */
export async function setPersonArchived(ctx: ServiceContext, personId: string, archive: boolean): Promise<Person> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadPerson(tx, personId);
    const now = ctx.clock.now();
    const [row] = await tx
      .update(people)
      .set({ archivedAt: archive ? (before.archivedAt ?? now) : null, updatedAt: now })
      .where(eq(people.id, personId))
      .returning();
    const person = toPerson(row);
    await appendAudit(tx, ctx, { action: archive ? 'person.archive' : 'person.restore', entityType: 'person', entityId: personId, before: toPerson(before), after: person });
    return person;
  });
}

// ---------- groups ----------

async function toGroups(db: Db, rows: GroupRow[]): Promise<Group[]> {
  if (rows.length === 0) return [];
  const members = await db
    .select({ groupId: groupMembers.groupId, personId: people.id, name: people.name, title: people.title, role: groupMembers.role })
    .from(groupMembers)
    .innerJoin(people, eq(people.id, groupMembers.personId))
    .where(
      inArray(
        groupMembers.groupId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(groupMembers.position));
  return rows.map((row) => {
    const mine = members.filter((m) => m.groupId === row.id).map(({ groupId: _, ...m }) => m);
    return {
      id: row.id,
      name: row.name,
      duties: row.duties,
      leader: mine.find((m) => m.role === 'leader') ?? null,
      members: mine.filter((m) => m.role === 'member'),
      archived: row.archivedAt !== null,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  });
}

export async function listGroups(ctx: ServiceContext, archived: ArchivedFilter): Promise<Group[]> {
  const rows = await ctx.db.select().from(groups).where(archivedWhere(groups.archivedAt, archived)).orderBy(asc(groups.name), asc(groups.id));
  return toGroups(ctx.db, rows);
}

async function loadGroup(db: Db, groupId: string): Promise<Group> {
  const rows = await db.select().from(groups).where(eq(groups.id, groupId));
  if (rows.length === 0) throw new NotFoundError('group', groupId);
  return (await toGroups(db, rows))[0];
}

/** One working group with its leader and members. Throws NotFound. */
export async function getGroup(ctx: ServiceContext, groupId: string): Promise<Group> {
  return loadGroup(ctx.db, groupId);
}

/** Replaces a group's membership: the leader first, then members in the given order. */
async function writeMembers(tx: Db, groupId: string, leaderId: string | null, memberIds: string[]): Promise<void> {
  const wanted = [...new Set([...(leaderId ? [leaderId] : []), ...memberIds])];
  if (wanted.length > 0) {
    const found = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(inArray(people.id, wanted), isNull(people.archivedAt)));
    const missing = wanted.find((id) => !found.some((f) => f.id === id));
    if (missing) throw new ValidationError('group_member_unknown', `Unknown or archived person ${missing}`, { id: missing });
  }
  await tx.delete(groupMembers).where(eq(groupMembers.groupId, groupId));
  if (wanted.length > 0) {
    await tx.insert(groupMembers).values(
      wanted.map((personId, position) => ({ groupId, personId, position, role: personId === leaderId ? ('leader' as const) : ('member' as const) })),
    );
  }
}

/** Creates a working group with leader, members and duties. Throws `group_member_unknown`. */
export async function createGroup(ctx: ServiceContext, body: CreateGroupBody): Promise<Group> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.insert(groups).values({ name: body.name, duties: body.duties ?? '' }).returning();
    await writeMembers(tx, row.id, body.leaderId ?? null, body.memberIds ?? []);
    const group = await loadGroup(tx, row.id);
    await appendAudit(tx, ctx, { action: 'group.create', entityType: 'group', entityId: row.id, after: group });
    return group;
  });
}

/** Changes a group; leader and members, when given, replace the current ones. Throws NotFound, `group_member_unknown`. */
export async function updateGroup(ctx: ServiceContext, groupId: string, body: UpdateGroupBody): Promise<Group> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadGroup(tx, groupId);
    await tx
      .update(groups)
      .set({ name: body.name, duties: body.duties, updatedAt: ctx.clock.now() })
      .where(eq(groups.id, groupId));
    if (body.leaderId !== undefined || body.memberIds !== undefined) {
      const leaderId = body.leaderId !== undefined ? body.leaderId : (before.leader?.personId ?? null);
      const memberIds = body.memberIds ?? before.members.map((m) => m.personId);
      await writeMembers(tx, groupId, leaderId, memberIds);
    }
    const group = await loadGroup(tx, groupId);
    await appendAudit(tx, ctx, { action: 'group.update', entityType: 'group', entityId: groupId, before, after: group });
    return group;
  });
}

/** Archives or restores a group. Throws NotFound. */
export async function setGroupArchived(ctx: ServiceContext, groupId: string, archive: boolean): Promise<Group> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadGroup(tx, groupId);
    const now = ctx.clock.now();
    await tx
      .update(groups)
      .set({ archivedAt: archive ? now : null, updatedAt: now })
      .where(eq(groups.id, groupId));
    const group = await loadGroup(tx, groupId);
    await appendAudit(tx, ctx, { action: archive ? 'group.archive' : 'group.restore', entityType: 'group', entityId: groupId, before, after: group });
    return group;
  });
}

// ---------- on-call contacts ----------

function addressOf(person: PersonRow, channel: ContactRow['channel']): string | null {
  return { phone: person.phone, email: person.email, wecom: person.wecomId, dingtalk: person.dingtalkId }[channel];
}

function toContact(row: ContactRow, person: PersonRow): Contact {
  return {
    id: row.id,
    personId: row.personId,
    personName: person.name,
    label: row.label,
    channel: row.channel,
    address: addressOf(person, row.channel),
    priority: row.priority,
    availability: row.availability,
    notes: row.notes,
    archived: row.archivedAt !== null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** On-call contacts by priority (1 = call first). */
export async function listContacts(ctx: ServiceContext, archived: ArchivedFilter): Promise<Contact[]> {
  const rows = await ctx.db
    .select({ contact: onCallContacts, person: people })
    .from(onCallContacts)
    .innerJoin(people, eq(people.id, onCallContacts.personId))
    .where(archivedWhere(onCallContacts.archivedAt, archived))
    .orderBy(asc(onCallContacts.priority), asc(people.name));
  return rows.map((r) => toContact(r.contact, r.person));
}

async function loadContact(db: Db, contactId: string): Promise<Contact> {
  const [row] = await db
    .select({ contact: onCallContacts, person: people })
    .from(onCallContacts)
    .innerJoin(people, eq(people.id, onCallContacts.personId))
    .where(eq(onCallContacts.id, contactId));
  if (!row) throw new NotFoundError('contact', contactId);
  return toContact(row.contact, row.person);
}

/** The person must exist, be active, and have an address on the chosen channel. */
async function checkContactPerson(db: Db, personId: string, channel: ContactRow['channel']): Promise<void> {
  const [person] = await db.select().from(people).where(eq(people.id, personId));
  if (!person || person.archivedAt) throw new ValidationError('person_not_found', `Person ${personId} not found`, { id: personId });
  if (!addressOf(person, channel)) throw new ValidationError('contact_address_missing', `${person.name} has no ${channel}`, { name: person.name, channel });
}

/** Adds an on-call contact. Throws `person_not_found`, `contact_address_missing`. */
export async function createContact(ctx: ServiceContext, body: CreateContactBody): Promise<Contact> {
  return ctx.db.transaction(async (tx) => {
    await checkContactPerson(tx, body.personId, body.channel);
    const [row] = await tx.insert(onCallContacts).values(body).returning();
    const contact = await loadContact(tx, row.id);
    await appendAudit(tx, ctx, { action: 'contact.create', entityType: 'contact', entityId: row.id, after: contact });
    return contact;
  });
}

/** Changes an on-call contact. Throws NotFound, `person_not_found`, `contact_address_missing`. */
export async function updateContact(ctx: ServiceContext, contactId: string, body: UpdateContactBody): Promise<Contact> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadContact(tx, contactId);
    await checkContactPerson(tx, body.personId ?? before.personId, body.channel ?? before.channel);
    await tx
      .update(onCallContacts)
      .set({ ...body, updatedAt: ctx.clock.now() })
      .where(eq(onCallContacts.id, contactId));
    const contact = await loadContact(tx, contactId);
    await appendAudit(tx, ctx, { action: 'contact.update', entityType: 'contact', entityId: contactId, before, after: contact });
    return contact;
  });
}

/** Archives or restores an on-call contact. Throws NotFound. */
export async function setContactArchived(ctx: ServiceContext, contactId: string, archive: boolean): Promise<Contact> {
  return ctx.db.transaction(async (tx) => {
    const before = await loadContact(tx, contactId);
    const now = ctx.clock.now();
    await tx
      .update(onCallContacts)
      .set({ archivedAt: archive ? now : null, updatedAt: now })
      .where(eq(onCallContacts.id, contactId));
    const contact = await loadContact(tx, contactId);
    await appendAudit(tx, ctx, { action: archive ? 'contact.archive' : 'contact.restore', entityType: 'contact', entityId: contactId, before, after: contact });
    return contact;
  });
}

/** People by id (for other modules showing names), archived ones included. */
export async function getPeopleByIds(db: Db, ids: string[]): Promise<Person[]> {
  if (ids.length === 0) return [];
  const rows = await db.select().from(people).where(inArray(people.id, ids));
  return rows.map(toPerson);
}

/** The ids of the people an account is linked to. */
export async function personIdsOfUser(db: Db, userId: string): Promise<string[]> {
  const rows = await db.select({ id: people.id }).from(people).where(eq(people.userId, userId));
  return rows.map((r) => r.id);
}

// ---------- the company ----------

/** The company's profile; empty strings until an administrator fills it in. */
export async function getCompanyProfile(db: Db): Promise<CompanyProfile> {
  const [row] = await db.select().from(companyProfile).where(eq(companyProfile.key, 'company'));
  return { name: row?.name ?? '', nameEn: row?.nameEn ?? '', department: row?.department ?? '' };
}

/** Sets the company's name (and English name, department), audited. */
export async function updateCompanyProfile(ctx: ServiceContext, body: UpdateCompanyProfileBody): Promise<CompanyProfile> {
  return ctx.db.transaction(async (tx) => {
    const before = await getCompanyProfile(tx);
    const after = { ...before, ...Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined)) };
    await tx
      .insert(companyProfile)
      .values({ key: 'company', ...after })
      .onConflictDoUpdate({ target: companyProfile.key, set: { ...after, updatedAt: ctx.clock.now() } });
    await appendAudit(tx, ctx, { action: 'company.update', entityType: 'company', entityId: 'company', before, after });
    return after;
  });
}
