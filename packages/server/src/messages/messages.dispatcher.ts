// claim → access_token → POST subscribe/send → classify the answer → finish, retry or fail.
//
// Classification follows @wxpush/wechat's errcode catalogue:
//   ok            → sent; the reserved credit is consumed
//   token         → one forced refresh and one retry inside the attempt (then: retry later)
//   retry, quota  → backoff and retry, until WXPUSH_MAX_ATTEMPTS → failed: retries_exhausted
//   user_refused  → failed: user_refused, ledger zeroed (43101: our count was wrong) — unless an
//                   earlier attempt's outcome was unknown: then that attempt probably used the credit
//   permanent     → failed with the catalogue's reason at once; the credit is given back
// A transport error before the request was written is retried. One after it (timeout, reset) may
// have delivered: retried when WXPUSH_RETRY_UNCERTAIN (at-least-once), else failed: outcome_unknown.
import type { ErrcodeInfo, WechatClient, WechatResult } from '@wxpush/wechat'
import { describeErrcode, TOKEN_ERRCODES, WechatTransportError } from '@wxpush/wechat'
import type { ChannelCalls } from '../channels/channels.dispatch.ts'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import type { RateLimiter } from '../ratelimits/ratelimits.limiter.ts'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import type { Webhooks } from '../webhooks/webhooks.sender.ts'
import { createWorkerLoop } from '../workers/workers.loop.ts'
import { backoffDelayMs } from './messages.backoff.ts'
import { OWN_FAILURE_REASONS } from './messages.status.ts'
import { createFinisher, type Decision } from './messages.finisher.ts'
import type { ClaimedMessage, MessagesStore, Outcome } from './messages.store.ts'

export interface DispatcherOptions {
  batch: number
  concurrency: number
  pollMs: number
  leaseMs: number
  maxAttempts: number
  retryUncertain: boolean
  retryBaseMs: number
}

export interface DispatchObserver {
  onSendResult?(p: { appId: string; errcode: number | 'transport'; seconds: number }): void
  onOutcome?(p: { status: string; reason: string | null }): void
  onError?(err: unknown): void
}

export function createDispatcher(deps: {
  db: Db
  store: MessagesStore
  ledger: Ledger
  tokens: TokenProvider
  wechat: WechatClient
  /** Which WeChat call sends a message of each channel (docs/channels.md). */
  channelCalls: ChannelCalls
  rateLimiter: RateLimiter
  webhooks: Webhooks
  options: DispatcherOptions
  observer?: DispatchObserver
}) {
  const { db, store, options } = deps
  const workerId = newId('wrk')
  const finisher = createFinisher({
    db,
    store,
    ledger: deps.ledger,
    webhooks: deps.webhooks,
    workerId,
    ...(deps.observer?.onOutcome ? { onOutcome: deps.observer.onOutcome } : {}),
  })

  async function send(m: ClaimedMessage): Promise<WechatResult<{ msgid?: string }>> {
    const body = {
      touser: m.openid,
      template_id: m.template_id,
      data: Object.fromEntries(Object.entries(m.data).map(([k, value]) => [k, { value }])),
      ...(m.page ? { page: m.page } : {}),
      ...(m.miniprogram_state ? { miniprogram_state: m.miniprogram_state as 'formal' } : {}),
      ...(m.lang ? { lang: m.lang as 'zh_CN' } : {}),
    }
    const call = deps.channelCalls.callFor(m, body)
    await deps.rateLimiter.acquire(m.app_id)
    const started = performance.now()
    const token = await deps.tokens.get(m.app_id)
    let answer = await call(token)
    if (!answer.ok && TOKEN_ERRCODES.has(answer.errcode)) {
      deps.observer?.onSendResult?.({
        appId: m.app_id,
        errcode: answer.errcode,
        seconds: (performance.now() - started) / 1000,
      })
      answer = await call(await deps.tokens.refreshAfterFailure(m.app_id, token))
    }
    deps.observer?.onSendResult?.({
      appId: m.app_id,
      errcode: answer.errcode,
      seconds: (performance.now() - started) / 1000,
    })
    return answer
  }

  function retryOrGiveUp(m: ClaimedMessage, outcome: Outcome, uncertain: boolean): Decision {
    if (m.attempts >= options.maxAttempts) {
      return {
        kind: 'finish',
        outcome: { ...outcome, status: 'failed', reason: OWN_FAILURE_REASONS.retriesExhausted },
        // after an uncertain attempt WeChat may have spent the credit: keep it spent
        credit: uncertain || m.uncertain_attempts > 0 ? 'keep' : 'release',
      }
    }
    const retryAt = new Date(Date.now() + backoffDelayMs(m.attempts, Math.random(), options.retryBaseMs))
    return { kind: 'retry', outcome: { ...outcome, status: 'queued' }, uncertain, retryAt }
  }

  function decideOnAnswer(m: ClaimedMessage, answer: WechatResult<{ msgid?: string }>): Decision {
    if (answer.ok) {
      return {
        kind: 'finish',
        outcome: { status: 'sent', errcode: 0, wechatMsgid: answer.msgid ?? null },
        credit: 'consume',
      }
    }
    const info: ErrcodeInfo = describeErrcode(answer.errcode)
    const outcome: Outcome = {
      status: 'failed',
      errcode: answer.errcode,
      errmsg: answer.errmsg,
      reason: info.reason,
    }
    switch (info.kind) {
      case 'ok':
        return { kind: 'finish', outcome: { status: 'sent', errcode: 0 }, credit: 'consume' }
      case 'retry':
        // -1 "system error" on a send: WeChat may have delivered it (WECHAT-REFERENCE §10.1).
        return retryOrGiveUp(m, outcome, answer.errcode === -1)
      case 'quota':
      case 'token':
        return retryOrGiveUp(m, outcome, false)
      case 'user_refused':
        if (m.uncertain_attempts > 0) {
          return {
            kind: 'finish',
            outcome: {
              ...outcome,
              reason: OWN_FAILURE_REASONS.outcomeUnknown,
              detail: 'an earlier attempt may have delivered it',
            },
            credit: 'keep',
          }
        }
        return {
          kind: 'finish',
          outcome: { ...outcome, reason: OWN_FAILURE_REASONS.userRefused },
          credit: 'zero',
        }
      case 'permanent':
        return { kind: 'finish', outcome, credit: m.uncertain_attempts > 0 ? 'keep' : 'release' }
    }
  }

  function decideOnError(m: ClaimedMessage, err: unknown): Decision {
    if (err instanceof WechatTransportError) {
      const outcome: Outcome = { status: 'queued', reason: `transport_${err.kind}`, detail: err.message }
      if (!err.requestSent) return retryOrGiveUp(m, outcome, false)
      if (options.retryUncertain) return retryOrGiveUp(m, outcome, true)
      return {
        kind: 'finish',
        outcome: { ...outcome, status: 'failed', reason: OWN_FAILURE_REASONS.outcomeUnknown },
        credit: 'keep',
      }
    }
    // No token (WeChat refused our credentials), a database hiccup…: try again later.
    const code = (err as { code?: unknown }).code
    return retryOrGiveUp(
      m,
      {
        status: 'queued',
        reason: typeof code === 'string' ? code : 'internal_error',
        detail: String((err as Error).message ?? err),
      },
      false,
    )
  }

  async function run(m: ClaimedMessage) {
    let decision: Decision
    try {
      decision = decideOnAnswer(m, await send(m))
    } catch (err) {
      if (err instanceof WechatTransportError)
        deps.observer?.onSendResult?.({ appId: m.app_id, errcode: 'transport', seconds: 0 })
      decision = decideOnError(m, err)
    }
    await finisher.record(m, decision)
  }

  const loop = createWorkerLoop<ClaimedMessage>({
    concurrency: options.concurrency,
    batch: options.batch,
    pollMs: options.pollMs,
    claim: (limit) => store.claim(db, { workerId, limit, leaseMs: options.leaseMs }),
    run,
    onError: (err) => deps.observer?.onError?.(err),
  })

  // Every process sweeps expired leases now and then; the UPDATE is idempotent, so several
  // sweeping at once only find nothing to do. Half a lease: a dead worker's messages wait at most
  // 1.5 leases before they are sent again.
  const sweepEveryMs = Math.min(options.leaseMs / 2, 5_000)
  let sweeper: NodeJS.Timeout | undefined
  const sweep = () => {
    store.sweepExpiredLeases(db).then(
      (n) => n > 0 && loop.wake(),
      (err: unknown) => deps.observer?.onError?.(err),
    )
  }

  return {
    workerId,
    start() {
      loop.start()
      sweep()
      sweeper ??= setInterval(sweep, sweepEveryMs)
    },
    async stop() {
      clearInterval(sweeper)
      sweeper = undefined
      await loop.stop()
    },
    wake: loop.wake,
    inflight: loop.inflight,
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
