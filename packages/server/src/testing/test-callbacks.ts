// Message push configured on both sides: wxpush (through its API, with an admin-scope key) and the
// simulator (WeChat's side), with the same token and EncodingAESKey. Answers the token, for tests that
// sign a push themselves.
import { randomBytes } from 'node:crypto'
import type { TestStack } from './test-stack.ts'

export async function configureCallbacks(
  stack: TestStack,
  mode: 'plain' | 'compatible' | 'secure' = 'plain',
  format: 'json' | 'xml' = 'json',
): Promise<{ token: string; encodingAesKey: string }> {
  const adminKey = (await stack.wxpush.services.apps.issueApiKey(stack.appId, 'admin')).apiKey
  const token = `tok${randomBytes(6).toString('hex')}`
  const encodingAesKey = randomBytes(32).toString('base64').slice(0, 43)
  const put = await stack.api(
    'PUT',
    `/v1/apps/${stack.appId}/callback`,
    { token, encodingAesKey, mode, format },
    { authorization: `Bearer ${adminKey}` },
  )
  if (put.status !== 200) throw new Error(`callback config: ${put.status} ${JSON.stringify(put.body)}`)
  await pointSimulatorCallbacks(stack, { token, encodingAesKey, mode, format })
  return { token, encodingAesKey }
}

/** WeChat's side (the simulator) pushes to this stack's callback URL with these settings. */
export async function pointSimulatorCallbacks(
  stack: TestStack,
  settings: { token: string; encodingAesKey: string; mode: string; format: string },
): Promise<void> {
  await stack.control(
    `/control/apps/${stack.appId}`,
    { callback: { url: `${stack.apiUrl}/wechat/callback/${stack.appId}`, ...settings } },
    'PATCH',
  )
}
