import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Empty,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Typography,
} from 'antd'
import { useState } from 'react'
import { api } from '../api.ts'
import { useConsole } from '../context.ts'
import { Loaded, useLoad } from '../load.tsx'

interface Keys {
  items: {
    id: string
    prefix: string
    scope: string
    createdAt: string
    lastUsedAt: string | null
    revokedAt: string | null
  }[]
  callback: { mode: string; format: string; updatedAt: string } | null
  callbackUrl: string
  webhook: { url: string; updatedAt: string | null } | null
  rateLimit: { perSecond: number | null; burst: number | null; default: boolean }
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN') : '—')

export function AppsPage() {
  const { apps, appId, isAdmin } = useConsole()
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Card title="应用 Apps">
        <Table
          rowKey="appId"
          size="small"
          pagination={false}
          dataSource={apps}
          scroll={{ x: 'max-content' }}
          columns={[
            { title: 'appId', dataIndex: 'appId' },
            { title: '名称 Name', dataIndex: 'name' },
          ]}
        />
      </Card>
      {isAdmin ? (
        <KeysCard appId={appId} />
      ) : (
        <Alert
          type="info"
          showIcon
          message="API 密钥与回调设置仅管理员可见 / API keys and callback settings: admins only"
        />
      )}
    </Space>
  )
}

function KeysCard({ appId }: { appId: string }) {
  const { message } = App.useApp()
  const keys = useLoad(() => api<Keys>('GET', `/apps/${appId}/keys`), [appId])
  const [scope, setScope] = useState<'app' | 'admin'>('app')
  const [issued, setIssued] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [rate, setRate] = useState<number | null>(null)
  const saveRate = async () => {
    if (rate === null) return
    try {
      await api('PUT', `/apps/${appId}/rate-limit`, { perSecond: rate })
      message.success('已保存 / Saved')
      keys.reload()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const issue = async () => {
    try {
      const k = await api<{ key: string }>('POST', `/apps/${appId}/keys`, { scope })
      setIssued(k.key)
      keys.reload()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const revoke = async (id: string) => {
    try {
      await api('DELETE', `/apps/${appId}/keys/${id}`)
      message.success('已吊销 / Revoked')
      keys.reload()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <Loaded state={keys}>
      {(d) => (
        <>
          <Card title={`API 密钥 API keys · ${appId}`}>
            <Space wrap style={{ marginBottom: 12 }}>
              <label htmlFor="key-scope">范围 Scope</label>
              <Select
                id="key-scope"
                value={scope}
                onChange={setScope}
                style={{ width: 120 }}
                options={[
                  { value: 'app', label: 'app' },
                  { value: 'admin', label: 'admin' },
                ]}
              />
              <Button type="primary" onClick={() => void issue()}>
                签发 Issue key
              </Button>
            </Space>
            {error && (
              <Alert role="alert" type="error" showIcon message={error} style={{ marginBottom: 12 }} />
            )}
            <Table
              rowKey="id"
              size="small"
              pagination={false}
              dataSource={d.items}
              scroll={{ x: 'max-content' }}
              locale={{ emptyText: <Empty description="没有密钥 / No key" /> }}
              columns={[
                { title: 'keyId', dataIndex: 'id' },
                { title: '前缀 Prefix', dataIndex: 'prefix', render: (p: string) => `${p}…` },
                { title: '范围 Scope', dataIndex: 'scope' },
                { title: '最近使用 Last used', dataIndex: 'lastUsedAt', render: when },
                {
                  title: '状态 State',
                  render: (_, k) =>
                    k.revokedAt ? (
                      `已吊销 revoked ${when(k.revokedAt)}`
                    ) : (
                      <Popconfirm title="吊销此密钥？/ Revoke this key?" onConfirm={() => void revoke(k.id)}>
                        <Button size="small" danger>
                          吊销 Revoke
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]}
            />
          </Card>
          <Card title="消息推送 Callback (WeChat message push)" style={{ marginTop: 16 }}>
            <Descriptions size="small" column={1} layout="vertical">
              <Descriptions.Item label="URL（填入微信后台“消息推送”）/ paste into the WeChat admin site">
                <Typography.Text copyable code>
                  {d.callbackUrl}
                </Typography.Text>
              </Descriptions.Item>
              <Descriptions.Item label="模式 Mode">
                {d.callback
                  ? `${d.callback.mode} · ${d.callback.format}`
                  : '未配置 / not configured (PUT /v1/apps/:appId/callback)'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title="发送设置 Delivery settings" style={{ marginTop: 16 }}>
            <Descriptions size="small" column={1} layout="vertical">
              <Descriptions.Item label="状态回调 Webhook">
                {d.webhook ? (
                  <Typography.Text code>{d.webhook.url}</Typography.Text>
                ) : (
                  '未设置 / not set (PUT /v1/apps/:appId/webhook)'
                )}
              </Descriptions.Item>
              <Descriptions.Item label="每秒发送上限 Sends per second">
                <Space wrap>
                  <Typography.Text>
                    {d.rateLimit.perSecond ?? '不限 / unlimited'}
                    {d.rateLimit.default ? ' （默认 / default）' : ''}
                  </Typography.Text>
                  <label htmlFor="rate-limit">新上限 New limit</label>
                  <InputNumber id="rate-limit" min={0.01} max={1000000} value={rate} onChange={setRate} />
                  <Button disabled={rate === null} onClick={() => void saveRate()}>
                    保存 Save
                  </Button>
                </Space>
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Modal
            open={issued !== null}
            title="新密钥（只显示这一次）/ New key (shown once)"
            onOk={() => setIssued(null)}
            onCancel={() => setIssued(null)}
            cancelButtonProps={{ style: { display: 'none' } }}
          >
            <Typography.Paragraph copyable code>
              {issued}
            </Typography.Paragraph>
          </Modal>
        </>
      )}
    </Loaded>
  )
}
