import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import type { AuditActor } from '../../src/store/types.ts';
import { forEachDatabase, type OpenTestDatabase } from '../support/databases.ts';

const admin: AuditActor = { type: 'admin', id: 'admin_1', name: 'ada@vendor.example' };
const ciKey: AuditActor = { type: 'api_key', id: 'key_1', name: 'CI — déploiement 李' };

forEachDatabase('store.auditLog', (database) => {
  let db: OpenTestDatabase;
  beforeEach(async () => { db = await database.open(); });
  afterEach(() => db.cleanup());

  it('records an entry and reads it back as written', async () => {
    const recorded = await db.store.auditLog.record({
      actor: ciKey,
      action: 'connection.updated',
      targetType: 'connection',
      targetId: 'conn_1',
      changes: { name: { from: 'Clever', to: 'Clever — Ñandú' }, client_secret: { to: 'changed' }, role_mappings: { from: [], to: [{ group: 'teacher', role: 'admin' }] } },
    });
    assert.match(recorded.id, /^audit_/);
    const page = await db.store.auditLog.list({ limit: 10, order: 'desc' });
    assert.deepEqual(page.data, [recorded]);
  });

  it('filters by actor, action, target and time range, newest first, and pages', async () => {
    const a = await db.store.auditLog.record({ actor: admin, action: 'organization.created', targetType: 'organization', targetId: 'org_1', changes: {} });
    const b = await db.store.auditLog.record({ actor: ciKey, action: 'organization.updated', targetType: 'organization', targetId: 'org_1', changes: {} });
    const c = await db.store.auditLog.record({ actor: ciKey, action: 'api_key.revoked', targetType: 'api_key', targetId: 'key_2', changes: {} });
    const ids = async (filters: object) => (await db.store.auditLog.list({ limit: 10, order: 'desc', ...filters })).data.map((e) => e.id);

    assert.deepEqual(await ids({}), [c.id, b.id, a.id]);
    assert.deepEqual(await ids({ actorId: 'key_1' }), [c.id, b.id]);
    assert.deepEqual(await ids({ actorType: 'admin' }), [a.id]);
    assert.deepEqual(await ids({ actorName: 'ADA@' }), [a.id], 'part of the name, any case');
    assert.deepEqual(await ids({ actorName: 'déploiement 李' }), [c.id, b.id]);
    assert.deepEqual(await ids({ actorName: '%' }), [], 'LIKE wildcards are literal');
    assert.deepEqual(await ids({ action: 'organization' }), [b.id, a.id], 'a bare target type matches every verb');
    assert.deepEqual(await ids({ action: 'organization.updated' }), [b.id]);
    assert.deepEqual(await ids({ targetType: 'organization', targetId: 'org_1' }), [b.id, a.id]);
    assert.deepEqual(await ids({ since: new Date(Date.now() + 60_000) }), []);
    assert.deepEqual(await ids({ until: new Date(Date.now() + 60_000), since: new Date(Date.now() - 60_000) }), [c.id, b.id, a.id]);

    const first = await db.store.auditLog.list({ limit: 2, order: 'desc' });
    assert.deepEqual([first.data.map((e) => e.id), first.after], [[c.id, b.id], b.id]);
    const second = await db.store.auditLog.list({ limit: 2, order: 'desc', after: first.after! });
    assert.deepEqual([second.data.map((e) => e.id), second.before, second.after], [[a.id], a.id, null]);
  });
});
