import { Alert, Card, Col, Empty, Row, Statistic, Table, Tag } from 'antd'
import { useMemo } from 'react'
import { api } from '../api.ts'
import { Chart } from '../chart.tsx'
import { useConsole } from '../context.ts'
import { Loaded, useLoad } from '../load.tsx'
import { statusLabel } from '../status.tsx'

interface Dashboard {
  perHour: { hour: string; status: string; count: number }[]
  topFailures: { reason: string | null; errcode: number | null; count: number; zh?: string; en?: string }[]
  queue: { depth: number; oldestAt: string | null }
  consent: { templateId: string; title: string | null; accepted: number; answered: number }[]
  token: { expiresAt: string | null; fetchedAt: string | null; refreshes: number } | null
  credentialsRefused: { errcode: number | null; since: string | null } | null
}

const OUTCOMES = ['sent', 'delivered', 'failed', 'cancelled', 'queued', 'scheduled']
const COLOURS: Record<string, string> = {
  sent: '#1677ff',
  delivered: '#07c160',
  failed: '#ff4d4f',
  cancelled: '#bfbfbf',
  queued: '#faad14',
  scheduled: '#722ed1',
}

export function DashboardPage() {
  const { appId } = useConsole()
  const d = useLoad(() => api<Dashboard>('GET', `/apps/${appId}/dashboard`), [appId])
  return <Loaded state={d}>{(data) => <DashboardView d={data} />}</Loaded>
}

function DashboardView({ d }: { d: Dashboard }) {
  const option = useMemo(() => {
    const hours = [...new Set(d.perHour.map((r) => r.hour))].sort()
    const labels = hours.map((h) =>
      new Date(h).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit' }),
    )
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 40, right: 16, top: 48, bottom: 30 },
      xAxis: { type: 'category', data: labels },
      yAxis: { type: 'value', minInterval: 1 },
      series: OUTCOMES.map((s) => ({
        name: statusLabel(s),
        type: 'bar',
        stack: 'all',
        barMaxWidth: 48,
        itemStyle: { color: COLOURS[s] },
        data: hours.map((h) => d.perHour.find((r) => r.hour === h && r.status === s)?.count ?? 0),
      })),
    }
  }, [d])
  const oldestS = d.queue.oldestAt
    ? Math.round((Date.now() - new Date(d.queue.oldestAt).getTime()) / 1000)
    : 0
  const tokenOk = d.token?.expiresAt ? new Date(d.token.expiresAt).getTime() > Date.now() : false
  return (
    <Row gutter={[16, 16]}>
      <Col xs={12} md={6}>
        <Card>
          <Statistic title="队列深度 Queue depth" value={d.queue.depth} />
        </Card>
      </Col>
      <Col xs={12} md={6}>
        <Card>
          <Statistic title="最久等待 Oldest queued (s)" value={oldestS} />
        </Card>
      </Col>
      <Col xs={24} md={12}>
        <Card title="access_token 健康 Token health">
          {d.credentialsRefused && (
            <Alert
              role="alert"
              type="error"
              showIcon
              style={{ marginBottom: 8 }}
              message={`微信拒绝了 AppSecret（errcode ${d.credentialsRefused.errcode ?? '—'}）：更换密钥前不再获取 access_token / WeChat refused the AppSecret: no token until it is rotated`}
            />
          )}
          {d.token ? (
            <>
              <Tag color={tokenOk ? 'success' : 'warning'}>{tokenOk ? '有效 valid' : '已过期 expired'}</Tag>
              过期 expires {d.token.expiresAt ? new Date(d.token.expiresAt).toLocaleString('zh-CN') : '—'} ·
              刷新 refreshes {d.token.refreshes}
            </>
          ) : (
            '尚未获取 / not fetched yet'
          )}
        </Card>
      </Col>
      <Col span={24}>
        <Card title="每小时消息（按结果）Messages per hour by outcome · 24h">
          {d.perHour.length ? (
            <Chart option={option} label="每小时消息数 / messages per hour" />
          ) : (
            <Empty description="24 小时内没有消息 / No message in 24 h" />
          )}
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title="主要失败原因 Top failure reasons · 7d">
          <Table
            size="small"
            rowKey={(r) => `${r.reason}-${r.errcode}`}
            pagination={false}
            dataSource={d.topFailures}
            locale={{ emptyText: <Empty description="没有失败 / No failure" /> }}
            columns={[
              { title: '原因 Reason', dataIndex: 'reason' },
              { title: 'errcode', dataIndex: 'errcode' },
              { title: '说明 Explanation', render: (_, r) => (r.zh ? `${r.zh} / ${r.en}` : '—') },
              { title: '次数 Count', dataIndex: 'count' },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} lg={12}>
        <Card title="订阅接受率 Consent accept rate">
          <Table
            size="small"
            rowKey="templateId"
            pagination={false}
            dataSource={d.consent}
            locale={{ emptyText: <Empty description="还没有订阅 / No answer yet" /> }}
            columns={[
              { title: '模板 Template', render: (_, r) => r.title ?? r.templateId },
              { title: '接受 Accepted', dataIndex: 'accepted' },
              { title: '回答 Answered', dataIndex: 'answered' },
              {
                title: '接受率 Rate',
                render: (_, r) => `${Math.round((100 * r.accepted) / Math.max(1, r.answered))}%`,
              },
            ]}
          />
        </Card>
      </Col>
    </Row>
  )
}
