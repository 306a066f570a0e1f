// `wxpush dev` and dev.json: a script that waits for /v1/health and then reads dev.json must not get
// the previous run's users and keys (issue 10 point 12).
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { eventually } from '../src/testing/test-stack.ts'

const CLI = fileURLToPath(new URL('../src/cli/wxpush.ts', import.meta.url))

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address()
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0))
    })
  })

describe('wxpush dev', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wxpush-dev-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('never answers /v1/health while the previous run’s dev.json is in place', async () => {
    const stale = { apiKey: 'wxpk_stale_from_last_run', users: [{ openid: 'o_stale' }] }
    writeFileSync(join(dir, 'dev.json'), JSON.stringify(stale))
    const [port, simPort] = [await freePort(), await freePort()]
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'dev'], {
      env: {
        PATH: process.env.PATH ?? '',
        WXPUSH_PORT: String(port),
        WXPUSH_SIMULATOR_PORT: String(simPort),
        WXPUSH_DATA_DIR: dir,
        WXPUSH_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    child.stdout.on('data', (c: Buffer) => (out += c.toString()))
    child.stderr.on('data', (c: Buffer) => (out += c.toString()))
    const exited = new Promise((resolve) => child.once('exit', resolve))
    try {
      // The first moment health answers, dev.json is absent or this run's.
      const seen = await eventually(
        async () => {
          const res = await fetch(`http://127.0.0.1:${port}/v1/health`).catch(() => undefined)
          if (res?.status !== 200) return undefined
          const file = join(dir, 'dev.json')
          return existsSync(file) ? readFileSync(file, 'utf8') : 'absent'
        },
        150_000,
        `health to answer; output so far:\n${out}`,
      )
      expect(seen).not.toContain('wxpk_stale_from_last_run')
      // And once seeding is done, the new dev.json is complete.
      const info = await eventually(
        async () => {
          const file = join(dir, 'dev.json')
          return existsSync(file)
            ? (JSON.parse(readFileSync(file, 'utf8')) as { apiKey: string; users: unknown[] })
            : undefined
        },
        150_000,
        'dev.json to be written',
      )
      expect(info.apiKey).not.toBe(stale.apiKey)
      expect(info.users).toHaveLength(3)
    } finally {
      child.kill('SIGTERM')
      await exited
    }
  }, 400_000)
})
