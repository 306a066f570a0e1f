// Generated from docs/openapi.json by `npm run types -w packages/sdk`; do not edit by hand.
export interface paths {
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus 指标 / Prometheus metrics */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Prometheus text */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/apps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 列出应用及其凭据状态 / List the apps and their credentials’ state */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                appId: string;
                                /** @description ISO 8601 */
                                createdAt: string;
                                credentials: {
                                    errcode: number | null;
                                    since: string | null;
                                    status: "ok" | "invalid";
                                };
                                name: string;
                                tokenMode: "stable" | "classic";
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** 添加应用（返回首个 API 密钥，仅此一次） / Add an app (answers its first API key, once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the WeChat appid */
                        appId: string;
                        name?: string;
                        /** @description the WeChat AppSecret */
                        secret: string;
                        tokenMode?: "stable" | "classic";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            apiKey: {
                                id: string;
                                /** @description 只显示这一次 / shown once */
                                key: string;
                                prefix: string;
                                scope: "app" | "admin";
                            };
                            app: {
                                appId: string;
                                /** @description ISO 8601 */
                                createdAt: string;
                                name: string;
                                tokenMode: "stable" | "classic";
                            };
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/apps/{appId}/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 列出密钥（不含密钥本身） / List the keys (never the key itself) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the WeChat appid */
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description ISO 8601 */
                                createdAt: string;
                                id: string;
                                lastUsedAt: string | null;
                                prefix: string;
                                revokedAt: string | null;
                                scope: "app" | "admin";
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** 签发 API 密钥（仅显示一次） / Issue an API key (shown once) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the WeChat appid */
                    appId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        scope: "app" | "admin";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description 只显示这一次 / shown once */
                            key: string;
                            prefix: string;
                            scope: "app" | "admin";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/apps/{appId}/keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** 吊销密钥 / Revoke a key */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the WeChat appid */
                    appId: string;
                    keyId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {boolean} */
                            revoked: true;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/admin/apps/{appId}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 更换 AppSecret / Rotate the AppSecret */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the WeChat appid */
                    appId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the WeChat AppSecret */
                        secret: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            appId: string;
                            /** @description ISO 8601 */
                            rotatedAt: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/access-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 共用的 access_token（需 WXPUSH_EXPOSE_ACCESS_TOKEN=true） / The shared access_token (needs WXPUSH_EXPOSE_ACCESS_TOKEN=true) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description the WeChat appid */
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accessToken: string;
                            /** @description ISO 8601 */
                            expiresAt: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 查询消息推送设置（不含密钥） / The message push settings (never the secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            appId: string;
                            encodingAesKeySet: boolean;
                            format: "json" | "xml";
                            mode: "plain" | "compatible" | "secure";
                            /** @description Token 本身从不返回 / the Token itself is never answered */
                            tokenSet: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description 填入微信后台的 URL / the URL to enter in WeChat’s settings */
                            url: string;
                        };
                    };
                };
            };
        };
        /** 设置微信消息推送（Token、EncodingAESKey、模式、格式） / Configure WeChat’s message push (Token, EncodingAESKey, mode, format) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        encodingAesKey?: string;
                        format: "json" | "xml";
                        /** @default secure */
                        mode: "plain" | "compatible" | "secure";
                        token?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            appId: string;
                            encodingAesKeySet: boolean;
                            format: "json" | "xml";
                            mode: "plain" | "compatible" | "secure";
                            /** @description Token 本身从不返回 / the Token itself is never answered */
                            tokenSet: boolean;
                            /** Format: date-time */
                            updatedAt: string;
                            /** @description 填入微信后台的 URL / the URL to enter in WeChat’s settings */
                            url: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/rate-limit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 查询限速（null：不限） / The rate limit (null: none) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            burst: number | null;
                            perSecond: number | null;
                        };
                    };
                };
            };
        };
        /** 设置应用每秒发送数（所有进程共享） / Set the app’s sends per second (shared by all processes) */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        burst?: number;
                        perSecond: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            burst: number | null;
                            perSecond: number | null;
                        };
                    };
                };
            };
        };
        post?: never;
        /** 取消限速 / Remove the rate limit */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            perSecond: null;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/apps/{appId}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 查询 Webhook / The webhook */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                            url: string;
                        };
                    };
                };
            };
        };
        /** 设置状态变化的 Webhook / Set the webhook told of each status change */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        secret?: string;
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description 签名密钥，仅在由 wxpush 生成时返回这一次 / the signing secret, answered once and only when wxpush generated it */
                            secret?: string;
                            url: string;
                        };
                    };
                };
            };
        };
        post?: never;
        /** 删除 Webhook / Remove the webhook */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            deleted: true;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 小程序登录：用 wx.login 的 code 换会话 / Mini program login: exchange wx.login’s code for a session */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        appId: string;
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            expiresAt: string;
                            openid: string;
                            /** @description 会话令牌，用于小程序的请求 / session token for the mini program’s calls */
                            token: string;
                            userId: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 列出群发（新的在前） / List campaigns, newest first */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    status?: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                audience: {
                                    kind: "consented" | "tag" | "userIds" | "openids" | "upload";
                                    tag?: string;
                                };
                                /** Format: date-time */
                                completedAt?: string;
                                /** @description 每个收件人恰在其中一项 / every recipient is in exactly one of these */
                                counts: {
                                    delivered: number;
                                    failed: number;
                                    pending: number;
                                    queued: number;
                                    recipients: number;
                                    sent: number;
                                    skipped: number;
                                };
                                /** Format: date-time */
                                createdAt: string;
                                failedBy: {
                                    [key: string]: number;
                                };
                                id: string;
                                name: string;
                                ratePerSecond?: number;
                                /** Format: date-time */
                                sendAt?: string;
                                skippedBy: {
                                    [key: string]: number;
                                };
                                /** Format: date-time */
                                startedAt?: string;
                                status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                                /** @description WeChat template id */
                                template: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * 创建群发 / Create a campaign
         * @description 201：已创建；200：同一 idempotencyKey 的已有群发。/ 201: created; 200: the campaign already created under the same idempotencyKey.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        audience: {
                            /** @enum {boolean} */
                            consented: true;
                        } | {
                            tag: string;
                        } | {
                            userIds: string[];
                        } | {
                            openids: string[];
                        } | {
                            /** @enum {boolean} */
                            upload: true;
                        };
                        data: {
                            [key: string]: string | number | {
                                value: string | number;
                            };
                        };
                        fit?: boolean;
                        idempotencyKey?: string;
                        lang?: "zh_CN" | "en_US" | "zh_HK" | "zh_TW";
                        miniprogramState?: "developer" | "trial" | "formal";
                        name: string;
                        page?: string;
                        ratePerSecond?: number;
                        /** Format: date-time */
                        sendAt?: string;
                        /** @description alias or WeChat template id */
                        template: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 查询群发及其进度 / A campaign and its progress */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            audience: {
                                kind: "consented" | "tag" | "userIds" | "openids" | "upload";
                                tag?: string;
                            };
                            /** Format: date-time */
                            completedAt?: string;
                            /** @description 每个收件人恰在其中一项 / every recipient is in exactly one of these */
                            counts: {
                                delivered: number;
                                failed: number;
                                pending: number;
                                queued: number;
                                recipients: number;
                                sent: number;
                                skipped: number;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            failedBy: {
                                [key: string]: number;
                            };
                            id: string;
                            name: string;
                            ratePerSecond?: number;
                            /** Format: date-time */
                            sendAt?: string;
                            skippedBy: {
                                [key: string]: number;
                            };
                            /** Format: date-time */
                            startedAt?: string;
                            status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                            /** @description WeChat template id */
                            template: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 取消群发 / Cancel a campaign */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            audience: {
                                kind: "consented" | "tag" | "userIds" | "openids" | "upload";
                                tag?: string;
                            };
                            /** Format: date-time */
                            completedAt?: string;
                            /** @description 每个收件人恰在其中一项 / every recipient is in exactly one of these */
                            counts: {
                                delivered: number;
                                failed: number;
                                pending: number;
                                queued: number;
                                recipients: number;
                                sent: number;
                                skipped: number;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            failedBy: {
                                [key: string]: number;
                            };
                            id: string;
                            name: string;
                            ratePerSecond?: number;
                            /** Format: date-time */
                            sendAt?: string;
                            skippedBy: {
                                [key: string]: number;
                            };
                            /** Format: date-time */
                            startedAt?: string;
                            status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                            /** @description WeChat template id */
                            template: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 暂停群发 / Pause a campaign */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            audience: {
                                kind: "consented" | "tag" | "userIds" | "openids" | "upload";
                                tag?: string;
                            };
                            /** Format: date-time */
                            completedAt?: string;
                            /** @description 每个收件人恰在其中一项 / every recipient is in exactly one of these */
                            counts: {
                                delivered: number;
                                failed: number;
                                pending: number;
                                queued: number;
                                recipients: number;
                                sent: number;
                                skipped: number;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            failedBy: {
                                [key: string]: number;
                            };
                            id: string;
                            name: string;
                            ratePerSecond?: number;
                            /** Format: date-time */
                            sendAt?: string;
                            skippedBy: {
                                [key: string]: number;
                            };
                            /** Format: date-time */
                            startedAt?: string;
                            status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                            /** @description WeChat template id */
                            template: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}/recipients": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 上传收件人（NDJSON 或 CSV，流式读取） / Upload recipients (NDJSON or CSV, streamed) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            accepted: number;
                            /** @description 前若干条被拒的行 / the first refused lines */
                            rejected: {
                                error: {
                                    code: string;
                                    details: {
                                        [key: string]: unknown;
                                    };
                                    message: string;
                                };
                                line: number;
                            }[];
                            rejectedCount: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 继续群发 / Resume a campaign */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            audience: {
                                kind: "consented" | "tag" | "userIds" | "openids" | "upload";
                                tag?: string;
                            };
                            /** Format: date-time */
                            completedAt?: string;
                            /** @description 每个收件人恰在其中一项 / every recipient is in exactly one of these */
                            counts: {
                                delivered: number;
                                failed: number;
                                pending: number;
                                queued: number;
                                recipients: number;
                                sent: number;
                                skipped: number;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            failedBy: {
                                [key: string]: number;
                            };
                            id: string;
                            name: string;
                            ratePerSecond?: number;
                            /** Format: date-time */
                            sendAt?: string;
                            skippedBy: {
                                [key: string]: number;
                            };
                            /** Format: date-time */
                            startedAt?: string;
                            status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                            /** @description WeChat template id */
                            template: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/campaigns/{id}/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 开始群发 / Start a campaign */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            audience: {
                                kind: "consented" | "tag" | "userIds" | "openids" | "upload";
                                tag?: string;
                            };
                            /** Format: date-time */
                            completedAt?: string;
                            /** @description 每个收件人恰在其中一项 / every recipient is in exactly one of these */
                            counts: {
                                delivered: number;
                                failed: number;
                                pending: number;
                                queued: number;
                                recipients: number;
                                sent: number;
                                skipped: number;
                            };
                            /** Format: date-time */
                            createdAt: string;
                            failedBy: {
                                [key: string]: number;
                            };
                            id: string;
                            name: string;
                            ratePerSecond?: number;
                            /** Format: date-time */
                            sendAt?: string;
                            skippedBy: {
                                [key: string]: number;
                            };
                            /** Format: date-time */
                            startedAt?: string;
                            status: "draft" | "scheduled" | "running" | "paused" | "completed" | "cancelled";
                            /** @description WeChat template id */
                            template: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 上报 wx.requestSubscribeMessage 的结果 / Report what wx.requestSubscribeMessage answered */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        fail?: {
                            errCode: number;
                            errMsg?: string;
                            templates: string[];
                        };
                        results?: {
                            errMsg?: string;
                        } & {
                            [key: string]: "accept" | "acceptWithAudio" | "acceptWithAlert" | "acceptWithForcePush" | "reject" | "ban" | "filter";
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            consents: {
                                credits: number;
                                status: string;
                                template: string;
                                unconfirmedUntil: string | null;
                            }[];
                            mainSwitch: boolean;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 健康检查（含数据库） / Health, database included */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description 微信拒绝了 AppSecret、需更换密钥的应用 / apps whose AppSecret WeChat refused (rotate it) */
                            credentialsInvalid: {
                                appId: string;
                                errcode: number | null;
                                since: string | null;
                            }[];
                            db: "postgres" | "pglite";
                            /** @enum {string} */
                            status: "ok";
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** 上报 wx.getSetting 的订阅设置 / Report the subscription settings wx.getSetting showed */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        itemSettings?: {
                            [key: string]: "accept" | "reject" | "ban" | "acceptWithAudio" | "acceptWithAlert" | "acceptWithForcePush";
                        };
                        mainSwitch: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description 本应用没有的模板 / templates the app does not have */
                            ignored: string[];
                            itemSettings: {
                                [key: string]: string;
                            };
                            mainSwitch: boolean;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 本应用的模板及当前用户的剩余次数 / The app’s templates with this user’s credits */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alias: string | null;
                            always?: string;
                            /** @description 一次性：剩余次数；长期：1 开 0 关 / one-time: sends left; long-term: 1 on, 0 off */
                            credits: number;
                            id: string;
                            kind: "one_time" | "long_term";
                            /** @enum {boolean} */
                            mainSwitch?: false;
                            status: string;
                            title: string;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 列出消息（新的在前） / List messages, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description a campaign id */
                    campaign?: string;
                    cursor?: string;
                    limit?: number;
                    status?: "scheduled" | "queued" | "sending" | "sent" | "delivered" | "failed" | "cancelled";
                    template?: string;
                    userId?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                attempts: number;
                                campaign?: string;
                                /** Format: date-time */
                                createdAt: string;
                                data: {
                                    [key: string]: string;
                                };
                                /** Format: date-time */
                                deliveredAt?: string;
                                /** @description 微信的 errcode / WeChat’s errcode */
                                errcode?: number;
                                id: string;
                                page?: string;
                                /** @description 失败或取消的原因 / why it failed or was cancelled */
                                reason?: string;
                                /** Format: date-time */
                                runAt: string;
                                /** Format: date-time */
                                sentAt?: string;
                                status: "scheduled" | "queued" | "sending" | "sent" | "delivered" | "failed" | "cancelled";
                                /** @description WeChat template id */
                                template: string;
                                to: {
                                    openid: string;
                                    userId: string | null;
                                };
                                wechatMsgid?: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        /**
         * 发送一条订阅消息（先入队，再由调度器发出） / Send one subscription message (queued, then sent by the dispatcher)
         * @description 202：新消息已入队；200：同一 idempotencyKey 的已有消息。/ 202: queued; 200: the message already accepted under the same idempotencyKey.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        data: {
                            [key: string]: string | number | {
                                value: string | number;
                            };
                        };
                        fit?: boolean;
                        idempotencyKey?: string;
                        lang?: "zh_CN" | "en_US" | "zh_HK" | "zh_TW";
                        miniprogramState?: "developer" | "trial" | "formal";
                        page?: string;
                        /** Format: date-time */
                        sendAt?: string;
                        /** @description alias or WeChat template id */
                        template: string;
                        to: {
                            openid: string;
                        } | {
                            userId: string;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description fit: true 时对内容的改动 / what fit: true changed */
                            changes?: {
                                from: string;
                                key: string;
                                to: string;
                                /** @description 改动原因 / why the value was changed */
                                why: string;
                            }[];
                            /** @description 同一 idempotencyKey 的已有消息 / the message already accepted under this idempotencyKey */
                            duplicate: boolean;
                            id: string;
                            status: "scheduled" | "queued" | "sending" | "sent" | "delivered" | "failed" | "cancelled";
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description fit: true 时对内容的改动 / what fit: true changed */
                            changes?: {
                                from: string;
                                key: string;
                                to: string;
                                /** @description 改动原因 / why the value was changed */
                                why: string;
                            }[];
                            /** @description 同一 idempotencyKey 的已有消息 / the message already accepted under this idempotencyKey */
                            duplicate: boolean;
                            id: string;
                            status: "scheduled" | "queued" | "sending" | "sent" | "delivered" | "failed" | "cancelled";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 查询一条消息及其历史 / One message with its history */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempts: number;
                            campaign?: string;
                            /** Format: date-time */
                            createdAt: string;
                            data: {
                                [key: string]: string;
                            };
                            /** Format: date-time */
                            deliveredAt?: string;
                            /** @description 微信的 errcode / WeChat’s errcode */
                            errcode?: number;
                            history: {
                                /** Format: date-time */
                                at: string;
                                detail?: string;
                                errcode?: number;
                                reason?: string;
                                status: "scheduled" | "queued" | "sending" | "sent" | "delivered" | "failed" | "cancelled";
                            }[];
                            id: string;
                            page?: string;
                            /** @description 失败或取消的原因 / why it failed or was cancelled */
                            reason?: string;
                            /** Format: date-time */
                            runAt: string;
                            /** Format: date-time */
                            sentAt?: string;
                            status: "scheduled" | "queued" | "sending" | "sent" | "delivered" | "failed" | "cancelled";
                            /** @description WeChat template id */
                            template: string;
                            to: {
                                openid: string;
                                userId: string | null;
                            };
                            wechatMsgid?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 取消尚未发出的消息 / Cancel a message not sent yet */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @enum {string} */
                            status: "cancelled";
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/messages/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 批量发送（1–1000 条，逐条答复） / Send a batch (1–1 000 messages, one result each) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        messages: unknown[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description 与请求同序 / in the order of the request */
                            results: {
                                /** @enum {boolean} */
                                duplicate?: true;
                                error?: {
                                    code: string;
                                    details: {
                                        [key: string]: unknown;
                                    };
                                    message: string;
                                };
                                id?: string;
                                index: number;
                                status?: "scheduled" | "queued" | "sending" | "sent" | "delivered" | "failed" | "cancelled";
                            }[];
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 本应用的模板（已同步） / The app’s templates (as last synced) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                alias: string | null;
                                example: string;
                                /** @description WeChat template id (priTmplId) */
                                id: string;
                                keywords: {
                                    enumValues?: string[];
                                    /** @description e.g. thing1 */
                                    key: string;
                                    name: string;
                                    /** @description thing, number, date, … */
                                    type: string;
                                }[];
                                kind: "one_time" | "long_term";
                                /** Format: date-time */
                                syncedAt: string;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        /** 从公共模板库添加模板 / Add a template from WeChat’s public library */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        alias?: string;
                        kidList: number[];
                        sceneDesc?: string;
                        tid: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alias: string | null;
                            example: string;
                            /** @description WeChat template id (priTmplId) */
                            id: string;
                            keywords: {
                                enumValues?: string[];
                                /** @description e.g. thing1 */
                                key: string;
                                name: string;
                                /** @description thing, number, date, … */
                                type: string;
                            }[];
                            kind: "one_time" | "long_term";
                            /** Format: date-time */
                            syncedAt: string;
                            title: string;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** 删除模板（微信与本地） / Delete a template (at WeChat and here) */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alias: string | null;
                            /** @enum {boolean} */
                            deleted: true;
                            id: string;
                        };
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/{id}/alias": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** 设置或清除模板别名 / Set or clear a template’s alias */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        alias: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alias: string | null;
                            id: string;
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/library": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 公共模板库的标题 / Titles in WeChat’s public library */
        get: {
            parameters: {
                query: {
                    /** @description category ids, comma-joined */
                    ids?: string;
                    keyword?: string;
                    limit: number;
                    start: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            count: number;
                            items: {
                                categoryId: string;
                                kind: "one_time" | "long_term";
                                tid: number;
                                title: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/library/{tid}/keywords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 公共模板的关键词 / A public template’s keywords */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    tid: number;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            count: number;
                            items: {
                                example: string;
                                kid: number;
                                name: string;
                                type: string;
                            }[];
                            tid: number;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/library/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 本应用的类目 / The app’s categories */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                id: number;
                                name: string;
                            }[];
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/templates/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** 从微信同步模板 / Pull the app’s templates from WeChat */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            removed: number;
                            synced: number;
                        };
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 按 openid 查用户，或按标签列出用户 / Find a user by openid, or list the users with a tag */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    limit?: number;
                    openid?: string;
                    tag?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description ?openid= 答复一个用户；?tag= 答复一页带该标签的用户 / ?openid= answers one user; ?tag= a page of the users with that tag */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lastLoginAt: string | null;
                            openid: string;
                            unionid?: string;
                        } | {
                            items: {
                                /** Format: date-time */
                                createdAt: string;
                                id: string;
                                lastLoginAt: string | null;
                                openid: string;
                                tags: string[];
                                unionid?: string;
                            }[];
                            nextCursor: string | null;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 查询一个用户 / One user */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** Format: date-time */
                            createdAt: string;
                            id: string;
                            lastLoginAt: string | null;
                            openid: string;
                            /** @description 小程序最近一次上报的 wx.getSetting 结果；null：从未上报 / what wx.getSetting last showed; null: never reported */
                            subscriptions: {
                                itemSettings: {
                                    [key: string]: string;
                                };
                                mainSwitch: boolean;
                                /** Format: date-time */
                                updatedAt: string;
                            } | null;
                            unionid?: string;
                        };
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/consents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 用户对各模板的授权与剩余次数 / The user’s consents and credits per template */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            alias?: string;
                            always: string | null;
                            confirmed: number;
                            /** @description 剩余可发次数 / sends left */
                            credits: number;
                            kind: "one_time" | "long_term";
                            reported: number;
                            source: string;
                            status: string;
                            switchedOff: string | null;
                            template: string;
                            title?: string;
                            unconfirmedUntil: string | null;
                            /** Format: date-time */
                            updatedAt: string;
                            used: number;
                        }[];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/users/{id}/tags": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** 增删用户的标签 / Add and remove a user’s tags */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        add?: string[];
                        remove?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            tags: string[];
                        };
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/wechat/callback/{appId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** 微信验证推送地址（签名正确时原样返回 echostr） / WeChat checks the push URL (echostr is answered when the signature holds) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description echostr */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        put?: never;
        /** 微信推送的事件（签名校验，安全模式下解密） / An event pushed by WeChat (signature checked, decrypted in secure mode) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    appId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                "4XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description Default Response */
                "5XX": {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** ErrorBody */
        ErrorBody: {
            error: {
                /** @description 错误码，见 docs/errors.md / error code, see docs/errors.md */
                code: "admin.api_key_not_found" | "admin.disabled" | "admin.key_invalid" | "admin.key_missing" | "apps.exists" | "apps.not_found" | "auth.api_key_invalid" | "auth.api_key_missing" | "auth.code_invalid" | "auth.code_used" | "auth.forbidden" | "auth.session_invalid" | "auth.session_missing" | "auth.too_frequent" | "auth.user_blocked" | "auth.wechat_failed" | "auth.wechat_timeout" | "auth.wechat_unavailable" | "callbacks.appid_mismatch" | "callbacks.body_invalid" | "callbacks.config_invalid" | "callbacks.decrypt_failed" | "callbacks.mode_mismatch" | "callbacks.nonce_reused" | "callbacks.not_configured" | "callbacks.signature_invalid" | "callbacks.timestamp_skew" | "campaigns.audience_empty" | "campaigns.line_invalid" | "campaigns.not_found" | "campaigns.not_uploadable" | "campaigns.state_conflict" | "campaigns.tag_unknown" | "campaigns.upload_columns_invalid" | "campaigns.upload_content_type" | "campaigns.upload_malformed" | "campaigns.upload_not_utf8" | "campaigns.upload_too_many_lines" | "consents.report_empty" | "consents.template_unknown" | "consents.too_many_templates" | "messages.content_invalid" | "messages.no_credit" | "messages.not_cancellable" | "messages.not_found" | "messages.not_subscribed" | "messages.recipient_unknown" | "messages.send_at_invalid" | "messages.user_switched_off" | "request.invalid" | "request.not_found" | "request.text_invalid" | "request.value_invalid" | "secrets.unreadable" | "server.database_unavailable" | "server.internal" | "server.stopping" | "templates.alias_taken" | "templates.not_found" | "templates.sync_failed" | "templates.wechat_failed" | "templates.wechat_refused" | "tokens.access_token_disabled" | "tokens.credentials_invalid" | "tokens.unavailable" | "users.not_found" | "users.query_missing" | "users.tag_invalid" | "webhooks.not_set" | "webhooks.url_invalid" | "webhooks.url_refused";
                /** @description 出错的字段与规则等 / the fields and rules at fault */
                details: {
                    [key: string]: unknown;
                };
                /** @description 说明，默认中文；Accept-Language: en 时为英文 / explanation, zh-CN unless Accept-Language: en */
                message: string;
            };
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
