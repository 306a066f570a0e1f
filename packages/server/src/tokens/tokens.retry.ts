// One forced refresh and one retry when WeChat refuses the token (40001 / 40014 / 42001). Every
// caller of a token-taking WeChat API goes through here: the dispatcher, the template registry and
// the public library.
import type { WechatResult } from '@wxpush/wechat'
import { TOKEN_ERRCODES } from '@wxpush/wechat'
import type { TokenProvider } from './tokens.provider.ts'

/** Where a token comes from: the app's provider, or a linked official account's (channels/official-account.ts). */
export type TokenSource = Pick<TokenProvider, 'get' | 'refreshAfterFailure'>

export async function withTokenRetry<T>(
  tokens: TokenSource,
  appId: string,
  call: (accessToken: string) => Promise<WechatResult<T>>,
  /** Told of the refused first answer before the retry (the dispatcher counts it in its metrics). */
  onTokenRefused?: (refused: WechatResult<T>) => void,
): Promise<WechatResult<T>> {
  const token = await tokens.get(appId)
  const first = await call(token)
  if (first.ok || !TOKEN_ERRCODES.has(first.errcode)) return first
  onTokenRefused?.(first)
  return call(await tokens.refreshAfterFailure(appId, token))
}
