import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  Form,
  Input,
  Select,
  Space,
  Table,
  Typography,
} from 'antd'
import { useState } from 'react'
import { api, ApiError, type Message, type Template } from '../api.ts'
import { useConsole } from '../context.ts'
import { Loaded, useLoad } from '../load.tsx'
import { navigate, useRoute } from '../router.ts'
import { STATUS_NAMES, StatusTag, statusLabel } from '../status.tsx'
import { MessageStatusView } from './compose.tsx'

const when = (iso?: string) => (iso ? new Date(iso).toLocaleString('zh-CN') : '—')

interface Filters {
  status?: string
  userId?: string
  template?: string
  reason?: string
  campaign?: string
}

export function MessagesPage() {
  const { appId } = useConsole()
  const { query } = useRoute()
  // The Campaigns page links here with ?campaign=<id>.
  const [filters, setFilters] = useState<Filters>(() => {
    const campaign = query.get('campaign')
    return campaign ? { campaign } : {}
  })
  const [cursor, setCursor] = useState<string | null>(null)
  const templates = useLoad(() => api<{ items: Template[] }>('GET', `/apps/${appId}/templates`), [appId])
  const messages = useLoad(() => {
    const q = new URLSearchParams()
    if (filters.status) q.set('status', filters.status)
    if (filters.userId) q.set('userId', filters.userId)
    if (filters.template) q.set('template', filters.template)
    if (filters.campaign) q.set('campaign', filters.campaign)
    if (cursor) q.set('cursor', cursor)
    return api<{ items: Message[]; nextCursor: string | null }>('GET', `/apps/${appId}/messages?${q}`)
  }, [appId, filters, cursor])
  // The reason filter narrows the page shown; the list API filters by status, user and template.
  const shown = (items: Message[]) =>
    filters.reason ? items.filter((m) => m.reason?.includes(filters.reason!)) : items

  return (
    <Card title="消息 Messages">
      <Form
        layout="inline"
        initialValues={filters}
        style={{ marginBottom: 16, rowGap: 8 }}
        onFinish={(v: Filters) => {
          setCursor(null)
          setFilters(v)
        }}
      >
        <Form.Item label="状态 Status" name="status">
          <Select
            allowClear
            style={{ width: 180 }}
            options={STATUS_NAMES.map((s) => ({ value: s, label: statusLabel(s) }))}
          />
        </Form.Item>
        <Form.Item label="用户 userId" name="userId">
          <Input allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item label="模板 Template" name="template">
          <Select
            allowClear
            style={{ width: 180 }}
            options={(templates.data?.items ?? []).map((t) => ({ value: t.id, label: t.title }))}
          />
        </Form.Item>
        <Form.Item label="原因 Reason" name="reason">
          <Input allowClear style={{ width: 180 }} />
        </Form.Item>
        <Form.Item label="群发 Campaign" name="campaign">
          <Input allowClear style={{ width: 180 }} placeholder="cmp_…" />
        </Form.Item>
        <Button type="primary" htmlType="submit">
          筛选 Filter
        </Button>
      </Form>
      <Loaded state={messages}>
        {(d) => (
          <>
            <Table<Message>
              rowKey="id"
              dataSource={shown(d.items)}
              pagination={false}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <Empty description="没有消息 / No message" /> }}
              columns={[
                {
                  title: 'ID',
                  dataIndex: 'id',
                  render: (id: string) => (
                    <Button type="link" onClick={() => navigate(`/messages/${id}`)} style={{ padding: 0 }}>
                      {id}
                    </Button>
                  ),
                },
                {
                  title: '状态 Status',
                  dataIndex: 'status',
                  render: (s: string) => <StatusTag status={s} />,
                },
                {
                  title: '模板 Template',
                  dataIndex: 'template',
                  render: (id: string) => templates.data?.items.find((t) => t.id === id)?.title ?? id,
                },
                { title: '用户 User', render: (_, m) => m.to.userId },
                {
                  title: '原因 Reason',
                  render: (_, m) => (m.errcode ? `${m.reason} (${m.errcode})` : (m.reason ?? '')),
                },
                { title: '创建 Created', dataIndex: 'createdAt', render: when },
              ]}
            />
            <Space style={{ marginTop: 12 }}>
              {cursor && <Button onClick={() => setCursor(null)}>第一页 First page</Button>}
              {d.nextCursor && <Button onClick={() => setCursor(d.nextCursor)}>下一页 Next page</Button>}
            </Space>
          </>
        )}
      </Loaded>
    </Card>
  )
}

export function MessageDetailPage({ id }: { id: string }) {
  const { appId, canSend } = useConsole()
  const { message } = App.useApp()
  const m = useLoad(() => api<Message>('GET', `/apps/${appId}/messages/${id}`), [appId, id])
  const [error, setError] = useState<string | null>(null)
  // A resend is a new console send of the same content (its own idempotency key): the same rules
  // and credits as any send, so it is refused when the user has no credit left.
  const resend = async (msg: Message) => {
    try {
      const r = await api<{ id: string }>('POST', `/apps/${appId}/messages`, {
        to: { userId: msg.to.userId },
        template: msg.template,
        data: msg.data,
        ...(msg.page ? { page: msg.page } : {}),
        idempotencyKey: `console-resend-${msg.id}-${Date.now()}`,
      })
      message.success('已重新提交 / Sent again')
      navigate(`/messages/${r.id}`)
    } catch (e) {
      setError(`${(e as Error).message}${e instanceof ApiError ? ` (${e.code})` : ''}`)
    }
  }
  const cancel = async () => {
    try {
      await api('POST', `/apps/${appId}/messages/${id}/cancel`)
      message.success('已取消 / Cancelled')
      m.reload()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <Loaded state={m}>
      {(msg) => (
        <Card
          title={`消息 Message ${msg.id}`}
          extra={
            canSend && (
              <Space wrap>
                {(msg.status === 'queued' || msg.status === 'scheduled') && (
                  <Button danger onClick={() => void cancel()}>
                    取消发送 Cancel
                  </Button>
                )}
                {(msg.status === 'failed' || msg.status === 'cancelled' || msg.status === 'delivered') && (
                  <Button onClick={() => void resend(msg)}>重新发送 Resend</Button>
                )}
              </Space>
            )
          }
        >
          {error && <Alert role="alert" type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
          <Descriptions size="small" column={{ xs: 1, md: 2 }} style={{ marginBottom: 16 }}>
            <Descriptions.Item label="用户 User">
              <Button type="link" style={{ padding: 0 }} onClick={() => navigate(`/users/${msg.to.userId}`)}>
                {msg.to.userId}
              </Button>
            </Descriptions.Item>
            <Descriptions.Item label="openid">{msg.to.openid}</Descriptions.Item>
            <Descriptions.Item label="模板 Template">{msg.template}</Descriptions.Item>
            <Descriptions.Item label="尝试次数 Attempts">{msg.attempts}</Descriptions.Item>
            <Descriptions.Item label="页面 Page">{msg.page ?? '—'}</Descriptions.Item>
            <Descriptions.Item label="计划时间 Run at">{when(msg.runAt)}</Descriptions.Item>
          </Descriptions>
          <Typography.Title level={5}>内容 Data</Typography.Title>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
            {Object.entries(msg.data).map(([k, v]) => (
              <Descriptions.Item key={k} label={k}>
                {v}
              </Descriptions.Item>
            ))}
          </Descriptions>
          <Typography.Title level={5}>历史 History</Typography.Title>
          <MessageStatusView m={msg} />
        </Card>
      )}
    </Loaded>
  )
}
