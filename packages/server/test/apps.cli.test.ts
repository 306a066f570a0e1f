// `wxpush apps …` run as the real command (tsx, a child process) against a fresh PGlite data folder.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { startWxpush } from '../src/main.ts'

const run = promisify(execFile)
const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const CLI = join(ROOT, 'packages/server/src/cli/wxpush.ts')

describe('the wxpush apps command', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'wxpush-cli-'))
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

  const wxpush = async (...args: string[]) => {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      WXPUSH_MODE: 'dev',
      WXPUSH_DATA_DIR: dataDir,
    }
    try {
      const { stdout, stderr } = await run(TSX, [CLI, 'apps', ...args], { env, cwd: ROOT, timeout: 120_000 })
      return { code: 0, stdout, stderr }
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string }
      return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' }
    }
  }

  it(
    'adds, lists, issues, lists keys, revokes and rotates, and never prints the secret',
    // 62 s in a full run with the machine loaded (load average ~20); CLI children start tsx and PGlite each time
    { timeout: 300_000 },
    async () => {
      const secret = 'cli-secret-0123456789abcdef01234'
      const added = await wxpush('add', 'wxcli0000000001', '--secret', secret, '--name', 'CLI 应用')
      expect(added.code).toBe(0)
      const apiKey = /shown once\): (\S+)/.exec(added.stdout)?.[1]
      const firstKeyId = /keyId: (\S+)/.exec(added.stdout)?.[1]
      expect(apiKey).toMatch(/^wxpk_/)
      expect(firstKeyId).toMatch(/^key_/)
      expect(added.stdout + added.stderr).not.toContain(secret)

      const again = await wxpush('add', 'wxcli0000000001', '--secret', secret)
      expect(again.code).toBe(1)
      expect(again.stderr).toContain('apps.exists')

      const listed = await wxpush('list')
      expect(listed.code).toBe(0)
      expect(listed.stdout).toContain('wxcli0000000001\tCLI 应用\tstable')
      expect(listed.stdout).not.toContain(secret)

      const issued = await wxpush('key', 'wxcli0000000001', '--admin')
      expect(issued.code).toBe(0)
      const adminKey = /shown once\): (\S+)/.exec(issued.stdout)?.[1]
      const adminKeyId = /keyId: (\S+)/.exec(issued.stdout)?.[1]
      expect(adminKey).toMatch(/^wxpa_/)

      const revoked = await wxpush('revoke', 'wxcli0000000001', adminKeyId!)
      expect(revoked.code).toBe(0)
      expect(revoked.stdout).toContain(adminKeyId!)
      const twice = await wxpush('revoke', 'wxcli0000000001', adminKeyId!)
      expect(twice.code).toBe(1)
      const noApp = await wxpush('revoke', 'wxnope', adminKeyId!)
      expect(noApp.code).toBe(1)
      expect(noApp.stderr).toContain('apps.not_found')
      const usage = await wxpush('revoke', 'wxcli0000000001')
      expect(usage.code).toBe(1)
      expect(usage.stderr).toContain('wxpush apps revoke <appId> <keyId>')

      const keys = await wxpush('keys', 'wxcli0000000001')
      expect(keys.code).toBe(0)
      expect(keys.stdout).toMatch(new RegExp(`${firstKeyId}\\t.*\\tapp\\t.*\\tlive`))
      expect(keys.stdout).toMatch(new RegExp(`${adminKeyId}\\t.*\\tadmin\\t.*\\trevoked`))
      expect(keys.stdout).not.toContain(apiKey!)
      expect(keys.stdout).not.toContain(adminKey!)

      const rotated = await wxpush(
        'rotate-secret',
        'wxcli0000000001',
        '--secret',
        'cli-secret-rotated-000000000000',
      )
      expect(rotated.code).toBe(0)
      expect(rotated.stdout).not.toContain('cli-secret-rotated')

      // What the commands wrote is what a server on the same data folder sees.
      const running = await startWxpush({
        env: { WXPUSH_MODE: 'dev', WXPUSH_DATA_DIR: dataDir, WXPUSH_LOG_LEVEL: 'silent' },
        listen: false,
      })
      try {
        expect((await running.services.apps.checkApiKey(apiKey!)).appId).toBe('wxcli0000000001')
        await expect(running.services.apps.checkApiKey(adminKey!)).rejects.toMatchObject({
          code: 'auth.api_key_invalid',
        })
        expect((await running.services.apps.credentials('wxcli0000000001')).secret).toBe(
          'cli-secret-rotated-000000000000',
        )
      } finally {
        await running.stop()
      }
    },
  )
})
