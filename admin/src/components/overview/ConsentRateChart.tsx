import * as React from 'react';
import { Box } from '@strapi/design-system';
import { styled, useTheme } from 'styled-components';
import uPlot from 'uplot';

/**
 * uPlot's own stylesheet (uplot/dist/uPlot.min.css, MIT), scoped to the chart: the admin build
 * of a host app would not load a CSS file the plugin imports, and these rules position the
 * cursor, the legend and the canvases. Fonts and colours come from the admin's theme instead.
 */
const Frame = styled(Box)`
  .uplot, .uplot *, .uplot *::before, .uplot *::after { box-sizing: border-box; }
  .uplot { font-family: inherit; line-height: 1.5; width: min-content; }
  .u-wrap { position: relative; user-select: none; }
  .u-over, .u-under { position: absolute; }
  .u-under { overflow: hidden; }
  .uplot canvas { display: block; position: relative; width: 100%; height: 100%; }
  .u-axis { position: absolute; }
  .u-legend { font-size: 1.3rem; margin: auto; text-align: center; color: ${({ theme }) => theme.colors.neutral800}; }
  .u-inline { display: block; }
  .u-inline * { display: inline-block; }
  .u-inline tr { margin-right: 16px; }
  .u-legend th { font-weight: 600; }
  .u-legend th > * { vertical-align: middle; display: inline-block; }
  .u-legend .u-marker { width: 1em; height: 1em; margin-right: 4px; background-clip: padding-box !important; }
  .u-inline.u-live th::after { content: ':'; vertical-align: middle; }
  .u-inline:not(.u-live) .u-value { display: none; }
  .u-series > * { padding: 4px; }
  .u-series th { cursor: pointer; }
  .u-legend .u-off > * { opacity: 0.3; }
  .u-select { background: rgba(0, 0, 0, 0.07); position: absolute; pointer-events: none; }
  .u-cursor-x, .u-cursor-y { position: absolute; left: 0; top: 0; pointer-events: none; will-change: transform; }
  .u-hz .u-cursor-x, .u-vt .u-cursor-y { height: 100%; border-right: 1px dashed ${({ theme }) => theme.colors.neutral500}; }
  .u-hz .u-cursor-y, .u-vt .u-cursor-x { width: 100%; border-bottom: 1px dashed ${({ theme }) => theme.colors.neutral500}; }
  .u-cursor-pt { position: absolute; top: 0; left: 0; border-radius: 50%; border: 0 solid; pointer-events: none; will-change: transform; background-clip: padding-box !important; }
  .u-axis.u-off, .u-select.u-off, .u-cursor-x.u-off, .u-cursor-y.u-off, .u-cursor-pt.u-off { display: none; }
`;

export interface RateSeries {
  label: string;
  /** Share granted per day, 0–100; null on a day without any decision. */
  values: Array<number | null>;
}

interface ConsentRateChartProps {
  /** Days as UTC midnights, in seconds (uPlot's time unit). */
  days: number[];
  series: RateSeries[];
  /** The chart's accessible name; the figures are also given as a table beside it. */
  label: string;
  /** What the legend calls the day under the cursor. */
  dayLabel: string;
  height?: number;
}

/**
 * The share of decisions that granted each category, per day, as lines (0–100 %). Days are UTC
 * days, as the server counts them. Drawn by uPlot on a canvas sized to its container.
 */
export const ConsentRateChart = ({ days, series, label, dayLabel, height = 280 }: ConsentRateChartProps) => {
  const theme = useTheme();
  const container = React.useRef<HTMLDivElement>(null);

  React.useEffect(() => {
    const element = container.current;
    if (!element) return undefined;
    const { colors } = theme;
    const palette = [
      colors.primary600,
      colors.success600,
      colors.warning600,
      colors.danger600,
      colors.secondary600,
      colors.alternative600,
      colors.neutral600,
    ];
    const axis: uPlot.Axis = {
      stroke: colors.neutral600,
      grid: { stroke: colors.neutral200, width: 1 },
      ticks: { stroke: colors.neutral200, width: 1 },
    };
    const options: uPlot.Options = {
      width: Math.max(320, element.clientWidth),
      height,
      // The server's days are UTC dates: label them as such, whatever the browser's zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true }, y: { range: [0, 100] } },
      axes: [
        { ...axis },
        { ...axis, values: (_u, ticks) => ticks.map((v) => `${v} %`), size: 56 },
      ],
      series: [
        { label: dayLabel },
        ...series.map((s, index) => ({
          label: s.label,
          stroke: palette[index % palette.length],
          width: 2,
          points: { show: days.length <= 31, size: 6 },
          value: (_u: uPlot, v: number | null) => (v === null || v === undefined ? '–' : `${Math.round(v)} %`),
        })),
      ],
      legend: { live: true },
    };
    const data: uPlot.AlignedData = [days, ...series.map((s) => s.values)];
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(320, element.clientWidth), height }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [days, series, dayLabel, height, theme]);

  return <Frame ref={container} tag="figure" aria-label={label} margin={0} data-testid="privacy-centre-overview-consent-chart" />;
};

/** The chart frame with uPlot's scoped styles, for the overview's other charts. */
export { Frame as ChartFrame };
