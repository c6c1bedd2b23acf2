import { useCtx } from '../context';
import { useAsync } from '../hooks';
import { appApi, endpointPath, endpointsPath } from '../links';
import { href } from '../router';
import type { App, Endpoint } from '../types';

/**
 * The overview of a server that has delivered nothing yet: the four steps to
 * a first delivery, each linking where it is done, the next one marked. It
 * reads the first application of yours (never one of Hookway's internal
 * ones) and its first endpoint.
 */
export function FirstSteps({ delivered }: { delivered: boolean }) {
  const { api, session } = useCtx();
  const state = useAsync(async () => {
    const apps = await api.list<App>('/api/v1/app', { limit: 1, exclude_internal: true });
    const app = apps.data[0] ?? null;
    const endpoint = app
      ? ((await api.list<Endpoint>(`${appApi(app.id)}/endpoint`, { limit: 1 })).data[0] ?? null)
      : null;
    return { app, endpoint };
  }, []);
  const app = state.data?.app ?? null;
  const endpoint = state.data?.endpoint ?? null;
  if (!state.data || (delivered && app && endpoint)) return null;

  const steps = [
    {
      done: app !== null,
      text: 'Create an application: one of your customers, or one of your services.',
      link: href('/apps'),
      label: 'Applications',
    },
    {
      done: endpoint !== null,
      text: 'Add an endpoint to it: the URL its webhooks are delivered to.',
      link: app ? href(endpointsPath(session, app.id)) : null,
      label: app ? `Endpoints of ${app.name}` : null,
    },
    {
      done: delivered,
      text: 'Send a test event from the endpoint’s page (Send test).',
      link: app && endpoint ? href(endpointPath(session, app.id, endpoint.id)) : null,
      label: 'Open the endpoint',
    },
    {
      done: false,
      text: 'See it arrive: every delivery attempt, with its response or its error.',
      link: app && endpoint ? href('/messages', { app: app.id, tab: 'attempts', endpoint: endpoint.id }) : null,
      label: 'Attempts',
    },
  ];
  const next = steps.findIndex((s) => !s.done);
  return (
    <div class="card" data-testid="first-steps">
      <h2>First steps</h2>
      <p class="muted">Nothing has been delivered yet. Four steps to a first webhook:</p>
      <ol class="steps">
        {steps.map((s, i) => (
          <li
            key={s.text}
            class={s.done ? 'done' : i === next ? 'next' : undefined}
            data-testid="first-step"
            data-state={s.done ? 'done' : i === next ? 'next' : 'todo'}
          >
            {s.text}{' '}
            {s.link && !s.done && (
              <a href={s.link} data-testid={`first-step-${i + 1}`}>
                {s.label}
              </a>
            )}
          </li>
        ))}
      </ol>
    </div>
  );
}
