import { path as p } from '../http.js';
import type { ListResponse, MessageIn, MessageListOptions, MessageOut } from '../types.js';
import { type PostOptions, q, Resource } from './resource.js';

export class Messages extends Resource {
  list(appId: string, options?: MessageListOptions): Promise<ListResponse<MessageOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg`, { query: q(options) });
  }
  create(appId: string, body: MessageIn, options: PostOptions & { withContent?: boolean } = {}): Promise<MessageOut> {
    return this.http.request('POST', p`/api/v1/app/${appId}/msg`, {
      body,
      query: { with_content: options.withContent },
      idempotencyKey: options.idempotencyKey,
    });
  }
  get(appId: string, msgId: string, options: { with_content?: boolean } = {}): Promise<MessageOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg/${msgId}`, { query: q(options) });
  }
  /** Deletes the payload of a message (the message and its attempts stay). */
  expungeContent(appId: string, msgId: string): Promise<void> {
    return this.http.request('DELETE', p`/api/v1/app/${appId}/msg/${msgId}/content`);
  }
}
