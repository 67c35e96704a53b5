/** A connection's page: Service Provider Details, Settings, Role assignment, Test SSO, state, delete. */
import type { FastifyInstance } from 'fastify';
import type { AreaOptions } from '../../context.ts';

export default async function connectionRoutes(_app: FastifyInstance, _options: AreaOptions): Promise<void> {}
