/**
 * WorkOS-style cursor pagination: `limit`, `before`, `after`, `order` in the
 * query; `{ object: 'list', data, list_metadata: { before, after } }` back.
 */
import { z } from 'zod';
import type { ListOptions, Page } from '../store/types.ts';
import { invalidParameters } from './parse-input.ts';

/** WorkOS's bounds: 10 by default, at most 100. */
const DEFAULT_LIMIT = 10;
const MAX_LIMIT = 100;

const paginationShape = {
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
  before: z.string().min(1).max(200).optional(),
  after: z.string().min(1).max(200).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
};

/** The query schema of a list endpoint: pagination with WorkOS's defaults plus the endpoint's filters. */
export function listQuerySchema<F extends z.ZodRawShape>(filters: F) {
  return z.object({ ...paginationShape, ...filters });
}

/** The store's list options from a parsed query; a page has one cursor at most. */
export function listOptions(query: { limit: number; order: 'asc' | 'desc'; before?: string | undefined; after?: string | undefined }): ListOptions {
  if (query.before && query.after) {
    throw invalidParameters([{ field: 'before', code: 'before_invalid', message: 'give either before or after, not both' }]);
  }
  return {
    limit: query.limit,
    order: query.order,
    ...(query.before ? { before: query.before } : {}),
    ...(query.after ? { after: query.after } : {}),
  };
}

/** The WorkOS list envelope around a page of records. */
export function listJson<T, J>(page: Page<T>, toJson: (record: T) => J): { object: 'list'; data: J[]; list_metadata: { before: string | null; after: string | null } } {
  return {
    object: 'list',
    data: page.data.map(toJson),
    list_metadata: { before: page.before, after: page.after },
  };
}
