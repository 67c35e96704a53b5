/**
 * The Clever sandbox: an offline emulator of Clever District SSO (Log in with
 * Clever, Instant Login, the Portal, OIDC tokens, userinfo and the Data API
 * subset SSO tokens reach). See docs/sandbox.md.
 */
export { buildCleverSandbox, type BuildCleverSandboxOptions, type CleverSandbox } from './server.ts';
export { startCleverSandbox, type RunningCleverSandbox, type StartCleverSandboxOptions } from './start.ts';
export { loadSeedFile, parseSeed, SeedError } from './seed/parse-seed.ts';
export { defaultSeed } from './seed/default-seed.ts';
export type { SandboxSeed, UserType, LoginMethod } from './seed/seed-schema.ts';
export {
  claimShapes,
  defaultClaimShape,
  type ClaimRewrites,
  type ClaimShape,
  type SandboxSettings,
  type SandboxSettingsInput,
} from './settings.ts';
export { userTypeClaims } from './flow/user-claims.ts';
