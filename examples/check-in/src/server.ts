// Starts the check-in backend against a running wxpush: the URL and API key come from
// CHECKIN_WXPUSH_URL / CHECKIN_WXPUSH_API_KEY, or else from the dev.json of `npm run dev`.
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createCheckinApp } from './app.ts'

const env = process.env
let wxpushUrl = env.CHECKIN_WXPUSH_URL
let apiKey = env.CHECKIN_WXPUSH_API_KEY
if (!wxpushUrl || !apiKey) {
  // npm workspaces run this from examples/check-in: dev.json is in the repository root's data folder.
  const file = resolve(env.WXPUSH_DATA_DIR ?? '../../.wxpush', 'dev.json')
  const dev = JSON.parse(readFileSync(file, 'utf8')) as { apiUrl: string; apiKey: string }
  wxpushUrl = dev.apiUrl
  apiKey = dev.apiKey
}
const port = Number(env.CHECKIN_PORT ?? 4000)
createCheckinApp({ wxpushUrl, apiKey, template: env.CHECKIN_TEMPLATE ?? 'checkin_reminder' }).listen(
  port,
  '127.0.0.1',
  () => console.log(`签到后端 / check-in backend: http://127.0.0.1:${port} (wxpush ${wxpushUrl})`),
)
