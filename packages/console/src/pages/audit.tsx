import { Card, Empty, Table, Typography } from 'antd'
import { api } from '../api.ts'
import { Loaded, useLoad } from '../load.tsx'

interface AuditItem {
  id: string
  at: string
  username: string
  action: string
  appId: string | null
  target: string | null
  detail: Record<string, unknown>
}

const ACTIONS: Record<string, string> = {
  'message.send': '发送 send',
  'message.cancel': '取消 cancel',
  'key.issue': '签发密钥 issue key',
  'key.revoke': '吊销密钥 revoke key',
  'templates.sync': '同步模板 sync templates',
  'template.alias': '设置别名 set alias',
}

export function AuditPage() {
  const list = useLoad(() => api<{ items: AuditItem[] }>('GET', '/audit'), [])
  return (
    <Card title="审计 Audit (最近 200 条 / latest 200)">
      <Loaded state={list}>
        {(d) => (
          <Table<AuditItem>
            rowKey="id"
            size="small"
            dataSource={d.items}
            scroll={{ x: 'max-content' }}
            locale={{ emptyText: <Empty description="还没有操作记录 / Nothing recorded yet" /> }}
            columns={[
              {
                title: '时间 Time',
                dataIndex: 'at',
                render: (a: string) => new Date(a).toLocaleString('zh-CN'),
              },
              { title: '操作人 Operator', dataIndex: 'username' },
              { title: '操作 Action', dataIndex: 'action', render: (a: string) => ACTIONS[a] ?? a },
              { title: '应用 App', dataIndex: 'appId' },
              { title: '对象 Target', dataIndex: 'target' },
              {
                title: '详情 Detail',
                dataIndex: 'detail',
                render: (x: Record<string, unknown>) => (
                  <Typography.Text code>{JSON.stringify(x)}</Typography.Text>
                ),
              },
            ]}
          />
        )}
      </Loaded>
    </Card>
  )
}
