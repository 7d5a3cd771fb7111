/** The dashboard's charts (recharts, its own chunk: loaded beside the figures, not before them). */
import { Bar, BarChart, CartesianGrid, Cell, Line, LineChart, ResponsiveContainer, Tooltip as ChartTooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '../app/locale.tsx';

type Bucket = { key: string; label: string; value: number; color: string };
type TrendPoint = { label: string; dso: number | null; month: string };
type Week = { label: string; weekStart: string; value: number; items: number };

const useMoneyTick = () => {
  const { f } = useLocale();
  return (v: number) => f.money(v, 'EUR', { compact: true });
};

/** Open amounts per aging bucket; a click on an overdue bucket calls onBucket. */
export function AgingChart({ data, onBucket }: { data: Bucket[]; onBucket: (key: string) => void }) {
  const { t, f } = useLocale();
  const moneyTick = useMoneyTick();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, left: 8, bottom: 0 }}>
        <CartesianGrid vertical={false} stroke="#eef0f3" />
        <XAxis dataKey="label" tickLine={false} axisLine={false} />
        <YAxis tickFormatter={moneyTick} tickLine={false} axisLine={false} width={72} />
        <ChartTooltip cursor={{ fill: 'rgba(59,91,219,.06)' }} formatter={(v) => [f.money(Number(v)), t('common.amount')]} />
        <Bar dataKey="value" radius={[6, 6, 0, 0]} isAnimationActive={false} onClick={(e) => { const k = (e?.payload as { key?: string } | undefined)?.key; if (k) onBucket(k); }}>
          {data.map((x) => <Cell key={x.key} fill={x.color} cursor={x.key === 'not_due' ? undefined : 'pointer'} />)}
        </Bar>
      </BarChart>
    </ResponsiveContainer>
  );
}

/** Days sales outstanding per month. */
export function DsoChart({ data }: { data: TrendPoint[] }) {
  const { t, f } = useLocale();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 8, right: 16, left: 0, bottom: 0 }}>
        <CartesianGrid vertical={false} stroke="#eef0f3" />
        <XAxis dataKey="label" tickLine={false} axisLine={false} />
        <YAxis tickLine={false} axisLine={false} width={40} allowDecimals={false} />
        <ChartTooltip formatter={(v) => [`${f.number(Number(v), 1)} ${t('dash.dsoUnit')}`, t('dash.dso')]} />
        <Line type="monotone" dataKey="dso" stroke="var(--mantine-color-brand-6)" strokeWidth={2.5} dot={{ r: 3.5 }} isAnimationActive={false} connectNulls />
      </LineChart>
    </ResponsiveContainer>
  );
}

/** Open amounts by the week they fall due. */
export function ExpectedChart({ data }: { data: Week[] }) {
  const { t, f } = useLocale();
  const moneyTick = useMoneyTick();
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 4, left: 4, bottom: 0 }}>
        <CartesianGrid vertical={false} stroke="#eef0f3" />
        <XAxis dataKey="label" tickLine={false} axisLine={false} interval={0} fontSize={11} />
        <YAxis tickFormatter={moneyTick} tickLine={false} axisLine={false} width={64} />
        <ChartTooltip
          labelFormatter={(_, p) => (p?.[0] ? t('dash.weekOf', { date: f.date((p[0].payload as { weekStart: string }).weekStart) }) : '')}
          formatter={(v, _n, p) => [`${f.money(Number(v))} · ${t('dash.itemsCount', { n: (p.payload as { items: number }).items })}`, t('common.amount')]}
        />
        <Bar dataKey="value" fill="var(--mantine-color-teal-6)" radius={[5, 5, 0, 0]} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
