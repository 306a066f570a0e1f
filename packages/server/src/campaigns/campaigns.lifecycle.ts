// start / pause / resume / cancel: each a conditional status change in SQL, so two callers (or a
// caller and the scheduler) can never both win; a change the status does not allow is a 409.
import type { Db } from '../db/db.ts'
import type { CampaignStatus } from '../db/db.schema.ts'
import { audienceEmpty, campaignNotFound, stateConflict } from './campaigns.errors.ts'
import { campaignProgress } from './campaigns.progress.ts'
import type { CampaignScheduler } from './campaigns.scheduler.ts'
import type { CampaignsStore } from './campaigns.store.ts'

export type CampaignAction = 'start' | 'pause' | 'resume' | 'cancel'

export function createCampaignLifecycle(deps: {
  db: Db
  store: CampaignsStore
  scheduler: CampaignScheduler
}) {
  const { db, store } = deps

  async function load(appId: string, id: string) {
    const c = await store.find(db, appId, id)
    if (!c) throw campaignNotFound({ id })
    return c
  }

  async function view(appId: string, id: string) {
    return campaignProgress(db, store, await load(appId, id))
  }

  const conflict = (status: CampaignStatus, action: CampaignAction) => stateConflict({ status, action })

  async function act(appId: string, id: string, action: CampaignAction) {
    const c = await load(appId, id)
    const later = c.send_at !== null && c.send_at.getTime() > Date.now()
    let moved = false
    switch (action) {
      case 'start':
        if (c.status !== 'draft') throw conflict(c.status, action)
        if (!(await store.hasRecipients(db, id))) throw audienceEmpty({ audience: 'upload' })
        moved = await store.transition(db, {
          appId,
          id,
          from: ['draft'],
          to: later ? 'scheduled' : 'running',
        })
        break
      case 'pause':
        moved = await store.transition(db, { appId, id, from: ['running', 'scheduled'], to: 'paused' })
        break
      case 'resume':
        moved = await store.transition(db, {
          appId,
          id,
          from: ['paused'],
          to: later ? 'scheduled' : 'running',
        })
        break
      case 'cancel':
        moved = await store.markCancelled(db, { appId, id })
        // The first 10 000 queued messages and their credits at once, so a small campaign's answer
        // shows them given back; the scheduler cancels the rest and settles what was in flight.
        if (moved) await deps.scheduler.cancelQueued(id, 5)
        break
    }
    if (!moved) throw conflict((await load(appId, id)).status, action)
    deps.scheduler.wake()
    return view(appId, id)
  }

  /** A page of the app's campaigns, newest first, each with its counts; the cursor is ours. */
  async function list(appId: string, q: { status?: CampaignStatus; cursor?: string; limit: number }) {
    const before = q.cursor ? decodeCursor(q.cursor) : undefined
    const rows = await store.list(db, {
      appId,
      status: q.status,
      ...(before ? { before } : {}),
      limit: q.limit,
    })
    const items = []
    for (const c of rows) items.push(await campaignProgress(db, store, c))
    const last = rows.at(-1)
    return {
      items,
      nextCursor:
        rows.length === q.limit && last
          ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url')
          : null,
    }
  }

  return { view, act, list }
}

function decodeCursor(cursor: string) {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|')
  const createdAt = new Date(at ?? '')
  if (!id || Number.isNaN(createdAt.getTime())) return undefined
  return { createdAt, id }
}

export type CampaignLifecycle = ReturnType<typeof createCampaignLifecycle>
