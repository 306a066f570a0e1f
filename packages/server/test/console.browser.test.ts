// The console in a real browser (Debian's Chromium through playwright-core) against the stack of
// `npm run dev` (the dev command as its own process: PGlite, the simulator, the demo app, the console
// through Vite). The operator logs in, finds a simulated user, composes, sees the live rule error
// for a too-long thing, fixes it, sends, watches the status reach delivered, and the simulated
// phone has the card. A viewer cannot send (no button, and the API refuses), a call without the
// CSRF token is refused, logout ends the session. Every page is photographed into docs/screenshots.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DevInfo } from '../src/dev/dev.seed.ts'

const CHROMIUM = '/usr/bin/chromium'
const CLI = fileURLToPath(new URL('../src/cli/wxpush.ts', import.meta.url))
const SHOTS = fileURLToPath(new URL('../../../docs/screenshots/', import.meta.url))
// Outside CI a machine without Chromium skips with this reason; in CI the test must run (.ci/run
// installs Chromium), so there a missing browser fails instead of skipping.
const skipReason =
  !existsSync(CHROMIUM) && !process.env.CI
    ? `${CHROMIUM} is missing: apt-get install -y chromium fonts-noto-cjk to run the browser test`
    : null
if (skipReason) console.warn(`console.browser.test: skipped: ${skipReason}`)

const VIEWER = { username: 'viewer', password: 'viewer-password-1' }
// Alone on a loaded 2-core machine the first test takes up to 150 s (the first Vite compile is
// most of it); the limits below are well over three times that.
const WAIT = { timeout: 90_000 }
const NAVIGATION_TIMEOUT = 240_000

describe.skipIf(skipReason !== null)('the console in Chromium against npm run dev', () => {
  let dataDir: string
  let dev: ChildProcess
  let info: DevInfo
  let browser: Browser
  let output = ''

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'wxpush-console-'))
    const env = { PATH: process.env.PATH ?? '', WXPUSH_DATA_DIR: dataDir, WXPUSH_MODE: 'dev' }
    // The viewer comes from the CLI, as an admin would add one (the password on stdin).
    const add = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        CLI,
        'console',
        'users',
        'add',
        VIEWER.username,
        '--role',
        'viewer',
        '--apps',
        'wx0demo0000000001',
      ],
      { env, input: `${VIEWER.password}\n`, encoding: 'utf8' },
    )
    expect(add.status, add.stderr).toBe(0)

    dev = spawn(process.execPath, ['--import', 'tsx', CLI, 'dev'], {
      env: {
        ...env,
        WXPUSH_PORT: '0',
        WXPUSH_SIMULATOR_PORT: '0',
        WXPUSH_LOG_LEVEL: 'warn',
        WXPUSH_DISPATCH_POLL_MS: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    dev.stdout?.on('data', (c: Buffer) => (output += c.toString()))
    dev.stderr?.on('data', (c: Buffer) => (output += c.toString()))
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run dev did not start:\n${output}`)), 300_000)
      dev.stdout?.on('data', () => {
        if (output.includes('dev mode is ready')) {
          clearTimeout(timer)
          resolve()
        }
      })
      dev.once('exit', (code) => reject(new Error(`dev exited (${code}):\n${output}`)))
    })
    info = JSON.parse(readFileSync(join(dataDir, 'dev.json'), 'utf8')) as DevInfo
    // The first request starts Vite and pre-bundles the dependencies; done here, with no browser
    // timer running, the pages below load from a warm server.
    for (const path of ['/', '/src/main.tsx']) {
      const res = await fetch(`${info.consoleUrl}${path}`)
      expect(res.status, `${path}: ${await res.text()}`).toBe(200)
    }
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    mkdirSync(SHOTS, { recursive: true })
  }, 600_000)

  afterAll(async () => {
    await browser?.close()
    if (dev && dev.exitCode === null) {
      const exited = new Promise((r) => dev.once('exit', r))
      dev.kill('SIGTERM')
      await exited
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  }, 60_000)

  /** A browser context whose actions and navigations wait as long as a loaded CI machine needs. */
  async function newContext(viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, locale: 'zh-CN' })
    context.setDefaultTimeout(WAIT.timeout)
    context.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT)
    return context
  }

  async function login(page: Page, who: { username: string; password: string }) {
    await page.goto(info.consoleUrl)
    await page.getByLabel('用户名 Username').fill(who.username, WAIT)
    await page.getByLabel('密码 Password').fill(who.password)
    await page.getByRole('button', { name: '登录 Log in' }).click()
    await page.getByRole('menuitem', { name: /仪表盘 Dashboard/ }).waitFor(WAIT)
  }

  async function shoot(page: Page, name: string) {
    await page.waitForLoadState('networkidle')
    await page.screenshot({ path: join(SHOTS, `${name}.png`) })
  }

  /** A fetch from inside the page (its cookie, same origin), with or without the CSRF token. */
  async function call(page: Page, method: string, path: string, body: unknown, csrf: boolean) {
    return page.evaluate(
      async ({ method, path, body, csrf }) => {
        const me = (await (await fetch('/console/api/me')).json()) as { csrfToken: string }
        const res = await fetch(`/console/api${path}`, {
          method,
          headers: { 'content-type': 'application/json', ...(csrf ? { 'x-csrf-token': me.csrfToken } : {}) },
          body: JSON.stringify(body),
        })
        return { status: res.status, body: (await res.json()) as { error?: { code: string } } }
      },
      { method, path, body, csrf },
    )
  }

  it('logs in, composes with live rule checks, sends, and the status reaches delivered', async () => {
    const context = await newContext({ width: 1280, height: 800 })
    const page = await context.newPage()
    await page.goto(info.consoleUrl)
    await page.getByLabel('用户名 Username').waitFor(WAIT)
    await shoot(page, 'login-desktop')
    await login(page, info.console)
    await page.getByText('订阅接受率 Consent accept rate').waitFor(WAIT)

    // Find the simulated user by the start of the openid.
    const user = info.users[0]!
    await page.getByRole('menuitem', { name: /用户 Users/ }).click()
    await page.getByLabel('搜索 openid 或 userId / Search by openid or userId').fill(user.openid.slice(0, 12))
    await page.getByRole('button', { name: /搜索 Search/ }).click()
    await page.getByText(user.openid).waitFor(WAIT)
    await shoot(page, 'users-desktop')
    await page.getByRole('button', { name: '详情 Detail' }).first().click()
    await page.getByText('订阅次数 Credits per template').waitFor(WAIT)
    await shoot(page, 'user-detail-desktop')
    await page.getByRole('button', { name: /发送给此用户 Send to this user/ }).click()

    // Compose to that user with the check-in template (it has two `thing` keywords).
    await page.getByLabel('模板 Template').click()
    await page.getByText('活动签到提醒 (checkin_reminder)').click()
    const example = { time24: '2019年11月11日 20:20', time27: '2019年11月11日 22:00', thing23: '签到成功' }
    for (const [key, value] of Object.entries(example)) await page.locator(`#kw-${key}`).fill(value)
    await page.locator('#kw-thing21').fill('周末读书会：一起读完《百年孤独》的最后两章')
    const ruleError = page.locator('[data-rule="max_length"]')
    await ruleError.waitFor(WAIT)
    await expect(ruleError.textContent()).resolves.toMatch(/20/)
    await expect(page.getByRole('button', { name: /^send 发送 Send$/i }).isDisabled()).resolves.toBe(true)
    await expect(page.getByRole('button', { name: /采用建议 Use fit/ }).isVisible()).resolves.toBe(true)
    await shoot(page, 'compose-rule-error-desktop')

    // Fix it (by keyboard: the field is reachable and editable without the mouse), then send.
    await page.locator('#kw-thing21').focus()
    await page.keyboard.press('ControlOrMeta+a')
    await page.keyboard.type('周末读书会')
    await expect(ruleError.count()).resolves.toBe(0)
    await page.getByRole('button', { name: /发送 Send$/ }).click()
    await page.locator('[data-status="delivered"]').first().waitFor(WAIT)
    await shoot(page, 'compose-delivered-desktop')

    // The simulated phone has the card.
    const inbox = (await (
      await fetch(`${info.simulatorUrl}/control/apps/${info.appId}/users/${user.openid}/inbox`)
    ).json()) as unknown[]
    expect(JSON.stringify(inbox)).toContain('周末读书会')
    const phone = await context.newPage()
    await phone.setViewportSize({ width: 390, height: 844 })
    await phone.goto(user.inboxUrl)
    await phone.getByText('周末读书会').first().waitFor(WAIT)
    await shoot(phone, 'simulator-inbox-mobile')
    await phone.close()

    // The other pages, each with its real data.
    await page.getByRole('menuitem', { name: /消息 Messages/ }).click()
    await page.locator('[data-status="delivered"]').first().waitFor(WAIT)
    await shoot(page, 'messages-desktop')
    await page.getByRole('row').nth(1).getByRole('button').first().click()
    await page.getByText('历史 History').waitFor(WAIT)
    await shoot(page, 'message-detail-desktop')
    for (const [menu, text, name] of [
      [/模板 Templates/, '关键词与规则 Keywords and rules', 'templates'],
      [/应用与密钥 Apps & keys/, 'API 密钥 API keys', 'apps'],
      [/审计 Audit/, '操作人 Operator', 'audit'],
    ] as const) {
      await page.getByRole('menuitem', { name: menu }).click()
      await page.getByText(text).first().waitFor(WAIT)
      await shoot(page, `${name}-desktop`)
    }
    // The audit list names the operator who sent.
    const sendRow = page.getByRole('row').filter({ hasText: '发送 send' }).first()
    await sendRow.waitFor(WAIT)
    await expect(sendRow.textContent()).resolves.toContain(info.console.username)

    // Campaigns: one now to the users who consented, its progress read live until it completes; one
    // scheduled for tomorrow to every demo user, then paused, resumed and cancelled.
    await page.getByRole('menuitem', { name: /群发 Campaigns/ }).click()
    await page.getByText('还没有群发 / No campaign yet').waitFor(WAIT)
    const createCampaign = async (name: string, fill: () => Promise<void>, submit: RegExp) => {
      await page.getByRole('button', { name: /新建群发 New campaign/ }).click()
      await page.getByLabel('名称 Name').fill(name)
      await page.getByLabel('模板 Template').click()
      await page.locator('.ant-select-item-option', { hasText: '活动签到提醒' }).click()
      for (const [key, value] of Object.entries({ ...example, thing21: '周末读书会' }))
        await page.locator(`#ckw-${key}`).fill(value)
      await fill()
      await page.getByRole('button', { name: submit }).click()
      return page.getByRole('row').filter({ hasText: name })
    }
    const now = await createCampaign('读书会签到提醒', async () => {}, /创建并开始 Create and start/)
    await now.locator('[data-campaign-status="completed"]').waitFor(WAIT)
    await now.locator('[data-progress="1/1"]').waitFor(WAIT)

    const tomorrow = new Date(Date.now() + 86_400_000)
    const local = (n: number) => String(n).padStart(2, '0')
    const sendAt = `${tomorrow.getFullYear()}-${local(tomorrow.getMonth() + 1)}-${local(tomorrow.getDate())}T09:00`
    const later = await createCampaign(
      '下周读书会预告',
      async () => {
        await page.getByRole('radio', { name: '指定用户 userIds' }).check()
        await page.getByLabel(/userId 列表 userIds/).fill(info.users.map((u) => u.userId).join('\n'))
        await page.getByLabel(/定时发送 Schedule/).fill(sendAt)
      },
      /创建并排期 Create and schedule/,
    )
    await later.locator('[data-campaign-status="scheduled"]').waitFor(WAIT)
    await later.getByRole('button', { name: /暂停 Pause/ }).click()
    await later.locator('[data-campaign-status="paused"]').waitFor(WAIT)
    await later.getByRole('button', { name: /继续 Resume/ }).click()
    await later.locator('[data-campaign-status="scheduled"]').waitFor(WAIT)
    await later.getByRole('button', { name: /取消 Cancel/ }).click()
    await page.getByRole('button', { name: /取消群发 Cancel it/ }).click()
    await later.locator('[data-campaign-status="cancelled"]').waitFor(WAIT)
    await shoot(page, 'campaigns-desktop')
    // The campaign's messages, through the link on its row.
    await now.getByRole('button', { name: /消息 Messages/ }).click()
    await page.locator('[data-status="delivered"]').first().waitFor(WAIT)

    // The dashboard again, now that a message has been sent: the chart has a bar.
    await page.getByRole('menuitem', { name: /仪表盘 Dashboard/ }).click()
    await page.getByRole('img', { name: '每小时消息数 / messages per hour' }).waitFor(WAIT)
    await shoot(page, 'dashboard-desktop')

    // The same pages on a phone-sized screen.
    await page.setViewportSize({ width: 390, height: 844 })
    for (const [path, text, name] of [
      ['', '队列深度 Queue depth', 'dashboard'],
      ['users', '按前缀匹配', 'users'],
      [`compose?userId=${user.userId}`, '预览 Preview', 'compose'],
      ['messages', '筛选 Filter', 'messages'],
      ['campaigns', '进度 Progress', 'campaigns'],
      ['templates', '关键词与规则 Keywords and rules', 'templates'],
      ['apps', '签发 Issue key', 'apps'],
      ['audit', '操作人 Operator', 'audit'],
    ] as const) {
      await page.goto(`${info.consoleUrl}/${path}`)
      await page.getByText(text).first().waitFor(WAIT)
      await shoot(page, `${name}-mobile`)
    }

    // A state-changing call without the CSRF token is refused, with it the same call works.
    const noCsrf = await call(page, 'POST', `/apps/${info.appId}/templates/sync`, {}, false)
    expect(noCsrf.status).toBe(403)
    expect(noCsrf.body.error?.code).toBe('console.csrf_invalid')

    // Logout ends the session on the server, not only in this tab: the old cookie is refused.
    const [cookie] = await context.cookies()
    await page.getByRole('button', { name: /退出 Log out/ }).click()
    await page.getByLabel('用户名 Username').waitFor(WAIT)
    const replay = await fetch(`${info.apiUrl}/console/api/me`, {
      headers: { cookie: `${cookie!.name}=${cookie!.value}` },
    })
    expect(replay.status).toBe(401)
    await shoot(page, 'login-mobile')
    await context.close()
  }, 600_000)

  it('a viewer sees no send button and the API refuses the send', async () => {
    const context = await newContext({ width: 1280, height: 800 })
    const page = await context.newPage()
    await login(page, VIEWER)
    const user = info.users[0]!
    await page.goto(`${info.consoleUrl}/compose?userId=${user.userId}`)
    await page.getByText('只读角色不能发送 / The viewer role cannot send').waitFor(WAIT)
    await expect(page.getByRole('button', { name: /发送 Send$/ }).count()).resolves.toBe(0)
    await shoot(page, 'compose-viewer-desktop')
    await page.goto(`${info.consoleUrl}/campaigns`)
    await page.getByText('进度 Progress').first().waitFor(WAIT)
    await expect(page.getByRole('button', { name: /新建群发 New campaign/ }).count()).resolves.toBe(0)
    await expect(page.getByRole('button', { name: /暂停 Pause|取消 Cancel/ }).count()).resolves.toBe(0)
    await page.goto(`${info.consoleUrl}/users`)
    await page.getByText(user.openid).waitFor(WAIT)
    await expect(page.getByRole('button', { name: /发送 Send/ }).count()).resolves.toBe(0)

    const refused = await call(
      page,
      'POST',
      `/apps/${info.appId}/messages`,
      { to: { userId: user.userId }, template: 'checkin_reminder', data: {} },
      true,
    )
    expect(refused.status).toBe(403)
    expect(refused.body.error?.code).toBe('console.role_forbidden')
    await context.close()
  }, 300_000)
})
