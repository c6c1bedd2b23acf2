import { seg } from '../api';
import { Badge } from '../components/Badges';
import { CopyButton } from '../components/CopyButton';
import { Stat } from '../components/Stat';
import { Section } from '../components/States';
import { Tabs } from '../components/Tabs';
import { useCtx } from '../context';
import { absoluteUrl, count } from '../format';
import { useAsync } from '../hooks';
import { href, type Route, setQuery } from '../router';
import type { Source, SourceStats } from '../types';
import { InboundEvents } from './InboundEvents';
import { IngestEndpoints } from './IngestEndpoints';
import { RejectedList } from './RejectedList';

const TABS = [
  { id: 'events', label: 'Events' },
  { id: 'rejected', label: 'Rejected' },
  { id: 'endpoints', label: 'Ingest endpoints' },
];

/** One inbound source: where to point the provider, what arrived, what was refused, where it goes. */
export function SourceDetail({ sourceId, route }: { sourceId: string; route: Route }) {
  const { api } = useCtx();
  const path = `/ingest/api/v1/source/${seg(sourceId)}`;
  const source = useAsync(() => api.get<Source>(path), [path]);
  const stats = useAsync(() => api.get<SourceStats>(`${path}/stats`), [path]);
  const tab = TABS.some((t) => t.id === route.query.get('tab')) ? route.query.get('tab')! : 'events';

  return (
    <section>
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={href('/sources')}>Inbound sources</a> / <span>{source.data?.name ?? sourceId}</span>
      </nav>
      <Section {...source} empty="This source does not exist.">
        {(s) => (
          <>
            <div class="page-head">
              <h1>
                {s.name} <Badge text={s.hookwayType ?? s.type} />
              </h1>
            </div>
            <div class="card">
              <h2>Ingest URL</h2>
              <p class="muted">Give this URL to the provider as its webhook address.</p>
              <div class="secret">
                <code data-testid="source-ingest-url">{absoluteUrl(s.ingestUrl)}</code>
                <CopyButton text={absoluteUrl(s.ingestUrl)} testid="ingest-copy" />
              </div>
            </div>
          </>
        )}
      </Section>
      <Section {...stats} empty="No statistics for this source.">
        {(st) => (
          <div class="stats" data-testid="source-stats">
            <Stat label="Events" value={count(st.total_events)} />
            <Stat label="Last 24 h" value={count(st.recent_events_24h)} />
            {Object.entries(st.events_by_status ?? {}).map(([k, v]) => (
              <Stat key={k} label={k} value={count(v)} />
            ))}
          </div>
        )}
      </Section>
      {stats.data && Object.keys(stats.data.events_by_type ?? {}).length > 0 && (
        <p class="badges">
          <span class="muted">By type:</span>
          {Object.entries(stats.data.events_by_type).map(([k, v]) => (
            <Badge key={k} text={`${k}: ${v}`} />
          ))}
        </p>
      )}
      <Tabs tabs={TABS} current={tab} onSelect={(id) => setQuery(route, { tab: id })} />
      {tab === 'events' && <InboundEvents path={path} route={route} onChanged={stats.reload} />}
      {tab === 'rejected' && <RejectedList path={path} />}
      {tab === 'endpoints' && <IngestEndpoints path={path} />}
    </section>
  );
}
