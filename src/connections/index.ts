import type { ConnectionType } from '../store/types.ts';
import { cleverOidc } from './clever-oidc.ts';
import { genericOidc } from './generic-oidc.ts';
import type { ConnectionModule } from './identity.ts';

const modules: Record<ConnectionType, ConnectionModule> = {
  CleverOIDC: cleverOidc,
  GenericOIDC: genericOidc,
};

/** Every connection type Hallpass supports. */
export const connectionTypes = Object.keys(modules) as ConnectionType[];

/** The module that knows how to talk to a connection type's IdP. */
export function connectionModule(type: ConnectionType): ConnectionModule {
  return modules[type];
}
