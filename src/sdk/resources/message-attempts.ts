import { path as p } from '../http.js';
import type {
  AttemptedDestinationOut,
  AttemptListOptions,
  AttemptOut,
  ListOptions,
  ListResponse,
  MessageListOptions,
  MessageOut,
} from '../types.js';
import { q, Resource } from './resource.js';

export class MessageAttempts extends Resource {
  listByEndpoint(appId: string, endpointId: string, options?: AttemptListOptions): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/attempt/endpoint/${endpointId}`, { query: q(options) });
  }
  listByMsg(appId: string, msgId: string, options?: AttemptListOptions): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/attempt/msg/${msgId}`, { query: q(options) });
  }
  get(appId: string, msgId: string, attemptId: string): Promise<AttemptOut> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg/${msgId}/attempt/${attemptId}`);
  }
  /** Hookway: the delivery log of every endpoint of an application, newest first. */
  listByApp(appId: string, options?: AttemptListOptions): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/attempt`, { query: q(options) });
  }
  /** Hookway (admin): the delivery log of every application; `app_id` narrows it to one. */
  listAll(options?: AttemptListOptions & { app_id?: string }): Promise<ListResponse<AttemptOut>> {
    return this.http.request('GET', '/api/v1/attempt', { query: q(options) });
  }
  /** The messages sent to one endpoint, each with its delivery's `status` and `nextAttempt`. */
  listAttemptedMessages(
    appId: string,
    endpointId: string,
    options?: MessageListOptions & { status?: number },
  ): Promise<ListResponse<MessageOut & { status: number; statusText: string; nextAttempt: string | null }>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/endpoint/${endpointId}/msg`, { query: q(options) });
  }
  listAttemptedDestinations(
    appId: string,
    msgId: string,
    options?: ListOptions,
  ): Promise<ListResponse<AttemptedDestinationOut>> {
    return this.http.request('GET', p`/api/v1/app/${appId}/msg/${msgId}/endpoint`, { query: q(options) });
  }
  resend(appId: string, msgId: string, endpointId: string): Promise<void> {
    return this.http.request('POST', p`/api/v1/app/${appId}/msg/${msgId}/endpoint/${endpointId}/resend`);
  }
}
