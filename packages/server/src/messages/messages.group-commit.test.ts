import { describe, expect, it } from 'vitest'
import { createGroupCommit } from './messages.group-commit.ts'

/** A write that holds each call open until release() so that tests decide what gathers. */
function gate() {
  const calls: string[][] = []
  const waiting: (() => void)[] = []
  let failNext: unknown
  return {
    calls,
    failOnce(err: unknown) {
      failNext = err
    },
    write: async (items: string[]) => {
      calls.push(items)
      await new Promise<void>((resolve) => waiting.push(resolve))
      if (failNext !== undefined) {
        const err = failNext
        failNext = undefined
        throw err
      }
      return items.map((i) => `ok:${i}`)
    },
    async release() {
      while (waiting.length === 0) await new Promise((r) => setImmediate(r))
      waiting.shift()!()
    },
  }
}

const keyOf = (i: string) => (i.includes('#') ? i.split('#')[1]! : null)

describe('createGroupCommit', () => {
  it('writes the first item at once and the ones that arrive meanwhile together, each answered its own', async () => {
    const g = gate()
    const gc = createGroupCommit({ maxGroup: 10, keyOf, write: g.write, rolledBack: () => false })
    const a = gc.submit('a')
    const rest = ['b', 'c', 'd'].map((x) => gc.submit(x))
    await g.release()
    await g.release()
    expect(await a).toBe('ok:a')
    expect(await Promise.all(rest)).toEqual(['ok:b', 'ok:c', 'ok:d'])
    expect(g.calls).toEqual([['a'], ['b', 'c', 'd']])
  })

  it('keeps two items with one key apart and caps a group at maxGroup', async () => {
    const g = gate()
    const gc = createGroupCommit({ maxGroup: 2, keyOf, write: g.write, rolledBack: () => false })
    const all = ['x#k', 'y#k', 'z', 'w'].map((x) => gc.submit(x))
    for (let i = 0; i < 3; i++) await g.release()
    await Promise.all(all)
    expect(g.calls).toEqual([['x#k'], ['y#k', 'z'], ['w']])
  })

  it('retries a rolled-back group item by item, and fails a group whose outcome is unknown', async () => {
    const g = gate()
    const rolled = Object.assign(new Error('deadlock'), { code: '40P01' })
    const gc = createGroupCommit({
      maxGroup: 10,
      keyOf,
      write: g.write,
      rolledBack: (e) => e === rolled,
    })
    const first = gc.submit('a')
    const group = ['b', 'c'].map((x) => gc.submit(x))
    await g.release()
    await first
    g.failOnce(rolled)
    for (let i = 0; i < 3; i++) await g.release()
    expect(await Promise.all(group)).toEqual(['ok:b', 'ok:c'])
    expect(g.calls.slice(1)).toEqual([['b', 'c'], ['b'], ['c']])

    const lost = new Error('connection lost during COMMIT')
    const other = createGroupCommit({ maxGroup: 10, keyOf, write: g.write, rolledBack: (e) => e === rolled })
    const h = other.submit('d')
    const others = ['e', 'f'].map((x) => other.submit(x))
    await g.release()
    await h
    g.failOnce(lost)
    await g.release()
    await expect(Promise.all(others)).rejects.toBe(lost)
    await expect(others[1]).rejects.toBe(lost)
    expect(g.calls.slice(4)).toEqual([['d'], ['e', 'f']])
  })
})
