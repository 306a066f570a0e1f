import { Alert, App, Button, Card, Empty, Space, Table, Tag, Typography } from 'antd'
import { typeText } from '@wxpush/wechat/browser'
import { useState } from 'react'
import { api, type Template } from '../api.ts'
import { useConsole } from '../context.ts'
import { Loaded, useLoad } from '../load.tsx'

export function TemplatesPage() {
  const { appId, isAdmin } = useConsole()
  const { message } = App.useApp()
  const list = useLoad(() => api<{ items: Template[] }>('GET', `/apps/${appId}/templates`), [appId])
  const [error, setError] = useState<string | null>(null)
  const sync = async () => {
    setError(null)
    try {
      await api('POST', `/apps/${appId}/templates/sync`)
      message.success('已同步 / Synced')
      list.reload()
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <Card title="模板 Templates">
      {isAdmin && (
        <Button onClick={() => void sync()} loading={list.loading} style={{ marginBottom: 12 }}>
          从微信同步 Sync from WeChat
        </Button>
      )}
      {error && <Alert role="alert" type="error" showIcon message={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">
        公共模板库的浏览与添加请用 API（GET /v1/templates/library）/ browse and add from the public library
        through the API for now.
      </Typography.Paragraph>
      <Loaded state={list}>
        {(d) => (
          <Table<Template>
            rowKey="id"
            dataSource={d.items}
            pagination={false}
            scroll={{ x: 900 }}
            locale={{ emptyText: <Empty description="没有模板 / No template" /> }}
            columns={[
              {
                title: '标题 Title · ID',
                dataIndex: 'title',
                width: 240,
                render: (title: string, t) => (
                  <Space orientation="vertical" size={0}>
                    <Typography.Text>{title}</Typography.Text>
                    <Typography.Text type="secondary" style={{ fontSize: 12, wordBreak: 'break-all' }}>
                      {t.id}
                    </Typography.Text>
                  </Space>
                ),
              },
              {
                title: '别名 Alias',
                dataIndex: 'alias',
                width: 150,
                render: (a: string | null) => a ?? '—',
              },
              {
                title: '类型 Kind',
                dataIndex: 'kind',
                width: 130,
                render: (k: string) => (k === 'long_term' ? '长期 long-term' : '一次性 one-time'),
              },
              {
                title: '关键词与规则 Keywords and rules',
                render: (_, t) => (
                  <Space orientation="vertical" size={2}>
                    {t.keywords.map((k) => {
                      const x = typeText(k.type)
                      return (
                        <span key={k.key}>
                          <Tag>{k.key}</Tag>
                          {k.name} · {x.zh} {x.en}: {x.allows[0]}
                        </span>
                      )
                    })}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Loaded>
    </Card>
  )
}
