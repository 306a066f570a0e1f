// `wxpush campaigns create|list|show|pause|resume|cancel`: a client of the HTTP API (like a backend
// would be), so it works against any running wxpush. It finds the API in WXPUSH_URL and
// WXPUSH_API_KEY, or else in the dev.json that `npm run dev` writes into WXPUSH_DATA_DIR.
// `show --watch` and `create --watch` follow the campaign: a live bar on a terminal, one plain
// line per change otherwise (logs, CI).
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import {
  doneOf,
  progressLine,
  rateBetween,
  type ProgressCounts,
  type ProgressSample,
} from './campaigns.progress.ts'
import { apiTarget } from './api.client.ts'
import { flag } from './wxpush.ts'

const USAGE = `用法 / usage:
  wxpush campaigns create --name N --template T --data '{"thing1":"…"}'
                          (--consented | --tag TAG | --openids a,b | --user-ids a,b | --upload FILE.csv|FILE.ndjson)
                          [--rate N] [--send-at ISO] [--page P] [--watch]
  wxpush campaigns list [--status S]
  wxpush campaigns show <id> [--watch]
  wxpush campaigns pause|resume|cancel <id>
API: WXPUSH_URL + WXPUSH_API_KEY, or dev.json in WXPUSH_DATA_DIR (npm run dev)`

interface Campaign {
  id: string
  name: string
  status: string
  counts: ProgressCounts
  skippedBy: Record<string, number>
  failedBy: Record<string, number>
}

const FINAL = new Set(['completed', 'cancelled'])

export async function campaignsCommand(
  args: string[],
  env: Record<string, string | undefined>,
): Promise<void> {
  const [sub, ...rest] = args
  const api = apiTarget(env)
  const call = async <T>(
    method: string,
    path: string,
    body?: unknown,
    type = 'application/json',
  ): Promise<T> => {
    const res = await fetch(api.url + path, {
      method,
      headers: {
        authorization: `Bearer ${api.key}`,
        ...(body === undefined ? {} : { 'content-type': type }),
      },
      ...(body === undefined
        ? {}
        : body instanceof Readable
          ? { body: Readable.toWeb(body) as ReadableStream, duplex: 'half' }
          : { body: JSON.stringify(body) }),
    } as RequestInit)
    const answer = (await res.json()) as T & { error?: { code: string; message: string; details?: unknown } }
    if (!res.ok && answer.error) {
      throw new Error(
        `${res.status} ${answer.error.code}: ${answer.error.message} ${JSON.stringify(answer.error.details ?? {})}`,
      )
    }
    return answer
  }
  const tty = process.stdout.isTTY === true

  async function watch(id: string) {
    let last: ProgressSample | undefined
    let printed = ''
    for (;;) {
      const c = await call<Campaign>('GET', `/v1/campaigns/${id}`)
      const sample = { at: Date.now(), done: doneOf(c.counts) }
      const line = progressLine({
        status: c.status,
        counts: c.counts,
        rate: rateBetween(last, sample),
        bar: tty,
      })
      last = sample
      if (tty) process.stdout.write(`\r\x1b[2K${line}`)
      else if (line !== printed) console.log(line)
      printed = line
      if (FINAL.has(c.status)) {
        if (tty) process.stdout.write('\n')
        printDetail(c)
        return
      }
      await sleep(1_000)
    }
  }

  function printDetail(c: Campaign) {
    console.log(`${c.id}\t${c.name}\t${c.status}`)
    console.log(`  counts   ${JSON.stringify(c.counts)}`)
    if (Object.keys(c.skippedBy).length > 0) console.log(`  skipped  ${JSON.stringify(c.skippedBy)}`)
    if (Object.keys(c.failedBy).length > 0) console.log(`  failed   ${JSON.stringify(c.failedBy)}`)
  }

  switch (sub) {
    case 'create': {
      const name = flag(rest, '--name')
      const template = flag(rest, '--template')
      if (!name || !template) throw new Error(USAGE)
      const list = (v: string | undefined) =>
        v
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean)
          : undefined
      const file = flag(rest, '--upload')
      const audience = rest.includes('--consented')
        ? { consented: true }
        : flag(rest, '--tag')
          ? { tag: flag(rest, '--tag') }
          : list(flag(rest, '--openids'))
            ? { openids: list(flag(rest, '--openids')) }
            : list(flag(rest, '--user-ids'))
              ? { userIds: list(flag(rest, '--user-ids')) }
              : file
                ? { upload: true }
                : undefined
      if (!audience) throw new Error(USAGE)
      const rate = flag(rest, '--rate')
      const created = await call<{ id: string; status: string }>('POST', '/v1/campaigns', {
        name,
        template,
        data: JSON.parse(flag(rest, '--data') ?? '{}') as unknown,
        audience,
        ...(rate ? { ratePerSecond: Number(rate) } : {}),
        ...(flag(rest, '--send-at') ? { sendAt: flag(rest, '--send-at') } : {}),
        ...(flag(rest, '--page') ? { page: flag(rest, '--page') } : {}),
      })
      console.log(`${created.id}\t${created.status}`)
      if (file) {
        const type = file.endsWith('.csv') ? 'text/csv' : 'application/x-ndjson'
        const up = await call<{
          accepted: number
          rejectedCount: number
          rejected: { line: number; error: { code: string; message: string } }[]
        }>('POST', `/v1/campaigns/${created.id}/recipients`, createReadStream(file), type)
        console.log(`已接收 / accepted ${up.accepted}\t已拒绝 / rejected ${up.rejectedCount}`)
        for (const r of up.rejected) console.log(`  line ${r.line}: ${r.error.code} ${r.error.message}`)
        const started = await call<Campaign>('POST', `/v1/campaigns/${created.id}/start`)
        console.log(`${started.id}\t${started.status}`)
      }
      if (rest.includes('--watch')) await watch(created.id)
      return
    }
    case 'list': {
      const status = flag(rest, '--status')
      const page = await call<{ items: Campaign[] }>(
        'GET',
        `/v1/campaigns${status ? `?status=${status}` : ''}`,
      )
      for (const c of page.items)
        console.log(
          `${c.id}\t${c.status}\t${c.name}\t${progressLine({ status: c.status, counts: c.counts, rate: 0, bar: false })}`,
        )
      if (page.items.length === 0) console.log('没有群发活动 / no campaigns')
      return
    }
    case 'show': {
      const id = rest.find((a) => !a.startsWith('--'))
      if (!id) throw new Error(USAGE)
      if (rest.includes('--watch')) return watch(id)
      printDetail(await call<Campaign>('GET', `/v1/campaigns/${id}`))
      return
    }
    case 'pause':
    case 'resume':
    case 'cancel': {
      const id = rest[0]
      if (!id) throw new Error(USAGE)
      const c = await call<Campaign>('POST', `/v1/campaigns/${id}/${sub}`)
      printDetail(c)
      return
    }
    default:
      console.error(USAGE)
      process.exitCode = 2
  }
}
