/**
 * What `POST /connections` and `PUT /connections/{id}` accept, and how it
 * changes a connection's settings. Unknown fields are ignored.
 *
 * In both, an omitted field keeps its value and `null` clears it (a cleared
 * Clever discovery endpoint falls back to Clever's own).
 */
import { z } from 'zod';
import { connectionTypes, defaultDiscoveryEndpoint } from '../connections/settings.ts';
import { WELL_KNOWN_PATH } from '../connections/validate-discovery.ts';
import type { SecretBox } from '../secrets.ts';
import type { Connection, ConnectionType } from '../store/types.ts';
import { invalidParameters } from './parse-input.ts';

/** Clever IDs are MongoDB ObjectIds: 24 hexadecimal characters. */
const CLEVER_ID = /^[0-9a-f]{24}$/;
/** WorkOS role slugs: lower-case letters, digits, `-` and `_`. */
const ROLE_SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

const connectionType = z.enum(connectionTypes as [ConnectionType, ...ConnectionType[]]);

const discoveryEndpoint = z
  .string()
  .trim()
  .max(2048)
  .refine(isDiscoveryUrl, { message: `must be an http(s) URL ending in ${WELL_KNOWN_PATH}` });

const roleMappings = z
  .array(
    z.object({
      group: z.string().trim().min(1).max(256),
      role: z.string().trim().regex(ROLE_SLUG, { message: 'must be a role slug: lower-case letters, digits, - and _' }),
    }),
  )
  .max(100)
  .superRefine((mappings, ctx) => {
    const groups = mappings.map((m) => m.group);
    const repeated = groups.find((group, i) => groups.indexOf(group) !== i);
    // The first mapping of a group would always win, so a second one is a mistake worth reporting.
    if (repeated !== undefined) ctx.addIssue({ code: 'custom', message: `maps group ${repeated} twice` });
  });

/** Settings both endpoints accept. */
const settingsFields = {
  name: z.string().trim().min(1).max(255),
  client_id: z.string().trim().min(1).max(512).nullable(),
  // Never trimmed or echoed: a secret is taken exactly as given.
  client_secret: z.string().min(1).max(4096).nullable(),
  discovery_endpoint: discoveryEndpoint.nullable(),
  district_id: z
    .string()
    .trim()
    .toLowerCase()
    .regex(CLEVER_ID, { message: 'must be a Clever district ID: 24 hexadecimal characters' })
    .nullable(),
  role_mappings: roleMappings,
};

export const createConnectionInput = z.object({
  organization_id: z.string().min(1).max(200),
  connection_type: connectionType,
  ...z.object(settingsFields).partial().shape,
});

export const updateConnectionInput = z.object({
  // Accepted only unchanged, so a client may send back what it read.
  organization_id: z.string().min(1).max(200).optional(),
  connection_type: connectionType.optional(),
  /** `inactive` disables the connection; `active` re-enables it (it goes live once its settings validate). */
  state: z.enum(['active', 'inactive']).optional(),
  ...z.object(settingsFields).partial().shape,
});

export type ConnectionSettingsInput = Partial<z.output<z.ZodObject<typeof settingsFields>>>;

/** A connection's stored settings, apart from its identity, state and timestamps. */
export type ConnectionSettings = Omit<Connection, 'id' | 'state' | 'validationError' | 'createdAt' | 'updatedAt'>;

/** The settings of a connection not yet configured. */
export function blankSettings(organizationId: string, type: ConnectionType, name: string): ConnectionSettings {
  return {
    organizationId,
    connectionType: type,
    name,
    clientId: null,
    clientSecretEncrypted: null,
    discoveryEndpoint: defaultDiscoveryEndpoint(type),
    districtId: null,
    roleMappings: [],
  };
}

/**
 * `current` with the request's changes applied. A new client secret is sealed
 * here, the moment it enters, so the plaintext goes no further.
 */
export function applySettingsInput(current: ConnectionSettings, input: ConnectionSettingsInput, secrets: SecretBox): ConnectionSettings {
  if (input.district_id && current.connectionType !== 'CleverOIDC') {
    throw invalidParameters([{ field: 'district_id', code: 'district_id_invalid', message: 'district_id applies to CleverOIDC connections only' }]);
  }
  return {
    ...current,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.client_id !== undefined ? { clientId: input.client_id } : {}),
    ...(input.client_secret !== undefined ? { clientSecretEncrypted: input.client_secret === null ? null : secrets.seal(input.client_secret) } : {}),
    ...(input.discovery_endpoint !== undefined
      ? { discoveryEndpoint: input.discovery_endpoint ?? defaultDiscoveryEndpoint(current.connectionType) }
      : {}),
    ...(input.district_id !== undefined ? { districtId: input.district_id } : {}),
    ...(input.role_mappings !== undefined ? { roleMappings: input.role_mappings } : {}),
  };
}

/**
 * Whether anything the IdP sees changed: those are the settings a live
 * connection must be validated again for. Name and role mappings are ours alone.
 */
export function idpSettingsChanged(before: ConnectionSettings, after: ConnectionSettings): boolean {
  return (
    before.clientId !== after.clientId ||
    // Sealing is randomized, so any newly given secret reads as a change; that only costs one validation.
    before.clientSecretEncrypted !== after.clientSecretEncrypted ||
    before.discoveryEndpoint !== after.discoveryEndpoint ||
    before.districtId !== after.districtId
  );
}

function isDiscoveryUrl(value: string): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (url.protocol === 'https:' || url.protocol === 'http:') && url.pathname.replace(/\/+$/, '').endsWith(WELL_KNOWN_PATH);
}
