import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RouteDeps } from '../../http/types.js';
import { Scenario, ScenarioIdParams, ScenarioSummary } from './schema.js';
import * as scenarios from './service.js';

export const scenarioRoutes: FastifyPluginAsyncZod<RouteDeps> = async (app) => {
  const tags = ['scenarios'];
  // Teams share scenarios as YAML files: accept them as they are.
  app.addContentTypeParser(['application/yaml', 'application/x-yaml', 'text/yaml'], { parseAs: 'string', bodyLimit: 1024 * 1024 }, (_request, body, done) => done(null, body));

  app.get('/scenarios', { config: { access: 'scenario.read' }, schema: { operationId: 'listScenarios', tags, response: { 200: z.object({ scenarios: z.array(ScenarioSummary) }) } } }, async (request) => ({
    scenarios: await scenarios.listScenarios(request.ctx),
  }));
  app.get(
    '/scenarios/:scenarioId',
    { config: { access: 'scenario.read' }, schema: { operationId: 'getScenario', tags, params: ScenarioIdParams, response: { 200: Scenario } } },
    async (request) => scenarios.getScenario(request.ctx, request.params.scenarioId),
  );
  app.get(
    '/scenarios/:scenarioId/export',
    { config: { access: 'scenario.read' }, schema: { operationId: 'exportScenario', tags, params: ScenarioIdParams, produces: ['application/yaml'] } },
    async (request, reply) => {
      const { definition } = await scenarios.getScenario(request.ctx, request.params.scenarioId);
      return reply
        .type('application/yaml; charset=utf-8')
        .header('content-disposition', `attachment; filename="${definition.key}.yaml"`)
        .send(scenarios.toYaml(definition));
    },
  );
  app.post(
    '/scenarios/import',
    {
      config: { access: 'scenario.write' },
      schema: { operationId: 'importScenario', tags, body: z.union([z.string().max(1024 * 1024), z.strictObject({ yaml: z.string().max(1024 * 1024) })]), response: { 201: Scenario } },
    },
    async (request, reply) => {
      const text = typeof request.body === 'string' ? request.body : request.body.yaml;
      return reply.status(201).send(await scenarios.importScenario(request.ctx, text));
    },
  );
};
