// Compose: one input per keyword with its type and rule; the rule check runs as you type with
// @wxpush/wechat's own content rules (the server runs the same code on send), a fit suggestion
// when one exists, a live 服务通知 preview, then the send and its status until it settles.
import { SendOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Form,
  Input,
  Row,
  Select,
  Space,
  Timeline,
  Typography,
} from 'antd'
import { useEffect, useState } from 'react'
import { api, ApiError, type Message, type Template } from '../api.ts'
import { useConsole } from '../context.ts'
import { KeywordFields, useKeywordChecks, ViolationList } from '../keywords.tsx'
import { Loaded, useLoad } from '../load.tsx'
import { ServiceNotificationPreview } from '../preview.tsx'
import { useRoute } from '../router.ts'
import { StatusTag, TERMINAL } from '../status.tsx'

export function ComposePage() {
  const { appId } = useConsole()
  const templates = useLoad(() => api<{ items: Template[] }>('GET', `/apps/${appId}/templates`), [appId])
  return (
    <Loaded state={templates}>
      {(d) =>
        d.items.length === 0 ? (
          <Card title="发送 Compose">
            <Empty description="这个应用还没有模板：先在“模板”页同步 / No template yet: sync on the Templates page" />
          </Card>
        ) : (
          <ComposeForm templates={d.items} />
        )
      }
    </Loaded>
  )
}

function ComposeForm({ templates }: { templates: Template[] }) {
  const { appId, apps, canSend } = useConsole()
  const { message } = App.useApp()
  const { query } = useRoute()
  const [recipient, setRecipient] = useState(query.get('userId') ?? query.get('openid') ?? '')
  const [templateId, setTemplateId] = useState(templates[0]!.id)
  const template = templates.find((t) => t.id === templateId) ?? templates[0]!
  const [values, setValues] = useState<Record<string, string>>({})
  const [page, setPage] = useState('')
  const [state, setState] = useState<'formal' | 'trial' | 'developer'>('formal')
  const [lang, setLang] = useState<'zh_CN' | 'en_US' | 'zh_HK' | 'zh_TW'>('zh_CN')
  const [sendAt, setSendAt] = useState('')
  const [sending, setSending] = useState(false)
  const [sendError, setSendError] = useState<ApiError | null>(null)
  const [sentId, setSentId] = useState<string | null>(null)
  // One key per composed message: a repeated click or a retried request cannot send it twice.
  const [idempotencyKey, setIdempotencyKey] = useState(newIdempotencyKey)

  useEffect(() => setValues({}), [templateId])

  // The same checks the server runs on POST /v1/messages, per keyword, as you type.
  const { checks, valid } = useKeywordChecks(template, values)
  const to = recipient.startsWith('usr_') ? { userId: recipient } : { openid: recipient }

  const send = async () => {
    setSending(true)
    setSendError(null)
    setSentId(null)
    try {
      const r = await api<{ id: string }>('POST', `/apps/${appId}/messages`, {
        to,
        template: template.alias ?? template.id,
        data: values,
        miniprogramState: state,
        lang,
        idempotencyKey,
        ...(page ? { page } : {}),
        ...(sendAt ? { sendAt: new Date(sendAt).toISOString() } : {}),
      })
      setSentId(r.id)
      setIdempotencyKey(newIdempotencyKey())
      message.success('已提交 / Accepted')
    } catch (e) {
      setSendError(e instanceof ApiError ? e : new ApiError(0, 'network', (e as Error).message, {}))
    } finally {
      setSending(false)
    }
  }

  const appName = apps.find((a) => a.appId === appId)?.name ?? appId
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={14}>
        <Card title="发送 Compose">
          {!canSend && (
            <Alert
              type="info"
              showIcon
              style={{ marginBottom: 16 }}
              message="只读角色不能发送 / The viewer role cannot send"
            />
          )}
          <Form layout="vertical" onFinish={() => void send()}>
            <Form.Item label="接收人 Recipient (userId / openid)" htmlFor="recipient" required>
              <Input id="recipient" value={recipient} onChange={(e) => setRecipient(e.target.value.trim())} />
            </Form.Item>
            <Form.Item label="模板 Template" htmlFor="template">
              <Select
                id="template"
                value={templateId}
                onChange={setTemplateId}
                options={templates.map((t) => ({
                  value: t.id,
                  label: `${t.title}${t.alias ? ` (${t.alias})` : ''} · ${t.kind === 'long_term' ? '长期' : '一次性'}`,
                }))}
              />
            </Form.Item>
            <KeywordFields
              template={template}
              values={values}
              onChange={setValues}
              checks={checks}
              idPrefix="kw"
            />
            <Row gutter={12}>
              <Col xs={24}>
                <Form.Item label="跳转页面 Page" htmlFor="page">
                  <Input
                    id="page"
                    placeholder="pages/index/index"
                    value={page}
                    onChange={(e) => setPage(e.target.value)}
                  />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item label="小程序版本 State" htmlFor="mp-state">
                  <Select
                    id="mp-state"
                    value={state}
                    onChange={setState}
                    options={[
                      { value: 'formal', label: '正式版 formal' },
                      { value: 'trial', label: '体验版 trial' },
                      { value: 'developer', label: '开发版 developer' },
                    ]}
                  />
                </Form.Item>
              </Col>
              <Col xs={12}>
                <Form.Item label="语言 Lang" htmlFor="lang">
                  <Select
                    id="lang"
                    value={lang}
                    onChange={setLang}
                    options={['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].map((v) => ({ value: v, label: v }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} md={12}>
                <Form.Item label="定时发送 Schedule (留空立即 / empty: now)" htmlFor="send-at">
                  <Input
                    id="send-at"
                    type="datetime-local"
                    value={sendAt}
                    onChange={(e) => setSendAt(e.target.value)}
                  />
                </Form.Item>
              </Col>
            </Row>
            {sendError && (
              <Alert
                role="alert"
                type="error"
                showIcon
                style={{ marginBottom: 16 }}
                message={`${sendError.message} (${sendError.code})`}
                description={<ViolationList details={sendError.details} />}
              />
            )}
            {canSend ? (
              <Button
                type="primary"
                htmlType="submit"
                icon={<SendOutlined />}
                loading={sending}
                disabled={!valid || !recipient}
              >
                发送 Send
              </Button>
            ) : null}
          </Form>
        </Card>
      </Col>
      <Col xs={24} lg={10}>
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Card title="预览 Preview">
            <ServiceNotificationPreview
              title={template.title}
              keywords={template.keywords}
              values={values}
              appName={appName}
            />
          </Card>
          {sentId && <LiveStatus id={sentId} />}
        </Space>
      </Col>
    </Row>
  )
}

// getRandomValues, not randomUUID: the latter exists only in secure contexts (HTTPS or localhost).
function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** Polls the message once a second until it is delivered, failed or cancelled. */
export function LiveStatus({ id }: { id: string }) {
  const { appId } = useConsole()
  const [m, setM] = useState<Message | null>(null)
  useEffect(() => {
    let stop = false
    const tick = async () => {
      try {
        const next = await api<Message>('GET', `/apps/${appId}/messages/${id}`)
        if (stop) return
        setM(next)
        if (TERMINAL.has(next.status)) return
      } catch {
        // a moment's network trouble: try again on the next tick
      }
      if (!stop) setTimeout(() => void tick(), 1000)
    }
    void tick()
    return () => {
      stop = true
    }
  }, [appId, id])
  return (
    <Card title="状态 Status" aria-live="polite">
      {m ? <MessageStatusView m={m} /> : <Typography.Text>…</Typography.Text>}
    </Card>
  )
}

export function MessageStatusView({ m }: { m: Message }) {
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Typography.Text code>{m.id}</Typography.Text>
        <StatusTag status={m.status} />
      </Space>
      {m.errcodeExplained && (
        <Alert
          type="error"
          showIcon
          message={`errcode ${m.errcodeExplained.errcode} · ${m.errcodeExplained.reason}`}
          description={`${m.errcodeExplained.zh} / ${m.errcodeExplained.en}`}
        />
      )}
      {m.reason && !m.errcodeExplained && (
        <Descriptions size="small" column={1}>
          <Descriptions.Item label="原因 Reason">{m.reason}</Descriptions.Item>
        </Descriptions>
      )}
      <Timeline
        items={(m.history ?? []).map((h) => ({
          children: (
            <span>
              <StatusTag status={h.status} /> {new Date(h.at).toLocaleString('zh-CN')}
              {h.reason ? ` · ${h.reason}` : ''}
              {h.errcodeExplained ? ` · ${h.errcodeExplained.zh} / ${h.errcodeExplained.en}` : ''}
            </span>
          ),
        }))}
      />
    </Space>
  )
}
