// The part of co-wechat-api (no types of its own) that bench/dispatch-throughput.ts uses.
declare module 'co-wechat-api' {
  export default class API {
    constructor(appid: string, appsecret: string)
    /** Base of every cgi-bin URL; the bench points it at the simulator. */
    prefix: string
    ensureAccessToken(): Promise<unknown>
    sendSubscribeMessage(openid: string, templateId: string, page: string, data: unknown): Promise<unknown>
  }
}
