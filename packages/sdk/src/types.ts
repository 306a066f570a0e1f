// Request and answer types of each operation, read out of the generated OpenAPI types (openapi.ts).
import type { paths } from './openapi.ts'

type Operation<P extends keyof paths, M extends string> = M extends keyof paths[P] ? paths[P][M] : never
type JsonOf<R> = R extends { content: { 'application/json': infer J } } ? J : never
type SuccessOf<O> = O extends { responses: infer R } ? JsonOf<R[Extract<keyof R, 200 | 201 | 202>]> : never

/** The JSON body an operation takes. */
export type BodyOf<P extends keyof paths, M extends string> =
  Operation<P, M> extends { requestBody?: { content: { 'application/json': infer B } } } ? B : never
/** The query string an operation takes. */
export type QueryOf<P extends keyof paths, M extends string> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never
/** What an operation answers on success. */
export type AnswerOf<P extends keyof paths, M extends string> = SuccessOf<Operation<P, M>>

export type SendMessage = BodyOf<'/v1/messages', 'post'>
export type Enqueued = AnswerOf<'/v1/messages', 'post'>
export type Message = AnswerOf<'/v1/messages/{id}', 'get'>
export type MessageQuery = QueryOf<'/v1/messages', 'get'>
export type MessagePage = AnswerOf<'/v1/messages', 'get'>
export type BatchResults = AnswerOf<'/v1/messages/batch', 'post'>
export type User = AnswerOf<'/v1/users/{id}', 'get'>
export type UserQuery = QueryOf<'/v1/users', 'get'>
export type FoundUsers = AnswerOf<'/v1/users', 'get'>
export type TagChange = BodyOf<'/v1/users/{id}/tags', 'put'>
export type UserTags = AnswerOf<'/v1/users/{id}/tags', 'put'>
export type UserConsents = AnswerOf<'/v1/users/{id}/consents', 'get'>
export type TemplateList = AnswerOf<'/v1/templates', 'get'>
export type SyncResult = AnswerOf<'/v1/templates/sync', 'post'>
export type CreateCampaign = BodyOf<'/v1/campaigns', 'post'>
export type CreatedCampaign = AnswerOf<'/v1/campaigns', 'post'>
export type Campaign = AnswerOf<'/v1/campaigns/{id}', 'get'>
export type CampaignQuery = QueryOf<'/v1/campaigns', 'get'>
export type CampaignPage = AnswerOf<'/v1/campaigns', 'get'>
export type UploadResult = AnswerOf<'/v1/campaigns/{id}/recipients', 'post'>
