// `wxpush campaigns …` run as the real command (a child process, not a terminal: plain lines) against
// a running wxpush on the simulator.
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { useTestStack } from '../src/testing/test-stack.ts'
import { createTestTemplate, createTestUser, ORDER_DATA, ORDER_TEMPLATE } from '../src/testing/test-users.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const CLI = join(ROOT, 'packages/server/src/cli/wxpush.ts')

describe('the wxpush campaigns command', () => {
  const stack = useTestStack({ kind: 'pglite' })

  const wxpush = async (...args: string[]) => {
    const env = { PATH: process.env.PATH ?? '', WXPUSH_URL: stack.apiUrl, WXPUSH_API_KEY: stack.apiKey }
    try {
      const { stdout } = await run(TSX, [CLI, 'campaigns', ...args], { env, cwd: ROOT, timeout: 90_000 })
      return { code: 0, stdout }
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string }
      return { code: err.code ?? 1, stdout: `${err.stdout ?? ''}${err.stderr ?? ''}` }
    }
  }

  it(
    'creates a campaign, follows it to completion in plain lines, lists and shows it',
    { timeout: 180_000 },
    async () => {
      const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
      const users = [await createTestUser(stack), await createTestUser(stack)]
      for (const u of users) await u.accept([templateId])

      const created = await wxpush(
        'create',
        '--name',
        '散会通知',
        '--template',
        'order_notice',
        '--data',
        JSON.stringify(ORDER_DATA),
        '--openids',
        users.map((u) => u.openid).join(','),
        '--watch',
      )
      expect(created.code).toBe(0)
      const lines = created.stdout.trim().split('\n')
      const id = lines[0]!.split('\t')[0]!
      expect(id).toMatch(/^cmp_/)
      expect(created.stdout).not.toContain('█') // not a terminal: no bar
      expect(created.stdout).toMatch(/^2\/2 completed/m)

      const list = await wxpush('list')
      expect(list.stdout).toContain(id)
      const show = await wxpush('show', id)
      expect(show.stdout).toContain('"sent":2')

      const pause = await wxpush('pause', id)
      expect(pause.code).not.toBe(0)
      expect(pause.stdout).toContain('campaigns.state_conflict')
    },
  )
})
