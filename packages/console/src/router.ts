// A small history router for the console's few pages: paths under /console/.
import { useSyncExternalStore } from 'react'

const EVENT = 'console:navigate'

function subscribe(onChange: () => void) {
  window.addEventListener('popstate', onChange)
  window.addEventListener(EVENT, onChange)
  return () => {
    window.removeEventListener('popstate', onChange)
    window.removeEventListener(EVENT, onChange)
  }
}

const snapshot = () => window.location.pathname + window.location.search

export function navigate(to: string) {
  window.history.pushState(null, '', `/console${to}`)
  window.dispatchEvent(new Event(EVENT))
}

/** The path below /console (e.g. '/users/usr_1') and its query. */
export function useRoute(): { path: string; query: URLSearchParams } {
  const full = useSyncExternalStore(subscribe, snapshot)
  const url = new URL(full, window.location.origin)
  const path = url.pathname.replace(/^\/console/, '') || '/'
  return { path: path === '' ? '/' : path, query: url.searchParams }
}
