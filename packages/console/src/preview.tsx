// A likeness of the 服务通知 (service notification) card as WeChat shows a subscription message.
import { Card, Typography } from 'antd'
import type { Keyword } from './api.ts'

export function ServiceNotificationPreview(p: {
  title: string
  keywords: Keyword[]
  values: Record<string, string>
  appName: string
}) {
  return (
    <section aria-label="服务通知预览 / Service notification preview">
      <Typography.Text type="secondary">服务通知 Service notification</Typography.Text>
      <Card size="small" style={{ marginTop: 8, maxWidth: 360, borderRadius: 12 }}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {p.appName}
        </Typography.Text>
        <Typography.Title level={5} style={{ margin: '4px 0 12px' }}>
          {p.title}
        </Typography.Title>
        <dl style={{ margin: 0 }}>
          {p.keywords.map((k) => (
            <div key={k.key} style={{ display: 'flex', gap: 12, marginBottom: 6 }}>
              <dt style={{ color: '#888', minWidth: 72, flexShrink: 0 }}>{k.name}</dt>
              <dd style={{ margin: 0, wordBreak: 'break-all' }}>{p.values[k.key] || '—'}</dd>
            </div>
          ))}
        </dl>
        <div style={{ borderTop: '1px solid #eee', marginTop: 8, paddingTop: 8, color: '#576b95' }}>
          进入小程序查看 ›
        </div>
      </Card>
    </section>
  )
}
