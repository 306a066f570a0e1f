// Every error code of the service, from every *.errors.ts listed here (and nowhere else), for
// docs/errors.md. A test walks src/ and fails when a *.errors.ts is missing from this list, so the
// catalogue does not depend on what the composition root happens to import.
import * as admin from './admin/admin.errors.ts'
import * as apps from './apps/apps.errors.ts'
import * as callbacks from './callbacks/callbacks.errors.ts'
import * as campaigns from './campaigns/campaigns.errors.ts'
import * as channels from './channels/channels.errors.ts'
import * as consents from './consents/consents.errors.ts'
import * as consoleErrors from './console/console.errors.ts'
import type { ErrorDefinition } from './errors.ts'
import * as http from './http/http.errors.ts'
import * as messages from './messages/messages.errors.ts'
import * as secrets from './secrets/secrets.errors.ts'
import * as templates from './templates/templates.errors.ts'
import * as tokens from './tokens/tokens.errors.ts'
import * as users from './users/users.errors.ts'
import * as webhooks from './webhooks/webhooks.errors.ts'

/** The modules, by file name (`<domain>/<domain>.errors.ts`), that the test compares with src/. */
export const ERROR_MODULES: Record<string, Record<string, unknown>> = {
  'admin/admin.errors.ts': admin,
  'apps/apps.errors.ts': apps,
  'callbacks/callbacks.errors.ts': callbacks,
  'campaigns/campaigns.errors.ts': campaigns,
  'channels/channels.errors.ts': channels,
  'consents/consents.errors.ts': consents,
  'console/console.errors.ts': consoleErrors,
  'http/http.errors.ts': http,
  'messages/messages.errors.ts': messages,
  'secrets/secrets.errors.ts': secrets,
  'templates/templates.errors.ts': templates,
  'tokens/tokens.errors.ts': tokens,
  'users/users.errors.ts': users,
  'webhooks/webhooks.errors.ts': webhooks,
}

const isDefinition = (v: unknown): v is ErrorDefinition =>
  typeof v === 'function' && typeof (v as Partial<ErrorDefinition>).code === 'string'

/** Every definition exported by the modules above, sorted by code. */
export function errorCatalogue(): ErrorDefinition[] {
  return Object.values(ERROR_MODULES)
    .flatMap((m) => Object.values(m).filter(isDefinition))
    .map(({ code, status, zh, en }) => ({ code, status, zh, en }))
    .sort((a, b) => a.code.localeCompare(b.code))
}
