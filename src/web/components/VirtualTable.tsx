/**
 * A list of any length, paged on the server: only the rows in view are rendered (TanStack Virtual)
 * and only the pages in view are fetched (TanStack Query, 100 rows a page); columns are TanStack
 * Table definitions. Keyboard: ↑/↓, PageUp/PageDown, Home/End move; Enter opens.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { keepPreviousData, useQueries, useQuery } from '@tanstack/react-query';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Box, Paper, UnstyledButton } from '@mantine/core';
import type { Page } from '../api.ts';
import { Empty, ErrorState } from './ui.tsx';

/** `sort`: the API's sort key of the column (its header becomes a button; a first click sorts amounts from high to low, texts from A). */
export type VColumn<T> = { id: string; header: string; width: string; align?: 'left' | 'right'; cell: (row: T) => ReactNode; sort?: string };
export type SortDir = 'asc' | 'desc';
export type SortState = { key: string; dir: SortDir };

type Props<T> = {
  queryKey: readonly unknown[];
  loadPage: (offset: number, limit: number, signal: AbortSignal) => Promise<Page<T>>;
  columns: VColumn<T>[];
  onOpen: (row: T) => void;
  onTotal?: (total: number | null) => void;
  rowHeight?: number;
  pageSize?: number;
  height?: string;
  emptyText: string;
  label: string;
  testId?: string;
  /** the list's order, and what a click on a sortable header asks for */
  sort?: SortState;
  onSort?: (next: SortState) => void;
};

export function VirtualTable<T>({ queryKey, loadPage, columns, onOpen, onTotal, rowHeight = 44, pageSize = 100, height = 'calc(100vh - 250px)', emptyText, label, testId, sort, onSort }: Props<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const first = useQuery({ queryKey: [...queryKey, 0], queryFn: ({ signal }) => loadPage(0, pageSize, signal), placeholderData: keepPreviousData });
  const total = first.data?.total ?? first.data?.rows.length ?? 0;
  useEffect(() => { onTotal?.(first.data ? first.data.total : null); }, [first.data, onTotal]);

  const estimateSize = useCallback(() => rowHeight, [rowHeight]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({ count: total, getScrollElement, estimateSize, overscan: 12 });
  const keyString = JSON.stringify(queryKey);
  useEffect(() => { virtualizer.scrollToOffset(0); setActive(0); }, [keyString]); // eslint-disable-line react-hooks/exhaustive-deps

  const vitems = virtualizer.getVirtualItems();
  const firstPage = vitems.length ? Math.floor(vitems[0]!.index / pageSize) : 0;
  const lastPage = vitems.length ? Math.floor(vitems[vitems.length - 1]!.index / pageSize) : 0;
  const pageNumbers = useMemo(() => Array.from({ length: lastPage - firstPage + 1 }, (_, k) => firstPage + k), [firstPage, lastPage]);
  const pages = useQueries({
    queries: pageNumbers.map((p) => ({
      queryKey: [...queryKey, p],
      queryFn: ({ signal }: { signal: AbortSignal }) => loadPage(p * pageSize, pageSize, signal),
      enabled: p > 0,
    })),
    combine: (results) => results.map((r) => r.data),
  });
  const windowStart = firstPage * pageSize;
  const windowRows = useMemo(() => {
    const out: (T | null)[] = [];
    pageNumbers.forEach((p, k) => {
      const data = p === 0 ? first.data : pages[k];
      const n = Math.min(pageSize, Math.max(0, total - p * pageSize));
      for (let i = 0; i < n; i++) out.push(data?.rows[i] ?? null);
    });
    return out;
  }, [pageNumbers, pages, first.data, total, pageSize]);

  const defs = useMemo<ColumnDef<T | null>[]>(
    () => columns.map((c) => ({ id: c.id, header: c.header, cell: (ctx) => (ctx.row.original === null ? <div className="skeleton-bar" style={{ width: c.align === 'right' ? '60%' : '75%', marginLeft: c.align === 'right' ? 'auto' : 0 }} /> : c.cell(ctx.row.original)) })),
    [columns],
  );
  const table = useReactTable({ data: windowRows, columns: defs, getCoreRowModel: getCoreRowModel() });
  const rows = table.getRowModel().rows;
  const template = columns.map((c) => c.width).join(' ');

  const focusRow = (i: number) => {
    const n = Math.max(0, Math.min(total - 1, i));
    setActive(n);
    virtualizer.scrollToIndex(n, { align: 'auto' });
    requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${n}"]`)?.focus());
  };
  const onKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const per = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1);
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + per, PageUp: active - per, Home: 0, End: total - 1 };
    if (e.key in moves) { e.preventDefault(); focusRow(moves[e.key]!); }
    else if (e.key === 'Enter') {
      const r = windowRows[active - windowStart];
      if (r) { e.preventDefault(); onOpen(r); }
    }
  };

  if (first.error) return <ErrorState error={first.error} onRetry={() => first.refetch()} />;
  return (
    <Paper withBorder shadow="xs" style={{ overflow: 'hidden' }} data-testid={testId}>
      <div role="table" aria-label={label} aria-rowcount={total} aria-busy={first.isFetching}>
        <div role="rowgroup">
          {table.getHeaderGroups().map((hg) => (
            <div role="row" className="vt-head" key={hg.id} style={{ gridTemplateColumns: template, height: 38 }}>
              {hg.headers.map((h, k) => (
                <div role="columnheader" className="vt-cell" key={h.id} style={{ textAlign: columns[k]!.align ?? 'left' }}
                  aria-sort={columns[k]!.sort && sort?.key === columns[k]!.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined}>
                  {columns[k]!.sort && onSort ? (
                    <UnstyledButton className="vt-sort" data-testid={`sort-${columns[k]!.id}`} style={{ font: 'inherit', color: 'inherit', textTransform: 'inherit', letterSpacing: 'inherit' }}
                      onClick={() => {
                        const c = columns[k]!;
                        const first: SortDir = c.align === 'right' ? 'desc' : 'asc';
                        onSort(sort && sort.key === c.sort ? { key: c.sort!, dir: sort.dir === 'asc' ? 'desc' : 'asc' } : { key: c.sort!, dir: first });
                      }}>
                      {flexRender(h.column.columnDef.header, h.getContext())}
                      <span aria-hidden style={{ marginLeft: 4, opacity: sort?.key === columns[k]!.sort ? 1 : 0.25 }}>{sort?.key === columns[k]!.sort && sort.dir === 'asc' ? '▲' : '▼'}</span>
                    </UnstyledButton>
                  ) : flexRender(h.column.columnDef.header, h.getContext())}
                </div>
              ))}
            </div>
          ))}
        </div>
        <div ref={scrollRef} style={{ height, minHeight: 260, overflow: 'auto', position: 'relative', opacity: first.isPlaceholderData ? 0.6 : 1, transition: 'opacity .1s' }} onKeyDown={onKey} role="rowgroup">
          {first.isSuccess && total === 0 ? (
            <Empty>{emptyText}</Empty>
          ) : (
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {vitems.map((vi) => {
                const row = rows[vi.index - windowStart];
                const data = windowRows[vi.index - windowStart] ?? null;
                return (
                  <div
                    key={vi.key}
                    role="row"
                    aria-rowindex={vi.index + 2}
                    data-index={vi.index}
                    tabIndex={vi.index === active ? 0 : -1}
                    className="vt-row"
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${vi.start}px)`, gridTemplateColumns: template }}
                    onClick={() => { setActive(vi.index); if (data) onOpen(data); }}
                    onFocus={() => setActive(vi.index)}
                  >
                    {row?.getVisibleCells().map((cell, k) => (
                      <div role="cell" className="vt-cell" key={cell.id} style={{ textAlign: columns[k]!.align ?? 'left' }}>
                        {flexRender(cell.column.columnDef.cell, cell.getContext())}
                      </div>
                    ))}
                  </div>
                );
              })}
            </div>
          )}
        </div>
      </div>
      <Box h={0} />
    </Paper>
  );
}
