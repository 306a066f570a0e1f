// claim → access_token → POST subscribe/send → classify the answer → finish, retry or fail.
//
// Classification follows @wxpush/wechat's errcode catalogue:
//   ok            → sent; the reserved credit is consumed
//   token         → one forced refresh and one retry inside the attempt (then: retry later)
//   refused secret → wait (tokens.credentials_invalid; the attempt is not counted) until it is rotated
//   retry, quota  → backoff and retry, until WXPUSH_MAX_ATTEMPTS → failed: retries_exhausted
//   user_refused  → failed: user_refused, ledger zeroed (43101: our count was wrong) — unless an
//                   earlier attempt's outcome was unknown: then that attempt probably used the credit
//   permanent     → failed with the catalogue's reason at once; the credit is given back
// A transport error before the request was written is retried. One after it (timeout, reset, 5xx) or
// a -1 may have delivered: when the app receives callbacks the message waits up to
// WXPUSH_DELIVERY_EVIDENCE_WAIT_MS for WeChat's subscribe_msg_sent_event, which settles it (the
// callback handler); no event in time means not delivered, and it is retried. Without callbacks:
// retried when WXPUSH_RETRY_UNCERTAIN (at-least-once), else failed: outcome_unknown.
import type { ErrcodeInfo, WechatClient, WechatResult } from '@wxpush/wechat'
import { describeErrcode, WechatTransportError } from '@wxpush/wechat'
import type { Ledger } from '../consents/consents.ledger.ts'
import type { Db } from '../db/db.ts'
import { newId } from '../ids.ts'
import type { RateLimiter } from '../ratelimits/ratelimits.limiter.ts'
import { credentialsWait } from '../tokens/tokens.credentials.ts'
import type { TokenProvider } from '../tokens/tokens.provider.ts'
import { withTokenRetry } from '../tokens/tokens.retry.ts'
import type { Webhooks } from '../webhooks/webhooks.sender.ts'
import { nextAttemptAt, type RetryPolicy } from '../workers/workers.backoff.ts'
import { createWorkerLoop } from '../workers/workers.loop.ts'
import { OWN_FAILURE_REASONS } from './messages.status.ts'
import { createFinisher, type Decision } from './messages.finisher.ts'
import type { ClaimedMessage, MessagesStore, Outcome } from './messages.store.ts'

const AWAITING_EVIDENCE = 'awaiting_delivery_evidence'

/** The rate limit's wait ended without a grant: the message goes back unsent. */
class RateLimitWaitEnded extends Error {
  constructor(readonly reason: 'rate_limited' | 'stopping') {
    super(`rate limit wait ended: ${reason}`)
  }
}

export interface DispatcherOptions {
  batch: number
  concurrency: number
  pollMs: number
  leaseMs: number
  maxAttempts: number
  retryUncertain: boolean
  retryBaseMs: number
  credentialsRecheckMs: number
  evidenceWaitMs: number
}

/** The messages queue's retries: WXPUSH_RETRY_BASE_MS, WXPUSH_MAX_ATTEMPTS. */
export const messageRetryPolicy = (o: DispatcherOptions): RetryPolicy => ({
  baseMs: o.retryBaseMs,
  maxAttempts: o.maxAttempts,
})

export interface DispatchObserver {
  onSendResult?(p: { appId: string; errcode: number | 'transport'; seconds: number }): void
  onOutcome?(p: { status: string; reason: string | null }): void
  onSent?(p: { acceptedSecondsAgo: number }): void
  onError?(err: unknown): void
}

export function createDispatcher(deps: {
  db: Db
  store: MessagesStore
  ledger: Ledger
  tokens: TokenProvider
  wechat: WechatClient
  rateLimiter: RateLimiter
  webhooks: Webhooks
  options: DispatcherOptions
  observer?: DispatchObserver
  /**
   * A second source of work for the room single sends leave (campaign messages): single sends are
   * always claimed first, so a campaign backlog never delays them.
   */
  claimMore?: (p: { workerId: string; limit: number; leaseMs: number }) => Promise<ClaimedMessage[]>
}) {
  const { db, store, options } = deps
  const workerId = newId('wrk')
  const retry = messageRetryPolicy(options)

  // Aborted by stop(): sends waiting on the rate limit go back to the queue instead of holding it up.
  let stopping = new AbortController()
  const finisher = createFinisher({
    db,
    store,
    ledger: deps.ledger,
    webhooks: deps.webhooks,
    workerId,
    ...(deps.observer?.onOutcome ? { onOutcome: deps.observer.onOutcome } : {}),
    ...(deps.observer?.onSent ? { onSent: deps.observer.onSent } : {}),
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
    // Half a lease at most: a message still waiting then goes back unsent (see decideOnError).
    const granted = await deps.rateLimiter.acquire(m.app_id, {
      deadline: Date.now() + options.leaseMs / 2,
      signal: stopping.signal,
    })
    if (!granted) throw new RateLimitWaitEnded(stopping.signal.aborted ? 'stopping' : 'rate_limited')
    const started = performance.now()
    const report = (errcode: number) =>
      deps.observer?.onSendResult?.({
        appId: m.app_id,
        errcode,
        seconds: (performance.now() - started) / 1000,
      })
    const answer = await withTokenRetry(
      deps.tokens,
      m.app_id,
      (accessToken) => deps.wechat.sendSubscribeMessage({ accessToken, body }),
      (refused) => report(refused.errcode),
    )
    report(answer.errcode)
    return answer
  }

  function retryOrGiveUp(m: ClaimedMessage, outcome: Outcome, uncertain: boolean): Decision {
    const retryAt = nextAttemptAt(retry, m.attempts)
    if (retryAt === null) {
      return {
        kind: 'finish',
        outcome: { ...outcome, status: 'failed', reason: OWN_FAILURE_REASONS.retriesExhausted },
        // after an uncertain attempt WeChat may have spent the credit: keep it spent
        credit: uncertain || m.uncertain_attempts > 0 ? 'keep' : 'release',
      }
    }
    return { kind: 'retry', outcome: { ...outcome, status: 'queued' }, uncertain, retryAt }
  }

  /** The outcome is unknown: wait for WeChat's evidence when it can come, else `otherwise`. */
  function awaitEvidenceOr(m: ClaimedMessage, outcome: Outcome, otherwise: () => Decision): Decision {
    if (!m.has_callbacks || options.evidenceWaitMs <= 0) return otherwise()
    return {
      kind: 'retry',
      outcome: {
        status: 'queued',
        reason: AWAITING_EVIDENCE,
        detail: [outcome.reason, outcome.detail].filter(Boolean).join(': ') || null,
      },
      // settled either way by the window: the event (delivered) or its absence (not delivered)
      uncertain: false,
      retryAt: new Date(Date.now() + options.evidenceWaitMs),
      awaitEvidence: true,
    }
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
        // -1 "system error" on a send: WeChat may have delivered it (docs/wechat.md §10).
        if (answer.errcode === -1) return awaitEvidenceOr(m, outcome, () => retryOrGiveUp(m, outcome, true))
        return retryOrGiveUp(m, outcome, false)
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
    if (err instanceof RateLimitWaitEnded) {
      return { kind: 'requeue', outcome: { status: 'queued', reason: err.reason } }
    }
    if (err instanceof WechatTransportError) {
      const outcome: Outcome = { status: 'queued', reason: `transport_${err.kind}`, detail: err.message }
      if (!err.requestSent) return retryOrGiveUp(m, outcome, false)
      return awaitEvidenceOr(m, outcome, () => {
        if (options.retryUncertain) return retryOrGiveUp(m, outcome, true)
        return {
          kind: 'finish',
          outcome: { ...outcome, status: 'failed', reason: OWN_FAILURE_REASONS.outcomeUnknown },
          credit: 'keep',
        }
      })
    }
    // WeChat refused the AppSecret: wait for a rotation without spending the attempt.
    const wait = credentialsWait(err, options.credentialsRecheckMs)
    if (wait) {
      return {
        kind: 'retry',
        outcome: { status: 'queued', reason: wait.reason, detail: wait.detail },
        uncertain: false,
        retryAt: wait.retryAt,
        attemptCounts: false,
      }
    }
    // No token (WeChat unreachable or busy), a database hiccup…: try again later.
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
    // The last attempt's outcome was unknown and its evidence window passed without an event: not
    // delivered, and no attempt is left.
    if (m.attempts > options.maxAttempts) {
      await finisher.record(m, {
        kind: 'finish',
        outcome: { status: 'failed', reason: OWN_FAILURE_REASONS.retriesExhausted },
        credit: m.uncertain_attempts > 0 ? 'keep' : 'release',
      })
      return
    }
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
    claim: async (limit) => {
      const single = await store.claim(db, { workerId, limit, leaseMs: options.leaseMs })
      if (!deps.claimMore || single.length >= limit) return single
      const more = await deps.claimMore({ workerId, limit: limit - single.length, leaseMs: options.leaseMs })
      return more.length > 0 ? [...single, ...more] : single
    },
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
      if (stopping.signal.aborted) stopping = new AbortController()
      loop.start()
      sweep()
      sweeper ??= setInterval(sweep, sweepEveryMs)
    },
    async stop() {
      clearInterval(sweeper)
      sweeper = undefined
      stopping.abort()
      await loop.stop()
    },
    wake: loop.wake,
    inflight: loop.inflight,
  }
}
