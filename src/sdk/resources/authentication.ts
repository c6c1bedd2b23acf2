import { path as p } from '../http.js';
import type { Json } from '../types.js';
import { Resource } from './resource.js';

export class Authentication extends Resource {
  appPortalAccess(appId: string, body: Json = {}): Promise<Json & { url: string; token: string }> {
    return this.http.request('POST', p`/api/v1/auth/app-portal-access/${appId}`, { body });
  }
  /** Revokes every portal token of an application. */
  expireAll(appId: string, body: Json = {}): Promise<void> {
    return this.http.request('POST', p`/api/v1/auth/app/${appId}/expire-all`, { body });
  }
  /** Revokes the calling key. */
  logout(): Promise<void> {
    return this.http.request('POST', '/api/v1/auth/logout');
  }
  whoami(): Promise<Json> {
    return this.http.request('GET', '/api/v1/auth/whoami');
  }
}
