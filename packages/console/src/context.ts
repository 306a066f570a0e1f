// What every page needs: the operator (role, apps) and the app picked in the header.
import { createContext, useContext } from 'react'
import type { AppItem, Operator } from './api.ts'

export interface ConsoleContext {
  operator: Operator
  apps: AppItem[]
  appId: string
  canSend: boolean
  isAdmin: boolean
}

export const Ctx = createContext<ConsoleContext | null>(null)

export function useConsole(): ConsoleContext {
  const c = useContext(Ctx)
  if (!c) throw new Error('useConsole outside the shell')
  return c
}
