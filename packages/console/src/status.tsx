// Message states: a text and an icon beside the colour, so colour is never the only signal.
import {
  CheckCircleOutlined,
  ClockCircleOutlined,
  CloseCircleOutlined,
  MinusCircleOutlined,
  SendOutlined,
  SyncOutlined,
} from '@ant-design/icons'
import { Tag } from 'antd'
import type { ReactNode } from 'react'

const STATES: Record<string, { color: string; zh: string; en: string; icon: ReactNode }> = {
  scheduled: { color: 'default', zh: '已排期', en: 'scheduled', icon: <ClockCircleOutlined /> },
  queued: { color: 'processing', zh: '排队中', en: 'queued', icon: <ClockCircleOutlined /> },
  sending: { color: 'processing', zh: '发送中', en: 'sending', icon: <SyncOutlined spin /> },
  sent: { color: 'blue', zh: '已发送', en: 'sent', icon: <SendOutlined /> },
  delivered: { color: 'success', zh: '已送达', en: 'delivered', icon: <CheckCircleOutlined /> },
  failed: { color: 'error', zh: '失败', en: 'failed', icon: <CloseCircleOutlined /> },
  cancelled: { color: 'default', zh: '已取消', en: 'cancelled', icon: <MinusCircleOutlined /> },
}

export const STATUS_NAMES = Object.keys(STATES)

export function statusLabel(status: string) {
  const s = STATES[status]
  return s ? `${s.zh} ${s.en}` : status
}

export function StatusTag({ status }: { status: string }) {
  const s = STATES[status] ?? { color: 'default', zh: status, en: '', icon: null }
  return (
    <Tag color={s.color} icon={s.icon} data-status={status}>
      {s.zh} {s.en}
    </Tag>
  )
}

export const TERMINAL = new Set(['delivered', 'failed', 'cancelled'])
