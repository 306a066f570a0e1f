import { describe, expect, it } from 'vitest'
import { formatDuration, progressLine, rateBetween } from './campaigns.progress.ts'

const counts = {
  recipients: 1000,
  pending: 100,
  queued: 200,
  sent: 500,
  delivered: 100,
  failed: 50,
  skipped: 50,
}

describe('the campaign progress line', () => {
  it('draws a bar with the share done, the counts, the rate and the ETA on a terminal', () => {
    const line = progressLine({ status: 'running', counts, rate: 20, bar: true })
    expect(line).toMatch(/^\[█{17}░{7}\]  70% running/)
    expect(line).toContain('sent 600')
    expect(line).toContain('queued 300')
    expect(line).toContain('failed 50')
    expect(line).toContain('skipped 50')
    expect(line).toContain('20.0/s')
    expect(line).toContain('ETA 0:15') // 300 left at 20/s
  })

  it('writes plain figures without a bar elsewhere, and no ETA before a rate is known', () => {
    const line = progressLine({ status: 'running', counts, rate: 0, bar: false })
    expect(line.startsWith('700/1000 running')).toBe(true)
    expect(line).not.toContain('█')
    expect(line).toContain('ETA --:--')
  })

  it('measures the rate between two looks and formats long durations', () => {
    expect(rateBetween({ at: 0, done: 100 }, { at: 2000, done: 300 })).toBe(100)
    expect(rateBetween(undefined, { at: 1, done: 1 })).toBe(0)
    expect(formatDuration(3725)).toBe('1:02:05')
  })
})
