import { EndpointList } from './EndpointList';

/** A source's ingest endpoints, where it forwards verified events: the same endpoint shape as an application's. */
export function IngestEndpoints({ path }: { path: string }) {
  return (
    <EndpointList
      base={`${path}/endpoint`}
      head={(create) => (
        <div class="toolbar">
          <button type="button" class="primary" data-testid="ingest-endpoint-create" onClick={create}>
            New ingest endpoint
          </button>
        </div>
      )}
      empty="Verified events are stored but not forwarded anywhere yet."
      eventTypes={[]}
      deleteTitle="Delete ingest endpoint"
      deleteMessage={(ep) => `Stop forwarding to ${ep.url}?`}
    />
  );
}
