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
  await stack.control(
    `/control/apps/${stack.appId}`,
    {
      callback: {
        url: `${stack.apiUrl}/wechat/callback/${stack.appId}`,
        token,
        encodingAesKey,
        mode,
        format,
      },
    },
    'PATCH',
  )
  return { token, encodingAesKey }
}
