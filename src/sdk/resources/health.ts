import { Resource } from './resource.js';

export class Health extends Resource {
  get(): Promise<void> {
    return this.http.request('GET', '/api/v1/health');
  }
}
