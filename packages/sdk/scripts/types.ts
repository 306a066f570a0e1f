// `npm run types -w packages/sdk`: src/openapi.ts from the committed docs/openapi.json (the service's
// OpenAPI document). A test renders it again and fails on drift, so the SDK's types follow the routes.
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'

const DOCUMENT = fileURLToPath(new URL('../../../docs/openapi.json', import.meta.url))
export const TYPES_FILE = fileURLToPath(new URL('../src/openapi.ts', import.meta.url))

export async function renderTypes(): Promise<string> {
  const document = JSON.parse(readFileSync(DOCUMENT, 'utf8')) as Parameters<typeof openapiTS>[0]
  const ast = await openapiTS(document, { alphabetize: true })
  return [
    '// Generated from docs/openapi.json by `npm run types -w packages/sdk`; do not edit by hand.',
    astToString(ast),
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(TYPES_FILE, await renderTypes())
  console.log(`已生成 / wrote ${TYPES_FILE}`)
}
