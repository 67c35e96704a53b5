import type { SelectQueryBuilder } from 'kysely';
import type { ListOptions } from './types.ts';

/** One slice of a list, as the page query must fetch it. */
export interface PageRange {
  /** Only IDs strictly beyond this bound (`>` or `<`); none for the first page. */
  bound: { operator: '<' | '>'; id: string } | undefined;
  /** The order to read in (the reverse of the list's order when paging `before`). */
  direction: 'asc' | 'desc';
  limit: number;
}

/**
 * WorkOS-style cursor pagination over rows ordered by ID (IDs are ULIDs, so ID
 * order is creation order). `after` is the last item's ID when more items
 * follow it; `before` is the first item's ID when items precede it.
 *
 * `fetch` runs the list's query (with its filters) for a range; this function
 * asks it for one row more than the page, which tells whether the page's far
 * side has more, and, only when a cursor was given, for one row beyond the near
 * side. So a page costs one query, or two when paging from a cursor.
 * When both cursors are given, `after` is used.
 */
export async function paginate<T extends { id: string }>(
  options: ListOptions,
  fetch: (range: PageRange) => Promise<T[]>,
): Promise<{ data: T[]; before: string | null; after: string | null }> {
  const { limit, order } = options;
  const reverse = order === 'asc' ? 'desc' : 'asc';
  // In ascending order, "after" means greater IDs; in descending order, smaller.
  const afterOperator = order === 'asc' ? '>' : '<';
  const beforeOperator = order === 'asc' ? '<' : '>';

  if (options.before !== undefined && options.after === undefined) {
    const rows = await fetch({ bound: { operator: beforeOperator, id: options.before }, direction: reverse, limit: limit + 1 });
    const hasMoreBefore = rows.length > limit;
    const data = rows.slice(0, limit).reverse();
    const last = data.at(-1);
    const hasAfter = last !== undefined && (await exists(fetch, { operator: afterOperator, id: last.id }, order));
    return { data, before: hasMoreBefore ? (data[0]?.id ?? null) : null, after: hasAfter ? last.id : null };
  }

  const rows = await fetch({
    bound: options.after === undefined ? undefined : { operator: afterOperator, id: options.after },
    direction: order,
    limit: limit + 1,
  });
  const data = rows.slice(0, limit);
  const first = data[0];
  const hasBefore = options.after !== undefined && first !== undefined
    && (await exists(fetch, { operator: beforeOperator, id: first.id }, reverse));
  return { data, before: hasBefore ? first.id : null, after: rows.length > limit ? (data.at(-1)?.id ?? null) : null };
}

async function exists<T>(fetch: (range: PageRange) => Promise<T[]>, bound: PageRange['bound'], direction: 'asc' | 'desc'): Promise<boolean> {
  return (await fetch({ bound, direction, limit: 1 })).length > 0;
}

/** Applies a page range to a list query: the cursor bound, the order by ID and the limit. */
export function withinRange<Query extends SelectQueryBuilder<any, any, any>>(query: Query, range: PageRange): Query {
  let ranged: SelectQueryBuilder<any, any, any> = query;
  if (range.bound !== undefined) ranged = ranged.where('id', range.bound.operator, range.bound.id);
  return ranged.orderBy('id', range.direction).limit(range.limit) as Query;
}
