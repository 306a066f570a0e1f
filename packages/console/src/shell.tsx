// The frame: login when there is no session; else the left menu, the app picker, the page.
import {
  AuditOutlined,
  DashboardOutlined,
  EditOutlined,
  KeyOutlined,
  LogoutOutlined,
  MailOutlined,
  NotificationOutlined,
  ProfileOutlined,
  TeamOutlined,
} from '@ant-design/icons'
import { Alert, Button, Layout, Menu, Result, Select, Space, Spin, Typography } from 'antd'
import { lazy, Suspense, useCallback, useEffect, useState } from 'react'
import { api, ApiError, setCsrfToken, type AppItem, type Operator } from './api.ts'
import { Ctx } from './context.ts'
import { AppsPage } from './pages/apps.tsx'
import { AuditPage } from './pages/audit.tsx'
import { CampaignsPage } from './pages/campaigns.tsx'
import { ComposePage } from './pages/compose.tsx'
import { LoginPage } from './pages/login.tsx'
import { MessageDetailPage, MessagesPage } from './pages/messages.tsx'
import { TemplatesPage } from './pages/templates.tsx'
import { UserDetailPage, UsersPage } from './pages/users.tsx'
import { navigate, useRoute } from './router.ts'

// ECharts is loaded with the dashboard only, so the other pages start without it.
const DashboardPage = lazy(() => import('./pages/dashboard.tsx').then((m) => ({ default: m.DashboardPage })))

const MENU = [
  { key: '/', icon: <DashboardOutlined />, label: '仪表盘 Dashboard' },
  { key: '/users', icon: <TeamOutlined />, label: '用户 Users' },
  { key: '/compose', icon: <EditOutlined />, label: '发送 Compose' },
  { key: '/messages', icon: <MailOutlined />, label: '消息 Messages' },
  { key: '/campaigns', icon: <NotificationOutlined />, label: '群发 Campaigns' },
  { key: '/templates', icon: <ProfileOutlined />, label: '模板 Templates' },
  { key: '/apps', icon: <KeyOutlined />, label: '应用与密钥 Apps & keys' },
  { key: '/audit', icon: <AuditOutlined />, label: '审计 Audit' },
]

function Page({ path }: { path: string }) {
  const user = /^\/users\/([^/]+)$/.exec(path)
  if (user) return <UserDetailPage userId={decodeURIComponent(user[1]!)} />
  const message = /^\/messages\/([^/]+)$/.exec(path)
  if (message) return <MessageDetailPage id={decodeURIComponent(message[1]!)} />
  switch (path) {
    case '/':
      return <DashboardPage />
    case '/users':
      return <UsersPage />
    case '/compose':
      return <ComposePage />
    case '/messages':
      return <MessagesPage />
    case '/campaigns':
      return <CampaignsPage />
    case '/templates':
      return <TemplatesPage />
    case '/apps':
      return <AppsPage />
    case '/audit':
      return <AuditPage />
    default:
      return <Result status="404" title="没有这个页面 / No such page" />
  }
}

export function Shell() {
  const { path } = useRoute()
  const [operator, setOperator] = useState<Operator | null | undefined>(undefined)
  const [apps, setApps] = useState<AppItem[]>([])
  const [appId, setAppId] = useState<string>(() => localStorage.getItem('wxpush.appId') ?? '')
  const [error, setError] = useState<string | null>(null)
  // Below the lg breakpoint the menu folds away behind antd's trigger at the header's left edge.
  const [narrow, setNarrow] = useState(false)

  const loggedIn = useCallback(async (op: Operator) => {
    setCsrfToken(op.csrfToken)
    const list = await api<{ items: AppItem[] }>('GET', '/apps')
    setApps(list.items)
    setAppId((current) =>
      list.items.some((a) => a.appId === current) ? current : (list.items[0]?.appId ?? ''),
    )
    setOperator(op)
  }, [])

  useEffect(() => {
    api<Operator>('GET', '/me')
      .then(loggedIn)
      .catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 401) setOperator(null)
        else setError(String((e as Error).message))
      })
  }, [loggedIn])

  useEffect(() => {
    if (appId) localStorage.setItem('wxpush.appId', appId)
  }, [appId])

  if (error)
    return <Result status="error" title="控制台无法加载 / The console could not load" subTitle={error} />
  if (operator === undefined) return <Spin fullscreen description="加载中 Loading" />
  if (operator === null) return <LoginPage onLogin={loggedIn} />

  const logout = async () => {
    await api('POST', '/logout')
    setOperator(null)
  }
  const selected = MENU.map((m) => m.key)
    .filter((k) => (k === '/' ? path === '/' : path.startsWith(k)))
    .slice(-1)

  return (
    <Ctx.Provider
      value={{
        operator,
        apps,
        appId,
        canSend: operator.role !== 'viewer',
        isAdmin: operator.role === 'admin',
      }}
    >
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider
          breakpoint="lg"
          collapsedWidth={0}
          width={240}
          theme="light"
          onBreakpoint={setNarrow}
          zeroWidthTriggerStyle={{ top: 12 }}
        >
          <div style={{ padding: '16px 24px', fontWeight: 600, fontSize: 16 }}>wxpush 控制台</div>
          <nav aria-label="主菜单 Main menu">
            <Menu
              mode="inline"
              style={{ borderInlineEnd: 'none' }}
              selectedKeys={selected}
              items={MENU}
              onClick={(e) => navigate(e.key)}
            />
          </nav>
        </Layout.Sider>
        <Layout>
          <Layout.Header
            style={{
              background: '#fff',
              padding: narrow ? '8px 8px 8px 56px' : '0 16px',
              lineHeight: '48px',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'space-between',
              gap: 8,
              flexWrap: 'wrap',
              height: 'auto',
              minHeight: 64,
            }}
          >
            <Space wrap>
              <label htmlFor="app-picker">应用 App</label>
              <Select
                id="app-picker"
                style={{ width: narrow ? 220 : 360 }}
                value={appId || undefined}
                onChange={setAppId}
                options={apps.map((a) => ({ value: a.appId, label: `${a.name} (${a.appId})` }))}
                notFoundContent="没有可见的应用 / No app visible"
              />
            </Space>
            <Space wrap>
              <Typography.Text>
                {operator.username} · {ROLE_NAMES[operator.role]}
              </Typography.Text>
              <Button icon={<LogoutOutlined />} onClick={() => void logout()}>
                退出 Log out
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content style={{ padding: 16 }}>
            <main>
              {apps.length === 0 ? (
                <Alert
                  type="info"
                  showIcon
                  message="没有分配给你的应用 / No app is assigned to you"
                  description="请管理员运行 wxpush console users add … --apps <appId> / ask an admin to give you an app"
                />
              ) : (
                <Suspense fallback={<Spin description="加载中 Loading" />}>
                  <Page key={`${appId}${path}`} path={path} />
                </Suspense>
              )}
            </main>
          </Layout.Content>
        </Layout>
      </Layout>
    </Ctx.Provider>
  )
}

const ROLE_NAMES = { admin: '管理员 admin', operator: '运营 operator', viewer: '只读 viewer' } as const
