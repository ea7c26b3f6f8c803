import type { ChartOption } from '../components/echart.js';

/** Chart options built from the API's rows: pure functions, so what is drawn is exactly what was returned. */

export interface VolumeRow {
  at: string;
  key: string;
  count: number;
}

/** Every day (or hour) of the range on the x axis, one line per key, zeros where nothing came in. */
export function volumeOption(
  rows: VolumeRow[],
  axis: string[],
  label: (key: string) => string,
  when: (at: string) => string,
): { option: ChartOption; values: Record<string, number[]> } {
  const keys = [...new Set(rows.map((r) => r.key))].sort();
  const values: Record<string, number[]> = {};
  for (const k of keys) values[k] = axis.map((at) => rows.find((r) => r.key === k && r.at === at)?.count ?? 0);
  return {
    values,
    option: {
      tooltip: { trigger: 'axis' },
      legend: { data: keys.map(label), bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: axis.map(when) },
      yAxis: { type: 'value', minInterval: 1 },
      series: keys.map((k) => ({ name: label(k), type: 'line', smooth: false, symbolSize: 6, data: values[k] })),
    },
  };
}

export interface HeatRow {
  category: string;
  col: number;
  count: number;
}

/** Categories down, hours (0–23) or weekdays (Mon–Sun) across, the count as colour. */
export function heatmapOption(
  rows: HeatRow[],
  cols: string[],
  categoryLabel: (c: string) => string,
): { option: ChartOption; values: Array<[number, number, number]> } {
  const categories = [...new Set(rows.map((r) => r.category))].sort();
  const values = rows.map((r): [number, number, number] => [r.col, categories.indexOf(r.category), r.count]);
  const max = Math.max(1, ...rows.map((r) => r.count));
  return {
    values,
    option: {
      tooltip: { position: 'top' },
      grid: { left: 110, right: 16, top: 8, bottom: 64 },
      xAxis: { type: 'category', data: cols, splitArea: { show: true } },
      yAxis: { type: 'category', data: categories.map(categoryLabel), splitArea: { show: true } },
      visualMap: {
        min: 0,
        max,
        calculable: true,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
        inRange: { color: ['#f0f6fc', '#9ecae1', '#3182bd', '#08519c'] },
      },
      series: [{ type: 'heatmap', data: values, label: { show: true }, emphasis: { itemStyle: { borderColor: '#333', borderWidth: 1 } } }],
    },
  };
}

/** Stacked bars: open tickets per queue, one colour per age band (oldest darkest). */
export function backlogOption(
  rows: Array<{ queue: string; age: string; count: number }>,
  ages: string[],
): { option: ChartOption; values: Record<string, number[]> } {
  const queues = [...new Set(rows.map((r) => r.queue))].sort();
  const values: Record<string, number[]> = {};
  for (const a of ages) values[a] = queues.map((q) => rows.find((r) => r.queue === q && r.age === a)?.count ?? 0);
  return {
    values,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { data: ages, bottom: 0 },
      grid: { left: 40, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: queues },
      yAxis: { type: 'value', minInterval: 1 },
      color: ['#c6dbef', '#9ecae1', '#6baed6', '#fdae6b', '#f16913', '#a63603'],
      series: ages.map((a) => ({ name: a, type: 'bar', stack: 'age', data: values[a] })),
    },
  };
}

/** First response and resolution compliance (percent) per group. */
export function slaOption(
  rows: Array<{ key: string; firstResponse: { rate: number | null }; resolution: { rate: number | null } }>,
  names: { firstResponse: string; resolution: string },
  keyLabel: (k: string) => string,
): { option: ChartOption; values: Record<string, Array<number | null>> } {
  const pct = (r: number | null) => (r === null ? null : Math.round(r * 1000) / 10);
  const values = { firstResponse: rows.map((r) => pct(r.firstResponse.rate)), resolution: rows.map((r) => pct(r.resolution.rate)) };
  return {
    values,
    option: {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (v == null ? '—' : `${v} %`) },
      legend: { data: [names.firstResponse, names.resolution], bottom: 0 },
      grid: { left: 56, right: 16, top: 16, bottom: 56 },
      xAxis: { type: 'category', data: rows.map((r) => keyLabel(r.key)) },
      yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value} %' } },
      series: [
        { name: names.firstResponse, type: 'bar', data: values.firstResponse },
        { name: names.resolution, type: 'bar', data: values.resolution },
      ],
    },
  };
}
