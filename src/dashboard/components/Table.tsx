import type { ComponentChildren } from 'preact';
import type { Pager as PagerState } from '../hooks';
import { Pager } from './Pager';
import { Section } from './States';

interface TableProps {
  /** The header cells; each row's cells carry the same names as `data-label` (a phone shows rows as cards). */
  columns: string[];
  /** Adds a last, visually hidden "Actions" column for the rows' buttons. */
  actions?: boolean;
  children: ComponentChildren;
}

export function Table({ columns, actions = false, children }: TableProps) {
  return (
    <table class="table">
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c}>{c}</th>
          ))}
          {actions && (
            <th>
              <span class="sr-only">Actions</span>
            </th>
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** One page of a list as a table, with its loading, error and empty states and the pager below. */
export function PagedTable<T>({
  pager,
  empty,
  row,
  ...table
}: Omit<TableProps, 'children'> & {
  pager: PagerState<T>;
  empty: ComponentChildren;
  row: (item: T) => ComponentChildren;
}) {
  return (
    <>
      <Section {...pager} empty={empty} isEmpty={(p) => p.data.length === 0}>
        {(page) => <Table {...table}>{page.data.map(row)}</Table>}
      </Section>
      <Pager {...pager} />
    </>
  );
}
