import { type SubscribeAnswer } from './subscribe';
export { WxpushError } from './errors';
export type { SubscribeAnswer } from './subscribe';
export interface WxpushOptions {
    /** Your wxpush, e.g. `https://push.example.com` (add it to the app's request domains). */
    baseUrl: string;
    /** The mini program's AppID. */
    appId: string;
    /** Template ids per wx.requestSubscribeMessage call: 3 works on every base library (5 since 3.12.1). */
    idsPerCall?: number;
}
export interface TemplateInfo {
    alias: string | null;
    id: string;
    kind: 'one_time' | 'long_term';
    title: string;
    /** One-time: sends left. Long-term: 1 while subscribed, else 0. */
    credits: number;
    status: string;
    always?: string;
    mainSwitch?: boolean;
}
export interface SubscribeResult {
    /** The name you passed (alias or id). */
    template: string;
    id: string;
    /** WeChat's answer, or `fail` when the call failed (then errCode says why: 20004, 10005, …). */
    result: SubscribeAnswer | 'fail';
    errCode?: number;
    errMsg?: string;
}
export interface Wxpush {
    login(): Promise<{
        userId: string;
        expiresAt: string;
    }>;
    subscribe(templates: string | string[]): Promise<{
        results: SubscribeResult[];
        credits: Record<string, number>;
    }>;
    syncSettings(): Promise<{
        mainSwitch: boolean;
        itemSettings: Record<string, string>;
    }>;
    needsConsent(template: string): Promise<boolean>;
    credits(): Promise<Record<string, number>>;
    /** The app's templates as last loaded (login() and credits() load them). */
    templates(): TemplateInfo[];
}
export declare function createWxpush(options: WxpushOptions): Wxpush;
