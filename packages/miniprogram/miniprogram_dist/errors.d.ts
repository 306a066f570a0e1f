export declare class WxpushError extends Error {
    readonly code: string;
    readonly status: number | undefined;
    readonly details: Record<string, unknown> | undefined;
    readonly zh: string;
    readonly en: string;
    constructor(p: {
        code: string;
        zh: string;
        en: string;
        status?: number;
        details?: Record<string, unknown>;
    });
}
/** wx.requestSubscribeMessage was not called from a tap: WeChat shows no popup outside one. */
export declare function notInTap(errMsg: string): WxpushError;
export declare function unknownTemplate(template: string): WxpushError;
export declare function wxCallFailed(api: string, errMsg: string, errCode?: number): WxpushError;
