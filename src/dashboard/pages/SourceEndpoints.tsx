import { EndpointList } from './EndpointList';

/** Where a source forwards verified events: the same endpoint shape as an application's. */
export function SourceEndpoints({ path }: { path: string }) {
  return (
    <EndpointList
      base={`${path}/endpoint`}
      head={(create) => (
        <div class="toolbar">
          <button type="button" class="primary" data-testid="source-endpoint-create" onClick={create}>
            New forwarding endpoint
          </button>
        </div>
      )}
      empty="Verified events are stored but not forwarded anywhere yet."
      eventTypes={[]}
      deleteTitle="Delete forwarding endpoint"
      deleteMessage={(ep) => `Stop forwarding to ${ep.url}?`}
    />
  );
}
