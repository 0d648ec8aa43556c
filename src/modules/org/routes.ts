import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import {
  CompanyProfile,
  Contact,
  ContactIdParams,
  CreateContactBody,
  CreateGroupBody,
  CreatePersonBody,
  Group,
  GroupIdParams,
  ListContactsQuery,
  ListGroupsQuery,
  ListPeopleQuery,
  Person,
  PersonIdParams,
  UpdateCompanyProfileBody,
  UpdateContactBody,
  UpdateGroupBody,
  UpdatePersonBody,
} from './schema.js';
import * as org from './service.js';

export const orgRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  const read = { access: 'org.read' as const };
  const write = { access: 'org.write' as const };

  // ---- people ----
  let tags = ['people'];
  app.get(
    '/people',
    { config: read, schema: { operationId: 'listPeople', tags, querystring: ListPeopleQuery, response: { 200: z.object({ people: z.array(Person), total: z.number() }) } } },
    async (request) => org.listPeople(request.ctx, request.query),
  );
  app.post(
    '/people',
    { config: write, schema: { operationId: 'createPerson', tags, body: CreatePersonBody, response: { 201: Person } } },
    async (request, reply) => reply.status(201).send(await org.createPerson(request.ctx, request.body)),
  );
  app.get(
    '/people/:personId',
    { config: read, schema: { operationId: 'getPerson', tags, params: PersonIdParams, response: { 200: Person } } },
    async (request) => org.getPerson(request.ctx, request.params.personId),
  );
  app.patch(
    '/people/:personId',
    { config: write, schema: { operationId: 'updatePerson', tags, params: PersonIdParams, body: UpdatePersonBody, response: { 200: Person } } },
    async (request) => org.updatePerson(request.ctx, request.params.personId, request.body),
  );
  app.post(
    '/people/:personId/archive',
    { config: write, schema: { operationId: 'archivePerson', tags, params: PersonIdParams, response: { 200: Person } } },
    async (request) => org.setPersonArchived(request.ctx, request.params.personId, true),
  );
  app.post(
    '/people/:personId/restore',
    { config: write, schema: { operationId: 'restorePerson', tags, params: PersonIdParams, response: { 200: Person } } },
    async (request) => org.setPersonArchived(request.ctx, request.params.personId, false),
  );

  // ---- groups ----
  tags = ['groups'];
  app.get(
    '/groups',
    { config: read, schema: { operationId: 'listGroups', tags, querystring: ListGroupsQuery, response: { 200: z.object({ groups: z.array(Group) }) } } },
    async (request) => ({ groups: await org.listGroups(request.ctx, request.query.archived) }),
  );
  app.post(
    '/groups',
    { config: write, schema: { operationId: 'createGroup', tags, body: CreateGroupBody, response: { 201: Group } } },
    async (request, reply) => reply.status(201).send(await org.createGroup(request.ctx, request.body)),
  );
  app.get(
    '/groups/:groupId',
    { config: read, schema: { operationId: 'getGroup', tags, params: GroupIdParams, response: { 200: Group } } },
    async (request) => org.getGroup(request.ctx, request.params.groupId),
  );
  app.patch(
    '/groups/:groupId',
    { config: write, schema: { operationId: 'updateGroup', tags, params: GroupIdParams, body: UpdateGroupBody, response: { 200: Group } } },
    async (request) => org.updateGroup(request.ctx, request.params.groupId, request.body),
  );
  app.post(
    '/groups/:groupId/archive',
    { config: write, schema: { operationId: 'archiveGroup', tags, params: GroupIdParams, response: { 200: Group } } },
    async (request) => org.setGroupArchived(request.ctx, request.params.groupId, true),
  );
  app.post(
    '/groups/:groupId/restore',
    { config: write, schema: { operationId: 'restoreGroup', tags, params: GroupIdParams, response: { 200: Group } } },
    async (request) => org.setGroupArchived(request.ctx, request.params.groupId, false),
  );

  // ---- on-call contacts ----
  tags = ['on-call'];
  app.get(
    '/on-call',
    { config: read, schema: { operationId: 'listOnCallContacts', tags, querystring: ListContactsQuery, response: { 200: z.object({ contacts: z.array(Contact) }) } } },
    async (request) => ({ contacts: await org.listContacts(request.ctx, request.query.archived) }),
  );
  app.post(
    '/on-call',
    { config: write, schema: { operationId: 'createOnCallContact', tags, body: CreateContactBody, response: { 201: Contact } } },
    async (request, reply) => reply.status(201).send(await org.createContact(request.ctx, request.body)),
  );
  app.patch(
    '/on-call/:contactId',
    { config: write, schema: { operationId: 'updateOnCallContact', tags, params: ContactIdParams, body: UpdateContactBody, response: { 200: Contact } } },
    async (request) => org.updateContact(request.ctx, request.params.contactId, request.body),
  );
  app.post(
    '/on-call/:contactId/archive',
    { config: write, schema: { operationId: 'archiveOnCallContact', tags, params: ContactIdParams, response: { 200: Contact } } },
    async (request) => org.setContactArchived(request.ctx, request.params.contactId, true),
  );
  app.post(
    '/on-call/:contactId/restore',
    { config: write, schema: { operationId: 'restoreOnCallContact', tags, params: ContactIdParams, response: { 200: Contact } } },
    async (request) => org.setContactArchived(request.ctx, request.params.contactId, false),
  );

  // ---- the company ----
  tags = ['company'];
  app.get('/company', { config: read, schema: { operationId: 'getCompanyProfile', tags, response: { 200: CompanyProfile } } }, async (request) => org.getCompanyProfile(request.ctx.db));
  app.put(
    '/company',
    { config: { access: 'settings.write' }, schema: { operationId: 'updateCompanyProfile', tags, body: UpdateCompanyProfileBody, response: { 200: CompanyProfile } } },
    async (request) => org.updateCompanyProfile(request.ctx, request.body),
  );
};
