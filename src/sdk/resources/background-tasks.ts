import { path as p } from '../http.js';
import type { BackgroundTaskOut, ListOptions, ListResponse } from '../types.js';
import { q, Resource } from './resource.js';

export class BackgroundTasks extends Resource {
  list(
    options?: ListOptions & { status?: 'running' | 'finished' | 'failed'; task?: string },
  ): Promise<ListResponse<BackgroundTaskOut>> {
    return this.http.request('GET', '/api/v1/background-task', { query: q(options) });
  }
  get(taskId: string): Promise<BackgroundTaskOut> {
    return this.http.request('GET', p`/api/v1/background-task/${taskId}`);
  }
}
