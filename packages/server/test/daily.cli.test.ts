// `wxpush send | messages show|tail | users show | templates list` run as the real command (a child
// process) against a running wxpush on the simulator: --json answers, explanations and exit codes.
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

describe('the wxpush daily commands', () => {
  const stack = useTestStack({ kind: 'pglite' })

  const wxpush = async (args: string[], url = stack.apiUrl) => {
    const env = { PATH: process.env.PATH ?? '', WXPUSH_URL: url, WXPUSH_API_KEY: stack.apiKey }
    try {
      const { stdout, stderr } = await run(TSX, [CLI, ...args], { env, cwd: ROOT, timeout: 120_000 })
      return { code: 0, stdout, stderr }
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string }
      return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
    }
  }
  const lines = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)

  it(
    'sends and follows a message to its end, shows it, its user and the templates',
    { timeout: 300_000 },
    async () => {
      const templateId = await createTestTemplate(stack, ORDER_TEMPLATE)
      const u = await createTestUser(stack)
      await u.accept([templateId])
      const sent = await wxpush([
        'send',
        '--user',
        u.userId,
        '--template',
        'order_notice',
        '--data',
        JSON.stringify(ORDER_DATA),
        '--watch',
        '--json',
      ])
      expect(sent.code, sent.stderr).toBe(0)
      const statuses = lines(sent.stdout)
      const id = statuses[0]!['id'] as string
      expect(statuses.map((s) => s['status'])).toContain('sent')

      const shown = await wxpush(['messages', 'show', id, '--json'])
      expect(JSON.parse(shown.stdout)).toMatchObject({ id, to: { userId: u.userId } })
      const plain = await wxpush(['messages', 'show', id])
      expect(plain.stdout).toContain(id)

      const user = await wxpush(['users', 'show', '--openid', u.openid, '--json'])
      expect(JSON.parse(user.stdout)).toMatchObject({ id: u.userId })
      const templates = await wxpush(['templates', 'list', '--json'])
      expect(JSON.stringify(JSON.parse(templates.stdout))).toContain('order_notice')

      const tail = await wxpush(['messages', 'tail', '--for', '2', '--json'])
      expect(lines(tail.stdout).map((m) => m['id'])).toContain(id)
    },
  )

  it(
    'prints the catalogue’s explanation and exits 1 when refused, 2 on bad usage, 3 when unreachable',
    { timeout: 300_000 },
    async () => {
      const refused = await wxpush(['messages', 'show', 'no-such-message'])
      expect(refused.code).toBe(1)
      expect(refused.stderr).toContain('messages.not_found')
      expect(refused.stderr).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/)
      const json = await wxpush(['send', '--openid', 'o', '--template', 'nope', '--data', '{}', '--json'])
      expect(json.code).toBe(1)
      expect(JSON.parse(json.stderr)).toMatchObject({ error: { status: expect.any(Number) as number } })
      expect((await wxpush(['send', '--template', 'x'])).code).toBe(2)
      const down = await wxpush(['templates', 'list'], 'http://127.0.0.1:9')
      expect(down.code).toBe(3)
      expect(down.stderr).toContain('cli.unreachable')
    },
  )
})
