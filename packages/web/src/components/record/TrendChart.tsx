import { useId, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import type { ResultDetail } from '@portico/shared';
import { useT } from '../../i18n/i18n-context.ts';
import { formatDate, formatLocale, formatMonthYear } from '../../lib/format.ts';
import type { Translate } from './record-text.ts';
import { flagWord, ResultFlag, type Flag } from './ResultFlag.tsx';

/** A numeric result's history as the API sends it. */
type Trend = NonNullable<ResultDetail['trend']>;

/** Props of the trend chart. */
interface TrendChartProps {
  /** The test's name, e.g. "Hemoglobin A1c". */
  name: string;
  trend: Trend;
  /** The result the page is about; its point is drawn larger and its table row marked. */
  currentId: string;
}

const height = 260;
const margin = { top: 16, right: 20, bottom: 52, left: 64 };

/** Round steps (1, 2, 2.5, 5 × 10ⁿ) covering [min, max] in about `count` ticks. */
function niceTicks(min: number, max: number, count: number): number[] {
  const span = max - min || Math.abs(max) || 1;
  const raw = span / Math.max(1, count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power) || 1;
  const start = Math.floor(min / step) * step;
  const end = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  for (let value = start; value <= end + step / 2; value += step) ticks.push(Number(value.toFixed(10)));
  return ticks.length >= 2 ? ticks : [start, start + step];
}

function formatNumber(value: number): string {
  return new Intl.NumberFormat(formatLocale(), { maximumFractionDigits: 3 }).format(value);
}

/** The reference range in the chart's description, e.g. "Reference range 4 to 5.6 %, shown as a shaded band." */
function referenceRangeText(t: Translate, low: number | null, high: number | null, unit: string): string {
  if (low !== null && high !== null) return t('record.trend.descRange', { low: formatNumber(low), high: formatNumber(high), unit });
  if (low !== null) return t('record.trend.descRangeLow', { low: formatNumber(low), unit });
  if (high !== null) return t('record.trend.descRangeHigh', { high: formatNumber(high), unit });
  return t('record.trend.descNoRange');
}

/** The chart's width follows its container, so text stays readable on a phone instead of shrinking with the drawing. */
function useContainerWidth(): [RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(260, Math.min(1000, Math.floor(element.clientWidth))));
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  return [ref, width];
}

/** A point's shape repeats its flag (▲ high, ▼ low, ◆ abnormal, ● in range), so colour is never the only cue. */
function PointMark({ x, y, flag, current }: { x: number; y: number; flag: Flag; current: boolean }) {
  const r = current ? 7 : 5;
  const className = `trend__point${flag ? ' trend__point--flagged' : ''}${current ? ' trend__point--current' : ''}`;
  if (flag === 'H') return <polygon className={className} points={`${x},${y - r} ${x + r},${y + r * 0.8} ${x - r},${y + r * 0.8}`} />;
  if (flag === 'L') return <polygon className={className} points={`${x},${y + r} ${x + r},${y - r * 0.8} ${x - r},${y - r * 0.8}`} />;
  if (flag === 'A') return <polygon className={className} points={`${x},${y - r} ${x + r},${y} ${x},${y + r} ${x - r},${y}`} />;
  return <circle className={className} cx={x} cy={y} r={r - 1} />;
}

/**
 * A numeric result over time, drawn by hand in SVG: the reference range as a shaded band, each value marked, both
 * axes labelled. Its name and description tell a screen reader what it shows, and the same values follow as a table.
 */
export function TrendChart({ name, trend, currentId }: TrendChartProps) {
  const t = useT();
  const titleId = useId();
  const descId = useId();
  const [containerRef, width] = useContainerWidth();
  const { points, unit, low, high } = trend;
  const unitText = unit ? ` ${unit}` : '';
  if (points.length === 0) return <p className="empty-state">{t('record.trend.empty')}</p>;

  const values = points.map((p) => p.value);
  const bounds = [...values, ...(low === null ? [] : [low]), ...(high === null ? [] : [high])];
  const ticks = niceTicks(Math.min(...bounds), Math.max(...bounds), 5);
  const yMin = ticks[0] ?? 0;
  const yMax = ticks.at(-1) ?? 1;
  const times = points.map((p) => Date.parse(p.effectiveAt));
  const tMin = Math.min(...times);
  const tMax = Math.max(...times);
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  // Points sit a little inside the axes, so the first one never hides under the value axis.
  const inset = 14;
  const x = (t: number) =>
    tMax === tMin ? margin.left + plotWidth / 2 : margin.left + inset + ((t - tMin) / (tMax - tMin)) * (plotWidth - 2 * inset);
  const y = (v: number) => margin.top + (1 - (v - yMin) / (yMax - yMin || 1)) * plotHeight;
  const bottom = margin.top + plotHeight;

  const first = points[0];
  const last = points.at(-1);
  const current = points.find((p) => p.id === currentId);
  const currentFlag = current ? flagWord(t, current.flag) : null;
  const description = [
    first && last
      ? t('record.trend.descCount', { count: points.length, from: formatDate(first.effectiveAt), to: formatDate(last.effectiveAt) })
      : '',
    values.length > 0
      ? t('record.trend.descLowestHighest', {
          lowest: formatNumber(Math.min(...values)),
          highest: formatNumber(Math.max(...values)),
          unit: unitText,
        })
      : '',
    referenceRangeText(t, low, high, unitText),
    current
      ? currentFlag
        ? t('record.trend.descCurrentFlagged', { value: formatNumber(current.value), unit: unitText, flag: currentFlag })
        : t('record.trend.descCurrent', { value: formatNumber(current.value), unit: unitText })
      : '',
    t('record.trend.descTable'),
  ]
    .filter(Boolean)
    .join(' ');

  const xLabels = first && last && first.id !== last.id ? [first, last] : first ? [first] : [];
  const path = points.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(Date.parse(p.effectiveAt)).toFixed(1)},${y(p.value).toFixed(1)}`).join(' ');

  return (
    <div className="trend">
      <div className="trend__canvas" ref={containerRef}>
        <svg
          className="trend__svg"
          role="img"
          aria-labelledby={titleId}
          aria-describedby={descId}
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
        >
          <title id={titleId}>{t('record.trend.title', { name })}</title>
          <desc id={descId}>{description}</desc>
          {(low !== null || high !== null) && (
            <rect
              className="trend__band"
              x={margin.left}
              width={plotWidth}
              y={y(Math.min(yMax, high ?? yMax))}
              height={Math.max(0, y(Math.max(yMin, low ?? yMin)) - y(Math.min(yMax, high ?? yMax)))}
            />
          )}
          {[low, high].map((limit, i) =>
            limit === null ? null : (
              <line key={i} className="trend__limit" x1={margin.left} x2={margin.left + plotWidth} y1={y(limit)} y2={y(limit)} />
            ),
          )}
          {ticks.map((tick) => (
            <g key={tick}>
              <line className="trend__grid" x1={margin.left} x2={margin.left + plotWidth} y1={y(tick)} y2={y(tick)} />
              <text className="trend__tick" x={margin.left - 8} y={y(tick)} textAnchor="end" dominantBaseline="middle">
                {formatNumber(tick)}
              </text>
            </g>
          ))}
          <line className="trend__axis" x1={margin.left} x2={margin.left} y1={margin.top} y2={bottom} />
          <line className="trend__axis" x1={margin.left} x2={margin.left + plotWidth} y1={bottom} y2={bottom} />
          {xLabels.map((p, i) => (
            <text
              key={p.id}
              className="trend__tick"
              x={x(Date.parse(p.effectiveAt))}
              y={bottom + 18}
              textAnchor={xLabels.length === 1 ? 'middle' : i === 0 ? 'start' : 'end'}
            >
              {formatMonthYear(p.effectiveAt)}
            </text>
          ))}
          <text className="trend__label" x={margin.left + plotWidth / 2} y={height - 8} textAnchor="middle">
            {t('record.trend.dateCollected')}
          </text>
          <text className="trend__label" transform={`translate(16 ${margin.top + plotHeight / 2}) rotate(-90)`} textAnchor="middle">
            {unit ? t('record.trend.valueAxisUnit', { unit }) : t('record.trend.valueAxis')}
          </text>
          <path className="trend__line" d={path} />
          {points.map((p) => (
            <PointMark key={p.id} x={x(Date.parse(p.effectiveAt))} y={y(p.value)} flag={p.flag} current={p.id === currentId} />
          ))}
        </svg>
      </div>
      <ul className="trend__legend">
        {(low !== null || high !== null) && (
          <li>
            <span className="trend__key trend__key--band" aria-hidden="true" /> {t('record.trend.legendRange')}
          </li>
        )}
        <li>
          <span aria-hidden="true">●</span> {t('record.trend.legendInRange')}
        </li>
        <li>
          <span aria-hidden="true">▲</span> {t('record.flag.high')}, <span aria-hidden="true">▼</span> {t('record.flag.low')},{' '}
          <span aria-hidden="true">◆</span> {t('record.flag.abnormal')}
        </li>
        <li>{t('record.trend.legendCurrent')}</li>
      </ul>
      <details className="disclosure">
        <summary>{t('record.trend.showTable')}</summary>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('record.trend.tableCaption', { name })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('record.trend.dateCollected')}</th>
                <th scope="col">{t('record.trend.valueColumn', { unit: unitText })}</th>
                <th scope="col">{t('record.column.flag')}</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.id} className={p.id === currentId ? 'row--selected' : undefined}>
                  <th scope="row" className="nowrap">
                    {formatDate(p.effectiveAt)}
                    {p.id === currentId && <span className="record-meta">{t('record.trend.thisResult')}</span>}
                  </th>
                  <td>{formatNumber(p.value)}</td>
                  <td>
                    <ResultFlag flag={p.flag} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
