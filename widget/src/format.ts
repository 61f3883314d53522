/** Small pure helpers for the view, kept out of view.ts so they can be unit-tested without a DOM. */

/** Local wall-clock HH:MM (24h) — compact and unambiguous in a chat bubble. */
export const formatTime = (iso: string): string => {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export const DEFAULT_COLOR = '#2563eb';

/** Only #rgb / #rrggbb reach CSS; anything else from the tenant config falls back. */
export const safeColor = (c: unknown): string => (typeof c === 'string' && /^#(?:[0-9a-f]{3}){1,2}$/i.test(c) ? c : DEFAULT_COLOR);

const channel = (hex: string): number[] => {
  const h = hex.length === 4 ? hex.slice(1).replace(/./g, (x) => x + x) : hex.slice(1);
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16) / 255);
};

/** WCAG relative luminance → pick whichever of white/near-black text contrasts more. */
export const textOn = (hex: string): string => {
  const [r, g, b] = channel(safeColor(hex)).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [
    number,
    number,
    number,
  ];
  const l = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  // Contrast with white = 1.05/(l+0.05); with #111 (l≈0.0056) = (l+0.05)/0.0556.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 ? '#ffffff' : '#111111';
};

/** Only http(s) links: a javascript: URL in tenant config must never become clickable. */
export const safeUrl = (u: unknown): string | null => {
  if (typeof u !== 'string') return null;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
};

/** The API base is wherever widget.js was served from (…/widget.js → …). */
export const apiBaseFromScript = (src: string): string => new URL('.', src).href.replace(/\/+$/, '');
