import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canAccess, ROLES, type Role, type RouteAccess } from '../src/modules/auth/permissions.js';
import { login } from '../src/modules/auth/service.js';
import { buildUser, systemContext, TEST_PASSWORD } from './factories.js';
import { buildTestApp, type TestApp } from './helpers/app.js';

/**
 * What every API route must require. A new route fails this test until it is added here with the access it
 * declares, and a route whose declaration drifts from this table fails too.
 */
const EXPECTED: Record<string, RouteAccess> = {
  'GET /api/health': 'public',
  'GET /api/openapi.json': 'public',
  'GET /api/docs': 'public',
  'GET /api/docs/static/*': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  'GET /api/auth/setup': 'public',
  'POST /api/auth/setup': 'public',
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'session',
  'GET /api/auth/me': 'session',
  'PATCH /api/auth/me': 'session',
  'GET /api/users': 'user.read',
  'POST /api/users': 'user.manage',
  'PATCH /api/users/:userId': 'user.manage',
  'POST /api/users/:userId/revoke-sessions': 'user.manage',
  'GET /api/people': 'org.read',
  'POST /api/people': 'org.write',
  'GET /api/people/:personId': 'org.read',
  'PATCH /api/people/:personId': 'org.write',
  'POST /api/people/:personId/archive': 'org.write',
  'POST /api/people/:personId/restore': 'org.write',
  'GET /api/groups': 'org.read',
  'POST /api/groups': 'org.write',
  'GET /api/groups/:groupId': 'org.read',
  'PATCH /api/groups/:groupId': 'org.write',
  'POST /api/groups/:groupId/archive': 'org.write',
  'POST /api/groups/:groupId/restore': 'org.write',
  'GET /api/on-call': 'org.read',
  'POST /api/on-call': 'org.write',
  'PATCH /api/on-call/:contactId': 'org.write',
  'POST /api/on-call/:contactId/archive': 'org.write',
  'POST /api/on-call/:contactId/restore': 'org.write',
  'GET /api/audit': 'audit.read',
  'GET /api/audit/verify': 'audit.read',
  'GET /api/plans': 'plan.read',
  'POST /api/plans': 'plan.write',
  'GET /api/plans/:planId': 'plan.read',
  'GET /api/plans/:planId/versions/:number': 'plan.read',
  'PUT /api/plans/:planId/draft': 'plan.write',
  'POST /api/plans/:planId/publish': 'plan.write',
  'GET /api/plans/:planId/diff': 'plan.read',
  'POST /api/plans/:planId/archive': 'plan.write',
  'POST /api/plans/:planId/revise': 'plan.write',
  'GET /api/scenarios': 'scenario.read',
  'GET /api/scenarios/:scenarioId': 'scenario.read',
  'GET /api/scenarios/:scenarioId/export': 'scenario.read',
  'POST /api/scenarios/import': 'scenario.write',
  'GET /api/programme': 'programme.read',
  'POST /api/programme': 'programme.write',
  'PATCH /api/programme/:itemId': 'programme.write',
  'GET /api/drills': 'drill.read',
  'POST /api/drills': 'drill.manage',
  'GET /api/drills/:drillId': 'drill.read',
  'PATCH /api/drills/:drillId': 'drill.manage',
  'POST /api/drills/:drillId/transitions/:transition': 'drill.transition',
  'GET /api/drills/:drillId/timeline': 'drill.read',
  'POST /api/drills/:drillId/timeline': 'timeline.write',
  'GET /api/drills/:drillId/timeline/stream': 'drill.read',
  'GET /api/drills/:drillId/checklist': 'drill.read',
  'GET /api/drills/:drillId/metrics': 'drill.read',
  'GET /api/drills/:drillId/reports/:kind': 'drill.read',
  'GET /api/incidents/:incidentId/reports/investigation': 'incident.read',
  'GET /api/incidents/:incidentId/investigation': 'incident.read',
  'PUT /api/incidents/:incidentId/investigation': 'incident.write',
  'GET /api/cases/:caseId/evidence': 'evidence.read',
  'POST /api/cases/:caseId/evidence': 'evidence.add',
  'GET /api/cases/:caseId/evidence/export': 'evidence.export',
  'GET /api/evidence/:evidenceId': 'evidence.read',
  'GET /api/evidence/:evidenceId/download': 'evidence.read',
  'GET /api/events/:eventId/raw': 'evidence.read',
  'GET /api/cases/:caseId/events': 'evidence.read',
  'GET /api/cases/:caseId/events/histogram': 'evidence.read',
  'GET /api/cases/:caseId/events/pivots': 'evidence.read',
  'GET /api/cases/:caseId/saved-searches': 'evidence.read',
  'POST /api/cases/:caseId/saved-searches': 'evidence.add',
  'DELETE /api/saved-searches/:searchId': 'evidence.add',
  'GET /api/cases/:caseId/findings': 'evidence.read',
  'POST /api/cases/:caseId/findings': 'evidence.add',
  'GET /api/cases/:caseId/findings/:entryId/events': 'evidence.read',
  'POST /api/cases/:caseId/detections': 'evidence.add',
  'GET /api/rules': 'evidence.read',
  'POST /api/rules': 'rule.write',
  'PATCH /api/rules/:ruleId': 'rule.write',
  'DELETE /api/rules/:ruleId': 'rule.write',
  'GET /api/detection-settings': 'evidence.read',
  'PUT /api/detection-settings': 'rule.write',
  'GET /api/drills/:drillId/traces': 'drill.read',
  'POST /api/drills/:drillId/traces': 'drill.manage',
  'GET /api/drills/:drillId/traces/truth': 'drill.read',
  'GET /api/drills/:drillId/traces/score': 'drill.read',
  'GET /api/company': 'org.read',
  'PUT /api/company': 'settings.write',
  'GET /api/drills/:drillId/evaluation': 'drill.read',
  'PUT /api/drills/:drillId/evaluation/objectives/:objectiveKey': 'evaluation.write',
  'POST /api/drills/:drillId/evaluation/lessons': 'evaluation.write',
  'GET /api/corrective-actions': 'action.read',
  'POST /api/corrective-actions': 'action.write',
  'PATCH /api/corrective-actions/:actionId': 'action.write',
  'POST /api/corrective-actions/:actionId/transitions/:transition': 'action.write',
  'POST /api/drills/:drillId/injects': 'drill.manage',
  'POST /api/drills/:drillId/injects/:injectId/fire': 'drill.manage',
  'GET /api/dashboard': 'dashboard.read',
  'GET /api/incident-taxonomy': 'incident.read',
  'GET /api/reporting-presets': 'incident.read',
  'PATCH /api/reporting-presets/:key': 'settings.write',
  'GET /api/incidents': 'incident.read',
  'POST /api/incidents': 'incident.write',
  'GET /api/incidents/:incidentId': 'incident.read',
  'PATCH /api/incidents/:incidentId': 'incident.write',
  'GET /api/incidents/:incidentId/timeline': 'incident.read',
  'POST /api/incidents/:incidentId/timeline': 'incident.write',
  'GET /api/incidents/:incidentId/timeline/stream': 'incident.read',
};

let t: TestApp;
const users: Partial<Record<Role, string>> = {};

beforeAll(async () => {
  t = await buildTestApp();
  const ctx = systemContext(t.database.db);
  for (const role of ROLES) users[role] = (await buildUser(ctx, { role })).login;
});
afterAll(async () => {
  await t?.close();
});

/** A fresh session per request: a logout or role change under test must not spoil the next one. */
async function cookieFor(role: Role): Promise<string> {
  const session = await login(systemContext(t.database.db), t.config, { login: users[role]!, password: TEST_PASSWORD });
  return `firedrill_session=${session.token}`;
}

function concreteUrl(url: string): string {
  return url.replace(/:[A-Za-z]+/g, () => randomUUID()).replace('*', 'index.css');
}

describe('route table', () => {
  it('every API route declares the access this table expects, and the table has no stale rows', () => {
    const declared = Object.fromEntries(t.app.routeAccess.map((r) => [`${r.method} ${r.url}`, r.access]));
    expect(declared).toEqual(EXPECTED);
  });

  it('for every route, anonymous and every role are allowed or refused as declared', async () => {
    const failures: string[] = [];
    for (const { method, url, access } of t.app.routeAccess) {
      for (const role of [undefined, ...ROLES]) {
        const headers: Record<string, string> = role ? { cookie: await cookieFor(role) } : {};
        const response = await t.app.inject({ method: method as 'GET', url: concreteUrl(url), headers, ...(method === 'GET' ? {} : { payload: {} }) });
        const allowed = canAccess(role, access);
        const refused = response.statusCode === 401 || response.statusCode === 403;
        const expectedStatus = role ? 403 : 401;
        const ok = allowed ? !refused && response.statusCode < 500 : response.statusCode === expectedStatus;
        if (!ok) failures.push(`${method} ${url} as ${role ?? 'anonymous'}: ${response.statusCode} (${allowed ? 'should be allowed' : `should be ${expectedStatus}`})`);
      }
    }
    expect(failures).toEqual([]);
  }, 180_000);

  it('the auditor reads everything and writes nothing', () => {
    for (const { method, url, access } of t.app.routeAccess) {
      if (access === 'public' || access === 'session') continue;
      expect(canAccess('auditor', access), `${method} ${url}`).toBe(method === 'GET');
    }
  });
});
