import { Resource } from './resource.js';

export class Metrics extends Resource {
  /** Prometheus text exposition. */
  async get(): Promise<string> {
    const res = await this.http.raw('GET', '/metrics', { headers: { accept: 'text/plain' } });
    return res.text();
  }
}
