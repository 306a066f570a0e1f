export interface HttpAnswer {
    statusCode: number;
    data: unknown;
}
export declare function wxLogin(): Promise<string>;
export declare function wxRequest(p: {
    url: string;
    method: 'GET' | 'POST' | 'PUT';
    data?: Record<string, unknown>;
    token?: string;
}): Promise<HttpAnswer>;
export interface SubscriptionsSetting {
    mainSwitch: boolean;
    itemSettings?: Record<string, string>;
}
export declare function wxGetSubscriptionsSetting(): Promise<SubscriptionsSetting>;
