// Loading a page's data with its three states: loading, error (with the server's message), data.
import { Alert, Spin } from 'antd'
import { useCallback, useEffect, useState, type ReactNode } from 'react'

export function useLoad<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true })
  const run = useCallback(load, deps)
  const reload = useCallback(() => {
    setState((s) => ({ ...s, loading: true }))
    run().then(
      (data) => setState({ data, loading: false }),
      (e: unknown) => setState({ error: (e as Error).message, loading: false }),
    )
  }, [run])
  useEffect(reload, [reload])
  return { ...state, reload }
}

export function Loaded<T>({
  state,
  children,
}: {
  state: { data?: T; error?: string; loading: boolean }
  children: (data: T) => ReactNode
}) {
  if (state.error)
    return (
      <Alert
        role="alert"
        type="error"
        showIcon
        message="加载失败 / Could not load"
        description={state.error}
      />
    )
  if (state.data === undefined)
    return (
      <Spin description="加载中 Loading">
        <div style={{ minHeight: 80 }} />
      </Spin>
    )
  return <>{children(state.data)}</>
}
