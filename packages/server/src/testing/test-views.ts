// The API's answers as the tests read them (the contract's shapes, not the server's types, so that
// a test fails when an answer changes).

/** GET /v1/messages/:id */
export interface MessageView {
  id: string
  status: string
  attempts: number
  reason?: string
  errcode?: number
  deliveredAt?: string
  history: { status: string; reason?: string; errcode?: number; detail?: string }[]
}

/** One item of GET /v1/users/:id/consents */
export interface ConsentView {
  template: string
  kind: string
  credits: number
  reported: number
  confirmed: number
  used: number
  status: string
  source: string
}
