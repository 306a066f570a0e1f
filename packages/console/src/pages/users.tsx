import { SendOutlined } from '@ant-design/icons'
import { Button, Card, Descriptions, Empty, Input, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import { api, type Message, type UserItem } from '../api.ts'
import { useConsole } from '../context.ts'
import { Loaded, useLoad } from '../load.tsx'
import { navigate } from '../router.ts'
import { StatusTag } from '../status.tsx'

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString('zh-CN') : '—')

export function UsersPage() {
  const { appId, canSend } = useConsole()
  const [q, setQ] = useState('')
  // "tag:meeting-42" finds the users carrying that tag; anything else is a prefix of an id.
  const tag = /^tag:(.+)$/.exec(q.trim())?.[1]
  const users = useLoad(
    () =>
      api<{ items: UserItem[] }>(
        'GET',
        `/apps/${appId}/users?${tag ? `tag=${encodeURIComponent(tag)}` : `q=${encodeURIComponent(q)}`}`,
      ),
    [appId, q],
  )
  return (
    <Card title="用户 Users">
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Input.Search
          aria-label="搜索 openid 或 userId / Search by openid or userId"
          placeholder="openid / userId / unionid / tag:标签"
          allowClear
          enterButton="搜索 Search"
          onSearch={setQ}
          style={{ maxWidth: 480 }}
        />
        <Typography.Text type="secondary">
          按前缀匹配 openid、userId、unionid；“tag:标签”按标签查找 / prefix match on openid, userId, unionid;
          “tag:name” finds the users with that tag.
        </Typography.Text>
        <Loaded state={users}>
          {(d) => (
            <Table<UserItem>
              rowKey="userId"
              dataSource={d.items}
              scroll={{ x: 'max-content' }}
              pagination={{ pageSize: 20 }}
              locale={{ emptyText: <Empty description="没有匹配的用户 / No matching user" /> }}
              columns={[
                {
                  title: 'openid',
                  dataIndex: 'openid',
                  render: (v: string) => <Typography.Text code>{v}</Typography.Text>,
                },
                { title: 'userId', dataIndex: 'userId' },
                {
                  title: '标签 Tags',
                  dataIndex: 'tags',
                  render: (tags: string[]) => (tags.length ? tags.map((t) => <Tag key={t}>{t}</Tag>) : '—'),
                },
                { title: '最近登录 Last login', dataIndex: 'lastLoginAt', render: when },
                {
                  title: '操作 Actions',
                  // Always in view: the table scrolls sideways under it on narrow screens.
                  fixed: 'right',
                  render: (_, u) => (
                    <Space>
                      <Button size="small" onClick={() => navigate(`/users/${u.userId}`)}>
                        详情 Detail
                      </Button>
                      {canSend && (
                        <Button
                          size="small"
                          type="primary"
                          icon={<SendOutlined />}
                          aria-label={`发送给 ${u.openid} / Send to this user`}
                          onClick={() => navigate(`/compose?userId=${u.userId}`)}
                        >
                          发送 Send
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
          )}
        </Loaded>
      </Space>
    </Card>
  )
}

interface UserDetail extends UserItem {
  consents: {
    templateId: string
    title: string | null
    alias: string | null
    kind: string | null
    credits: number
    status: string
    source: string
    updatedAt: string
  }[]
  messages: Message[]
}

export function UserDetailPage({ userId }: { userId: string }) {
  const { appId, canSend } = useConsole()
  const user = useLoad(() => api<UserDetail>('GET', `/apps/${appId}/users/${userId}`), [appId, userId])
  return (
    <Loaded state={user}>
      {(u) => (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <Card title={`用户 User ${u.userId}`}>
            {canSend && (
              <Button
                type="primary"
                icon={<SendOutlined />}
                style={{ marginBottom: 12 }}
                onClick={() => navigate(`/compose?userId=${u.userId}`)}
              >
                发送给此用户 Send to this user
              </Button>
            )}
            <Descriptions column={{ xs: 1, md: 2 }} size="small">
              <Descriptions.Item label="openid">{u.openid}</Descriptions.Item>
              <Descriptions.Item label="unionid">{u.unionid ?? '—'}</Descriptions.Item>
              <Descriptions.Item label="创建 Created">{when(u.createdAt)}</Descriptions.Item>
              <Descriptions.Item label="最近登录 Last login">{when(u.lastLoginAt)}</Descriptions.Item>
              <Descriptions.Item label="标签 Tags">
                {u.tags.length ? u.tags.map((t) => <Tag key={t}>{t}</Tag>) : '—'}
              </Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title="订阅次数 Credits per template">
            <Table
              rowKey="templateId"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={u.consents}
              locale={{ emptyText: <Empty description="尚未订阅任何模板 / No consent yet" /> }}
              columns={[
                { title: '模板 Template', render: (_, c) => c.title ?? c.templateId },
                { title: '别名 Alias', dataIndex: 'alias' },
                {
                  title: '类型 Kind',
                  dataIndex: 'kind',
                  render: (k: string | null) => (k === 'long_term' ? '长期 long-term' : '一次性 one-time'),
                },
                { title: '剩余次数 Credits', dataIndex: 'credits' },
                { title: '状态 Status', dataIndex: 'status', render: (s: string) => <Tag>{s}</Tag> },
              ]}
            />
          </Card>
          <Card title="消息记录 Message history">
            <Table<Message>
              rowKey="id"
              size="small"
              pagination={false}
              scroll={{ x: 'max-content' }}
              dataSource={u.messages}
              locale={{ emptyText: <Empty description="还没有消息 / No message yet" /> }}
              columns={[
                {
                  title: 'ID',
                  dataIndex: 'id',
                  render: (id: string) => <a onClick={() => navigate(`/messages/${id}`)}>{id}</a>,
                },
                {
                  title: '状态 Status',
                  dataIndex: 'status',
                  render: (s: string) => <StatusTag status={s} />,
                },
                { title: '创建 Created', dataIndex: 'createdAt', render: when },
              ]}
            />
          </Card>
        </Space>
      )}
    </Loaded>
  )
}
