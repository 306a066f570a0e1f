/** What one template came back as: WeChat's answer, or the failure of the call that asked for it. */
export type SubscribeAnswer = 'accept' | 'acceptWithAudio' | 'acceptWithAlert' | 'acceptWithForcePush' | 'reject' | 'ban' | 'filter';
export interface CallOutcome {
    tmplIds: string[];
    /** The call succeeded: the answer per template id. */
    answers?: Record<string, SubscribeAnswer>;
    /** The call failed: WeChat's errCode (absent for the TAP error, whose code WeChat does not document). */
    fail?: {
        errCode?: number;
        errMsg: string;
    };
}
/** Splits ids into calls of at most `perCall`, never mixing kinds. */
export declare function splitCalls(ids: {
    id: string;
    kind: 'one_time' | 'long_term';
}[], perCall: number): string[][];
/**
 * Runs the calls one after another: the first right now (synchronously, inside the caller's tap),
 * each next one from the previous one's `complete` callback. `onCall` hears each outcome as it
 * comes; the promise resolves with all of them.
 */
export declare function requestInTap(calls: string[][], onCall: (o: CallOutcome) => void): Promise<CallOutcome[]>;
/** WeChat's text for a call made outside a tap (its errCode is not documented). */
export declare function isTapError(errMsg: string): boolean;
