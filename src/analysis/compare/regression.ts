/**
 * Least-squares line through (x, y) points, with the fit quality figures the trend verdicts use.
 * Environment-neutral.
 */

export interface LineFit {
  n: number;
  slope: number;
  intercept: number;
  /** Coefficient of determination 0–1 (1 when every y is equal: a flat line fits perfectly). */
  r2: number;
  /** slope / standard error of the slope; Infinity for a perfect non-flat fit, 0 when flat. */
  tStat: number;
}

export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>): LineFit {
  const n = Math.min(x.length, y.length);
  if (n === 0) return { n: 0, slope: 0, intercept: 0, r2: 1, tStat: 0 };
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) return { n, slope: 0, intercept: my, r2: syy === 0 ? 1 : 0, tStat: 0 };
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // Relative tolerance: sums of large values (bytes) leave rounding noise in syy − slope·sxy.
  const ssRes = Math.max(0, syy - slope * sxy);
  const tiny = 1e-12 * Math.max(syy, 1);
  const r2 = syy === 0 ? 1 : ssRes <= tiny ? 1 : 1 - ssRes / syy;
  let tStat: number;
  if (slope === 0) tStat = 0;
  else if (ssRes <= tiny || n <= 2) tStat = Number.POSITIVE_INFINITY;
  else tStat = Math.abs(slope) / Math.sqrt(ssRes / (n - 2) / sxx);
  return { n, slope, intercept, r2: Math.min(1, Math.max(0, r2)), tStat };
}
