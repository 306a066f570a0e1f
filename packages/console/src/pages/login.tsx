import { Alert, Button, Card, Form, Input, Typography } from 'antd'
import { useState } from 'react'
import { api, type Operator } from '../api.ts'

export function LoginPage({ onLogin }: { onLogin: (op: Operator) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const submit = async (v: { username: string; password: string }) => {
    setBusy(true)
    setError(null)
    try {
      await onLogin(await api<Operator>('POST', '/login', v))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  return (
    <main style={{ display: 'flex', justifyContent: 'center', padding: '10vh 16px' }}>
      <Card style={{ width: 380, maxWidth: '100%' }}>
        <Typography.Title level={3}>wxpush 控制台</Typography.Title>
        <Typography.Paragraph type="secondary">登录 / Log in</Typography.Paragraph>
        {error && <Alert role="alert" type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={(v: { username: string; password: string }) => void submit(v)}>
          <Form.Item
            label="用户名 Username"
            name="username"
            rules={[{ required: true, message: '请输入用户名 / required' }]}
          >
            <Input autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item
            label="密码 Password"
            name="password"
            rules={[{ required: true, message: '请输入密码 / required' }]}
          >
            <Input.Password autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            登录 Log in
          </Button>
        </Form>
      </Card>
    </main>
  )
}
