// The generic worker loop: claim while there is room, run each job, wait for a wake-up, a finished
// job or the poll interval. Polling is the truth; wake() (an in-process enqueue, or NOTIFY) is only
// a hint that shortens the wait. stop() claims nothing more and waits for the jobs in flight.
import { setTimeout as sleep } from 'node:timers/promises'

export interface WorkerLoopOptions<J> {
  concurrency: number
  batch: number
  pollMs: number
  claim(limit: number): Promise<J[]>
  run(job: J): Promise<void>
  onError(err: unknown): void
}

export function createWorkerLoop<J>(o: WorkerLoopOptions<J>) {
  let running = false
  let loopDone: Promise<void> = Promise.resolve()
  const inflight = new Set<Promise<void>>()
  let wakeUp: (() => void) | undefined

  const waitForSignal = async (ms: number) => {
    const ac = new AbortController()
    const woken = new Promise<void>((resolve) => (wakeUp = resolve))
    await Promise.race([woken, sleep(ms, undefined, { signal: ac.signal }).catch(() => {}), ...inflight])
    ac.abort()
    wakeUp = undefined
  }

  // Claim in chunks: a claim per freed slot would cost a statement (and a commit) per job.
  const minClaim = Math.max(1, Math.floor(Math.min(o.concurrency, o.batch) / 4))

  async function loop() {
    while (running) {
      const free = o.concurrency - inflight.size
      let claimed = 0
      if (free >= minClaim || (free > 0 && inflight.size === 0)) {
        try {
          const jobs = await o.claim(Math.min(free, o.batch))
          claimed = jobs.length
          for (const job of jobs) {
            const p: Promise<void> = o
              .run(job)
              .catch(o.onError)
              .finally(() => inflight.delete(p))
            inflight.add(p)
          }
        } catch (err) {
          o.onError(err) // e.g. the database restarting: back off one poll interval and try again
          await waitForSignal(o.pollMs)
          continue
        }
      }
      // A full batch means more may be due: claim again at once while there is room.
      if (claimed > 0 && claimed === Math.min(free, o.batch) && inflight.size < o.concurrency) continue
      await waitForSignal(o.pollMs)
    }
  }

  return {
    start() {
      if (running) return
      running = true
      loopDone = loop()
    },
    wake() {
      wakeUp?.()
    },
    async stop() {
      running = false
      wakeUp?.()
      await loopDone
      await Promise.all(inflight)
    },
    inflight: () => inflight.size,
  }
}
