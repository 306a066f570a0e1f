// A simulated mini program user, driven the way the real one is: wx.login → POST /v1/auth/login,
// wx.requestSubscribeMessage → POST /v1/consents.
import type { TestStack } from './test-stack.ts'

export interface TestUser {
  openid: string
  userId: string
  token: string
  accept(templateIds: string[], answer?: string): Promise<{ status: number; body: Record<string, unknown> }>
  inbox(): Promise<{ msgid: string; templateId: string; data: Record<string, { value: string }> }[]>
}

export async function createTestUser(stack: TestStack): Promise<TestUser> {
  const { openid } = await stack.control<{ openid: string }>(`/control/apps/${stack.appId}/users`)
  const { code } = await stack.control<{ code: string }>(`/control/apps/${stack.appId}/users/${openid}/login`)
  const login = await fetch(`${stack.apiUrl}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ appId: stack.appId, code }),
  })
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`)
  const session = (await login.json()) as { token: string; userId: string }
  return {
    openid,
    userId: session.userId,
    token: session.token,
    async accept(templateIds, answer = 'accept') {
      const results = Object.fromEntries(templateIds.map((id) => [id, answer]))
      const popup = await stack.control<Record<string, string>>(
        `/control/apps/${stack.appId}/users/${openid}/subscribe`,
        { results },
      )
      const reported = Object.fromEntries(Object.entries(popup).filter(([k]) => k !== 'errMsg'))
      const res = await fetch(`${stack.apiUrl}/v1/consents`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${session.token}` },
        body: JSON.stringify({ results: reported }),
      })
      return { status: res.status, body: (await res.json()) as Record<string, unknown> }
    },
    inbox: () => stack.control(`/control/apps/${stack.appId}/users/${openid}/inbox`, undefined, 'GET'),
  }
}

/** Creates a template in the simulator, syncs the registry, and gives it an alias. */
export async function createTestTemplate(
  stack: TestStack,
  t: { alias: string; title: string; type?: 2 | 3; keywords: { key: string; name: string }[] },
): Promise<string> {
  const { priTmplId } = await stack.control<{ priTmplId: string }>(`/control/apps/${stack.appId}/templates`, {
    title: t.title,
    type: t.type ?? 2,
    keywords: t.keywords,
  })
  const sync = await stack.api('POST', '/v1/templates/sync')
  if (sync.status !== 200) throw new Error(`sync: ${sync.status} ${JSON.stringify(sync.body)}`)
  const alias = await stack.api('PUT', `/v1/templates/${priTmplId}/alias`, { alias: t.alias })
  if (alias.status !== 200) throw new Error(`alias: ${alias.status} ${JSON.stringify(alias.body)}`)
  return priTmplId
}

export const ORDER_TEMPLATE = {
  alias: 'order_notice',
  title: '订单状态通知',
  keywords: [
    { key: 'thing1', name: '商品名称' },
    { key: 'number2', name: '订单编号' },
    { key: 'amount3', name: '订单金额' },
    { key: 'phrase4', name: '订单状态' },
    { key: 'thing6', name: '备注' },
  ],
}

export const ORDER_DATA = {
  thing1: '合同A',
  number2: '20191001',
  amount3: '10元',
  phrase4: '五个纯汉字',
  thing6: '王经理',
}

/**
 * Setup shortcut for load and crash tests: `n` one-time accepts for many users at once, written
 * straight into the simulator's world and into wxpush's ledger (as n reported accepts). The
 * accept path itself is tested through the real HTTP flow elsewhere; here it would only cost minutes.
 */
export async function seedUsersWithCredits(
  stack: TestStack,
  p: { users: number; templateId: string; credits: number },
): Promise<{ openid: string; userId: string }[]> {
  const app = stack.simulator.world.apps.get(stack.appId)
  if (!app) throw new Error(`simulator has no app ${stack.appId}`)
  const db = stack.wxpush.services.db
  const out: { openid: string; userId: string }[] = []
  for (let i = 0; i < p.users; i++) {
    const user = stack.simulator.world.createUser(app)
    user.consents.set(p.templateId, { status: 'accept', credits: p.credits, updatedAt: Date.now() })
    const row = await stack.wxpush.services.usersStore.ensureByOpenid(
      stack.wxpush.services.db,
      stack.appId,
      user.openid,
    )
    out.push({ openid: user.openid, userId: row.id })
  }
  for (let i = 0; i < out.length; i += 500) {
    await db
      .insertInto('consents')
      .values(
        out.slice(i, i + 500).map((u) => ({
          app_id: stack.appId,
          user_id: u.userId,
          template_id: p.templateId,
          reported: p.credits,
          status: 'accept' as const,
          source: 'miniprogram' as const,
        })),
      )
      .execute()
  }
  return out
}
