// The consent ledger: what each user allowed, and one-time credits counted exactly.
//
//   accept reported by the mini program / confirmed by WeChat's popup event → +1 on that source's
//          counter; credits = greatest(reported, confirmed) - used, so one tap is never counted twice
//          (CREDITS_LEFT). When the app receives popup events, reported accepts no event confirms
//          stop counting after the confirmation window; a refusal in an event voids them at once.
//   the user's settings (main switch off, "always reject")  → no credits, long-term off
//   enqueue of a one-time message                      → reserve: −1 credit (409 when none), taken
//                                                        inside the outbox's enqueue statement (consentGate)
//   WeChat accepted the send                            → nothing: the reserved credit stays spent
//   WeChat refused without using it (busy, token, …)    → release: +1 credit
//   WeChat answered 43101                               → zero: our count was wrong
// Long-term templates need status 'accept' and spend nothing.
import type { Db } from '../db/db.ts'
import type { ConsentSource, ConsentStatus } from '../db/db.schema.ts'
import { userSwitchedOff } from './consents.errors.ts'
import type { ConsentsStore } from './consents.store.ts'

export type SubscribeAnswer =
  'accept' | 'acceptWithAudio' | 'acceptWithAlert' | 'acceptWithForcePush' | 'reject' | 'ban' | 'filter'

export const SUBSCRIBE_ANSWERS: readonly SubscribeAnswer[] = Object.freeze([
  'accept',
  'acceptWithAudio',
  'acceptWithAlert',
  'acceptWithForcePush',
  'reject',
  'ban',
  'filter',
])

function statusOf(answer: SubscribeAnswer): ConsentStatus {
  return answer.startsWith('accept') ? 'accept' : (answer as ConsentStatus)
}

export function createLedger({ store }: { store: ConsentsStore }) {
  async function refusedBecauseSwitchedOff(db: Db, p: { userId: string; templateId: string }) {
    const s = await store.findSettings(db, p.userId)
    if (!s) return
    const always = s.item_settings[p.templateId]
    const reason = !s.main_switch
      ? 'main_switch_off'
      : always === 'reject' || always === 'ban'
        ? `always_${always}`
        : undefined
    if (reason) throw userSwitchedOff({ template: p.templateId, reason, since: s.updated_at.toISOString() })
  }

  return {
    async recordAnswers(
      db: Db,
      p: {
        appId: string
        userId: string
        results: Record<string, SubscribeAnswer>
        source: ConsentSource
        /** Reports wait this long for WeChat's popup event; null: the app receives none (0010). */
        confirmWindowS?: number | null
      },
    ) {
      const out: {
        template: string
        credits: number
        status: ConsentStatus
        unconfirmedUntil: Date | null
      }[] = []
      const accepted: string[] = []
      for (const [templateId, answer] of Object.entries(p.results)) {
        const status = statusOf(answer)
        const accept = status === 'accept'
        const row = await store.addAnswer(db, {
          appId: p.appId,
          userId: p.userId,
          templateId,
          status,
          source: p.source,
          accept,
          confirmWindowS: p.confirmWindowS ?? null,
        })
        if (accept) accepted.push(templateId)
        await store.appendEvent(db, {
          appId: p.appId,
          userId: p.userId,
          templateId,
          action: answer,
          source: p.source,
          delta: accept ? 1 : 0,
        })
        out.push({
          template: row.template_id,
          credits: row.credits,
          status: row.status,
          unconfirmedUntil: row.unconfirmed_until,
        })
      }
      // An accept shows the switches were on; the credits above were read before, so read again.
      if (accepted.length > 0 && (await store.acceptSeen(db, { userId: p.userId, templateIds: accepted })))
        for (const o of out)
          o.credits = (await store.find(db, { userId: p.userId, templateId: o.template }))!.credits
      return out
    },

    /**
     * Why a send found no credit or consent, when the user's settings are the reason: throws
     * 409 messages.user_switched_off. Read only on the refused path, never for a send that passes.
     */
    refusedBecauseSwitchedOff,

    /** What the mini program's wx.getSetting showed, or what a 20004 implied. */
    saveSettings: store.saveSettings,
    findSettings: store.findSettings,
    templatesForUser: store.templatesForUser,
    knownTemplates: store.knownTemplates,

    /** A failed wx.requestSubscribeMessage, kept in the ledger's history: no credit either way. */
    async recordFailure(db: Db, p: { appId: string; userId: string; errCode: number; templates: string[] }) {
      for (const templateId of p.templates)
        await store.appendEvent(db, {
          appId: p.appId,
          userId: p.userId,
          templateId,
          action: `fail_${p.errCode}`,
          source: 'miniprogram',
          delta: 0,
        })
    },

    /** Gives back the credits of messages WeChat refused without using them. One statement. */
    async release(db: Db, refs: { appId: string; userId: string; templateId: string; messageId: string }[]) {
      await store.giveCredits(db, refs)
    },

    /**
     * After 43101 WeChat holds no consent for this user and template: one-time credits are written
     * off, and a long-term template is marked off (else every later send would meet 43101 again
     * until WeChat's change event arrives).
     */
    async zero(
      db: Db,
      p: {
        appId: string
        userId: string
        templateId: string
        messageId: string | null
        kind: 'one_time' | 'long_term'
      },
    ) {
      const before = await store.zeroCredits(db, {
        ...p,
        ...(p.kind === 'long_term' ? { status: 'off' as const, source: 'wechat' as const } : {}),
      })
      await store.appendEvent(db, { ...p, action: 'zero_after_43101', source: 'wechat', delta: -before })
    },

    /** WeChat's change event: the user switched the template off in settings. Credits left are void. */
    async switchOff(db: Db, p: { appId: string; userId: string; templateId: string }) {
      const before = await store.zeroCredits(db, { ...p, status: 'off', source: 'wechat' })
      await store.appendEvent(db, { ...p, action: 'switched_off', source: 'wechat', delta: -before })
    },

    listForUser: (db: Db, userId: string) => store.listForUser(db, userId),
  }
}

export type Ledger = ReturnType<typeof createLedger>
