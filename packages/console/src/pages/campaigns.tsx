// Campaigns: create one from an audience (users who consented, a tag, a list of userIds), then watch
// its progress live and pause, resume or cancel it. The same services as /v1/campaigns: the same
// content rules, credits and rate limit; every action is audited with the operator's name.
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  EditOutlined,
  MinusCircleOutlined,
  PauseCircleOutlined,
  PlusOutlined,
  SyncOutlined,
} from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Progress,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useEffect, useState, type ReactNode } from 'react'
import { api, ApiError, type Template } from '../api.ts'
import { useConsole } from '../context.ts'
import { KeywordFields, useKeywordChecks, ViolationList } from '../keywords.tsx'
import { Loaded, useLoad } from '../load.tsx'
import { navigate } from '../router.ts'

interface Campaign {
  id: string
  name: string
  template: string
  status: 'draft' | 'scheduled' | 'running' | 'paused' | 'completed' | 'cancelled'
  audience: { kind: string; tag?: string }
  counts: {
    recipients: number
    pending: number
    queued: number
    sent: number
    delivered: number
    failed: number
    skipped: number
  }
  skippedBy: Record<string, number>
  failedBy: Record<string, number>
  ratePerSecond?: number
  createdAt: string
  sendAt?: string
  startedAt?: string
  completedAt?: string
}

// A text and an icon beside each colour: colour is never the only signal.
const STATES: Record<Campaign['status'], { color: string; zh: string; en: string; icon: ReactNode }> = {
  draft: { color: 'default', zh: '草稿', en: 'draft', icon: <EditOutlined /> },
  scheduled: { color: 'default', zh: '已排期', en: 'scheduled', icon: <ClockCircleOutlined /> },
  running: { color: 'processing', zh: '进行中', en: 'running', icon: <SyncOutlined spin /> },
  paused: { color: 'warning', zh: '已暂停', en: 'paused', icon: <PauseCircleOutlined /> },
  completed: { color: 'success', zh: '已完成', en: 'completed', icon: <CheckCircleOutlined /> },
  cancelled: { color: 'default', zh: '已取消', en: 'cancelled', icon: <MinusCircleOutlined /> },
}

const AUDIENCES = {
  consented: '已订阅该模板的用户 Users who consented',
  tag: '标签 Tag',
  userIds: '指定用户 userIds',
  openids: '指定 openid',
  upload: '上传名单 Upload',
} as const

function CampaignStatusTag({ status }: { status: Campaign['status'] }) {
  const s = STATES[status]
  return (
    <Tag color={s.color} icon={s.icon} data-campaign-status={status}>
      {s.zh} {s.en}
    </Tag>
  )
}

const LIVE = new Set<Campaign['status']>(['running', 'scheduled', 'paused', 'draft'])

export function CampaignsPage() {
  const { appId, canSend } = useConsole()
  const [creating, setCreating] = useState(false)
  const campaigns = useLoad(
    () => api<{ items: Campaign[]; nextCursor: string | null }>('GET', `/apps/${appId}/campaigns?limit=50`),
    [appId],
  )
  const { reload } = campaigns
  // Live progress: while a campaign can still move, the list is read again every second.
  const live = (campaigns.data?.items ?? []).some((c) => LIVE.has(c.status))
  useEffect(() => {
    if (!live) return
    const timer = setInterval(reload, 1000)
    return () => clearInterval(timer)
  }, [live, reload])

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size={16}>
      {creating && (
        <CreateCampaign
          onCreated={() => {
            setCreating(false)
            reload()
          }}
          onClose={() => setCreating(false)}
        />
      )}
      <Card title="群发 Campaigns">
        {canSend && !creating && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            style={{ marginBottom: 16 }}
            onClick={() => setCreating(true)}
          >
            新建群发 New campaign
          </Button>
        )}
        <Loaded state={campaigns}>
          {(d) =>
            d.items.length === 0 ? (
              <Empty description="还没有群发 / No campaign yet" />
            ) : (
              <Table<Campaign>
                rowKey="id"
                dataSource={d.items}
                pagination={false}
                scroll={{ x: 940 }}
                columns={[
                  {
                    title: '名称 Name',
                    dataIndex: 'name',
                    width: 180,
                    render: (name: string, c) => (
                      <Space orientation="vertical" size={0}>
                        <Typography.Text strong>{name}</Typography.Text>
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                          {AUDIENCES[c.audience.kind as keyof typeof AUDIENCES] ?? c.audience.kind}
                          {c.audience.tag ? `: ${c.audience.tag}` : ''}
                        </Typography.Text>
                      </Space>
                    ),
                  },
                  {
                    title: '状态 Status',
                    dataIndex: 'status',
                    width: 130,
                    render: (s: Campaign['status']) => <CampaignStatusTag status={s} />,
                  },
                  {
                    title: '进度 Progress',
                    key: 'progress',
                    width: 290,
                    render: (_, c) => <CampaignProgress c={c} />,
                  },
                  {
                    title: '时间 Time',
                    key: 'time',
                    width: 150,
                    render: (_, c) => (
                      <Typography.Text style={{ fontSize: 12 }}>
                        {c.sendAt && c.status === 'scheduled'
                          ? `定于 at ${new Date(c.sendAt).toLocaleString('zh-CN')}`
                          : `创建 ${new Date(c.createdAt).toLocaleString('zh-CN')}`}
                      </Typography.Text>
                    ),
                  },
                  {
                    title: '操作 Actions',
                    key: 'actions',
                    width: 190,
                    render: (_, c) => <CampaignActions c={c} onDone={reload} />,
                  },
                ]}
              />
            )
          }
        </Loaded>
      </Card>
    </Space>
  )
}

function CampaignProgress({ c }: { c: Campaign }) {
  const n = c.counts
  const done = n.delivered + n.sent + n.failed + n.skipped
  const percent = n.recipients === 0 ? 0 : Math.floor((done / n.recipients) * 100)
  const reasons = Object.entries({ ...c.skippedBy, ...c.failedBy })
  return (
    <div aria-label={`进度 Progress ${done} / ${n.recipients}`} data-progress={`${done}/${n.recipients}`}>
      <Progress
        percent={percent}
        success={{
          percent: n.recipients === 0 ? 0 : Math.floor(((n.delivered + n.sent) / n.recipients) * 100),
        }}
        size="small"
        status={c.status === 'running' ? 'active' : n.failed > 0 ? 'exception' : 'normal'}
        format={() => `${done} / ${n.recipients}`}
      />
      <Typography.Text style={{ fontSize: 12 }}>
        已送达 delivered {n.delivered} · 已发送 sent {n.sent} · 失败 failed {n.failed} · 跳过 skipped{' '}
        {n.skipped} · 排队 queued {n.queued + n.pending}
      </Typography.Text>
      {reasons.length > 0 && (
        <div>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {reasons.map(([k, v]) => `${k} ×${v}`).join(' · ')}
          </Typography.Text>
        </div>
      )}
    </div>
  )
}

function CampaignActions({ c, onDone }: { c: Campaign; onDone: () => void }) {
  const { appId, canSend } = useConsole()
  const { message } = App.useApp()
  const [busy, setBusy] = useState<string | null>(null)
  const act = async (action: 'start' | 'pause' | 'resume' | 'cancel') => {
    setBusy(action)
    try {
      await api('POST', `/apps/${appId}/campaigns/${c.id}/${action}`)
      onDone()
    } catch (e) {
      void message.error(`${(e as Error).message}${e instanceof ApiError ? ` (${e.code})` : ''}`)
    } finally {
      setBusy(null)
    }
  }
  const open = c.status !== 'completed' && c.status !== 'cancelled'
  return (
    <Space wrap size={4}>
      {canSend && c.status === 'draft' && (
        <Button size="small" loading={busy === 'start'} onClick={() => void act('start')}>
          开始 Start
        </Button>
      )}
      {canSend && (c.status === 'running' || c.status === 'scheduled') && (
        <Button size="small" loading={busy === 'pause'} onClick={() => void act('pause')}>
          暂停 Pause
        </Button>
      )}
      {canSend && c.status === 'paused' && (
        <Button size="small" loading={busy === 'resume'} onClick={() => void act('resume')}>
          继续 Resume
        </Button>
      )}
      {canSend && open && (
        <Popconfirm
          title="取消这次群发？/ Cancel this campaign?"
          description="未发出的消息不再发送，预留的次数退回 / Unsent messages stay unsent; reserved credits go back"
          okText="取消群发 Cancel it"
          cancelText="返回 Back"
          onConfirm={() => act('cancel')}
        >
          <Button size="small" danger loading={busy === 'cancel'}>
            取消 Cancel
          </Button>
        </Popconfirm>
      )}
      <Button size="small" type="link" onClick={() => navigate(`/messages?campaign=${c.id}`)}>
        消息 Messages
      </Button>
    </Space>
  )
}

function CreateCampaign({ onCreated, onClose }: { onCreated: () => void; onClose: () => void }) {
  const { appId } = useConsole()
  const templates = useLoad(() => api<{ items: Template[] }>('GET', `/apps/${appId}/templates`), [appId])
  return (
    <Card title="新建群发 New campaign" extra={<Button onClick={onClose}>关闭 Close</Button>}>
      <Loaded state={templates}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty description="这个应用还没有模板：先在“模板”页同步 / No template yet: sync on the Templates page" />
          ) : (
            <CreateForm templates={d.items} onCreated={onCreated} />
          )
        }
      </Loaded>
    </Card>
  )
}

function CreateForm({ templates, onCreated }: { templates: Template[]; onCreated: () => void }) {
  const { appId } = useConsole()
  const { message } = App.useApp()
  const [name, setName] = useState('')
  const [templateId, setTemplateId] = useState(templates[0]!.id)
  const template = templates.find((t) => t.id === templateId) ?? templates[0]!
  const [values, setValues] = useState<Record<string, string>>({})
  const [audience, setAudience] = useState<'consented' | 'tag' | 'userIds'>('consented')
  const [tag, setTag] = useState('')
  const [userIds, setUserIds] = useState('')
  const [rate, setRate] = useState<number | null>(null)
  const [sendAt, setSendAt] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<ApiError | null>(null)
  const [idempotencyKey] = useState(
    () =>
      `console-cmp-${Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('')}`,
  )
  const { checks, valid } = useKeywordChecks(template, values)
  useEffect(() => setValues({}), [templateId])

  const ids = userIds
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean)
  const audienceReady = audience === 'consented' || (audience === 'tag' ? tag.trim() !== '' : ids.length > 0)

  const create = async () => {
    setBusy(true)
    setError(null)
    try {
      await api('POST', `/apps/${appId}/campaigns`, {
        name: name.trim(),
        template: template.alias ?? template.id,
        data: values,
        audience:
          audience === 'consented'
            ? { consented: true }
            : audience === 'tag'
              ? { tag: tag.trim() }
              : { userIds: ids },
        idempotencyKey,
        ...(rate ? { ratePerSecond: rate } : {}),
        ...(sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}),
      })
      void message.success('已创建 / Created')
      onCreated()
    } catch (e) {
      setError(e instanceof ApiError ? e : new ApiError(0, 'network', (e as Error).message, {}))
    } finally {
      setBusy(false)
    }
  }

  return (
    <Form layout="vertical" onFinish={() => void create()}>
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item label="名称 Name" htmlFor="campaign-name" required>
            <Input
              id="campaign-name"
              value={name}
              maxLength={200}
              onChange={(e) => setName(e.target.value)}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="模板 Template" htmlFor="campaign-template">
            <Select
              id="campaign-template"
              value={templateId}
              onChange={setTemplateId}
              options={templates.map((t) => ({
                value: t.id,
                label: `${t.title}${t.alias ? ` (${t.alias})` : ''}`,
              }))}
            />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="受众 Audience" required>
        <Radio.Group
          aria-label="受众 Audience"
          value={audience}
          onChange={(e) => setAudience(e.target.value as typeof audience)}
          options={[
            { value: 'consented', label: AUDIENCES.consented },
            { value: 'tag', label: AUDIENCES.tag },
            { value: 'userIds', label: AUDIENCES.userIds },
          ]}
        />
      </Form.Item>
      {audience === 'tag' && (
        <Form.Item label="标签 Tag" htmlFor="audience-tag" required>
          <Input id="audience-tag" value={tag} onChange={(e) => setTag(e.target.value)} />
        </Form.Item>
      )}
      {audience === 'userIds' && (
        <Form.Item
          label="userId 列表 userIds (每行一个 / one per line)"
          htmlFor="audience-users"
          required
          extra={`${ids.length} 个用户 users`}
        >
          <Input.TextArea
            id="audience-users"
            rows={3}
            value={userIds}
            onChange={(e) => setUserIds(e.target.value)}
          />
        </Form.Item>
      )}
      <KeywordFields
        template={template}
        values={values}
        onChange={setValues}
        checks={checks}
        idPrefix="ckw"
      />
      <Row gutter={16}>
        <Col xs={24} md={12}>
          <Form.Item
            label="每秒上限 Rate per second (留空：应用的限速 / empty: the app's limit)"
            htmlFor="campaign-rate"
          >
            <InputNumber
              id="campaign-rate"
              min={0.01}
              max={100000}
              step={1}
              style={{ width: '100%' }}
              value={rate}
              onChange={setRate}
            />
          </Form.Item>
        </Col>
        <Col xs={24} md={12}>
          <Form.Item label="定时发送 Schedule (留空立即 / empty: now)" htmlFor="campaign-send-at">
            <Input
              id="campaign-send-at"
              type="datetime-local"
              value={sendAt}
              onChange={(e) => setSendAt(e.target.value)}
            />
          </Form.Item>
        </Col>
      </Row>
      {error && (
        <Alert
          role="alert"
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={`${error.message} (${error.code})`}
          description={<ViolationList details={error.details} />}
        />
      )}
      <Button
        type="primary"
        htmlType="submit"
        loading={busy}
        disabled={!valid || !name.trim() || !audienceReady}
      >
        {sendAt ? '创建并排期 Create and schedule' : '创建并开始 Create and start'}
      </Button>
    </Form>
  )
}
