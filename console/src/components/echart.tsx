import { BarChart, HeatmapChart, LineChart } from 'echarts/charts';
import { AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'preact/hooks';

// Only what the insight views draw: keeps the console bundle small (ECharts is served from node_modules, bundled at start).
echarts.use([BarChart, HeatmapChart, LineChart, AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

/**
 * One ECharts chart in a figure named `label`. `values` are the numbers drawn, kept on the figure
 * as `data-values` so a reader (and the tests) can check the chart shows what the API returned;
 * ECharts' aria module describes the data to screen readers, whose users also get each view as a
 * table or CSV beside it.
 */
export function EChart({ option, label, values, height = 280 }: { option: ChartOption; label: string; values: unknown; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | undefined>(undefined);

  useEffect(() => {
    const el = box.current!;
    chart.current = echarts.init(el, undefined, { renderer: 'canvas' });
    const resize = new ResizeObserver(() => chart.current?.resize());
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.current?.dispose();
      chart.current = undefined;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ aria: { enabled: true }, animation: false, ...option }, { notMerge: true });
  }, [option]);

  // ECharts writes its own description of the data (aria) as the inner image's label; the figure carries the title.
  return (
    <div class="chart-figure" role="figure" aria-label={label} data-values={JSON.stringify(values)}>
      <div ref={box} class="chart" role="img" style={{ height: `${height}px` }} />
    </div>
  );
}
