// What GET /v1/campaigns/:id answers: the campaign with its counts. Every recipient is in exactly
// one of pending (not fanned out yet), queued (queued, scheduled or sending), sent, delivered,
// failed or skipped, so the counts add up to `recipients`.
import type { Db } from '../db/db.ts'
import type { CampaignsStore } from './campaigns.store.ts'

type Row = NonNullable<Awaited<ReturnType<CampaignsStore['find']>>>

export interface CampaignCounts {
  recipients: number
  pending: number
  queued: number
  sent: number
  delivered: number
  failed: number
  skipped: number
}

export async function campaignProgress(db: Db, store: CampaignsStore, c: Row) {
  const rows = await store.messageCounts(db, c.id)
  const skippedBy: Record<string, number> = {}
  for (const [k, v] of Object.entries(c.skipped_by)) skippedBy[k] = Number(v)
  const failedBy: Record<string, number> = {}
  const counts: CampaignCounts = {
    recipients: c.recipients,
    pending: 0,
    queued: 0,
    sent: 0,
    delivered: 0,
    failed: 0,
    skipped: 0,
  }
  for (const r of rows) {
    if (r.status === 'queued' || r.status === 'scheduled' || r.status === 'sending') counts.queued += r.n
    else if (r.status === 'sent') counts.sent += r.n
    else if (r.status === 'delivered') counts.delivered += r.n
    else if (r.status === 'failed') {
      counts.failed += r.n
      const reason = r.reason ?? 'unknown'
      failedBy[reason] = (failedBy[reason] ?? 0) + r.n
    } else if (r.status === 'cancelled') skippedBy['cancelled'] = (skippedBy['cancelled'] ?? 0) + r.n
  }
  counts.skipped = Object.values(skippedBy).reduce((a, n) => a + n, 0)
  const accounted = counts.queued + counts.sent + counts.delivered + counts.failed + counts.skipped
  counts.pending = Math.max(0, counts.recipients - accounted)
  return {
    id: c.id,
    name: c.name,
    template: c.template_id,
    status: c.status,
    audience: c.audience,
    counts,
    skippedBy,
    failedBy,
    ...(c.rate_per_s !== null ? { ratePerSecond: c.rate_per_s } : {}),
    createdAt: c.created_at.toISOString(),
    ...(c.send_at ? { sendAt: c.send_at.toISOString() } : {}),
    ...(c.started_at ? { startedAt: c.started_at.toISOString() } : {}),
    ...(c.completed_at ? { completedAt: c.completed_at.toISOString() } : {}),
  }
}
