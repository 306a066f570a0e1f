// What a message does while WeChat refuses its app's AppSecret: it waits (its attempt not counted, so no
// retries are burnt) and looks again now and then; the provider answers at once without calling WeChat
// until the secret is rotated, so a recheck costs two database reads and nothing at WeChat.
import { AppError } from '../errors.ts'
import { credentialsInvalid } from './tokens.errors.ts'

/** The wait (WXPUSH_CREDENTIALS_RECHECK_MS) for a message whose send failed on refused credentials, or null. */
export function credentialsWait(err: unknown, recheckMs: number, now = Date.now()) {
  if (!(err instanceof AppError) || err.code !== credentialsInvalid.code) return null
  const errcode = err.details?.errcode
  return {
    retryAt: new Date(now + recheckMs),
    reason: credentialsInvalid.code,
    detail: `微信拒绝了 AppSecret（errcode ${String(errcode)}），等待更换密钥 / WeChat refused the AppSecret (errcode ${String(errcode)}): waiting for the secret to be rotated`,
  }
}
