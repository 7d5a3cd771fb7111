/** A small table for lists that fit on one screen (open items of a debtor, payments), on TanStack Table. */
import { useMemo, type ReactNode } from 'react';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { Table } from '@mantine/core';
import { Empty } from './ui.tsx';

export type Column<T> = { id: string; header: ReactNode; align?: 'left' | 'right'; width?: number | string; cell: (row: T) => ReactNode };

export function DataTable<T>({ rows, columns, empty, onRowClick, rowKey, footer, testId, highlight }: {
  rows: T[]; columns: Column<T>[]; empty: string; onRowClick?: (row: T) => void; rowKey: (row: T) => string | number; footer?: ReactNode; testId?: string; highlight?: (row: T) => boolean;
}) {
  const defs = useMemo<ColumnDef<T>[]>(() => columns.map((c) => ({ id: c.id, header: () => c.header, cell: (ctx) => c.cell(ctx.row.original) })), [columns]);
  const table = useReactTable({ data: rows, columns: defs, getCoreRowModel: getCoreRowModel(), getRowId: (r) => String(rowKey(r)) });
  if (!rows.length) return <Empty>{empty}</Empty>;
  return (
    <Table.ScrollContainer minWidth={560} data-testid={testId}>
      <Table highlightOnHover={!!onRowClick} verticalSpacing={8} fz="sm">
        <Table.Thead>
          {table.getHeaderGroups().map((hg) => (
            <Table.Tr key={hg.id}>
              {hg.headers.map((h, k) => (
                <Table.Th key={h.id} style={{ textAlign: columns[k]!.align ?? 'left', width: columns[k]!.width, fontSize: 12, textTransform: 'uppercase', letterSpacing: '.03em', color: 'var(--mantine-color-gray-7)' }}>
                  {flexRender(h.column.columnDef.header, h.getContext())}
                </Table.Th>
              ))}
            </Table.Tr>
          ))}
        </Table.Thead>
        <Table.Tbody>
          {table.getRowModel().rows.map((r) => (
            <Table.Tr
              key={r.id}
              onClick={onRowClick ? () => onRowClick(r.original) : undefined}
              style={{ cursor: onRowClick ? 'pointer' : undefined, background: highlight?.(r.original) ? 'var(--mantine-color-brand-0)' : undefined }}
            >
              {r.getVisibleCells().map((cell, k) => (
                <Table.Td key={cell.id} style={{ textAlign: columns[k]!.align ?? 'left' }} className={columns[k]!.align === 'right' ? 'num' : undefined}>
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
        {footer}
      </Table>
    </Table.ScrollContainer>
  );
}
