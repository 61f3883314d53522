/** Splits a reply into provider-sized chunks at sentence or word boundaries, never mid-word when avoidable. */

const byteLength = (s: string) => Buffer.byteLength(s, 'utf8');

export const splitMessage = (text: string, limit: { chars?: number; bytes?: number }): string[] => {
  const fits = (s: string) =>
    (limit.chars === undefined || s.length <= limit.chars) && (limit.bytes === undefined || byteLength(s) <= limit.bytes);
  const chunks: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (fits(rest)) {
      chunks.push(rest);
      break;
    }
    let end = Math.min(rest.length, limit.chars ?? rest.length);
    while (end > 1 && !fits(rest.slice(0, end))) end--;
    const window = rest.slice(0, end);
    const boundary = Math.max(window.lastIndexOf('\n'), window.lastIndexOf('. '), window.lastIndexOf('! '), window.lastIndexOf('? '));
    const space = window.lastIndexOf(' ');
    const cut = boundary > end * 0.5 ? boundary + 1 : space > end * 0.5 ? space : end;
    chunks.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  return chunks.filter((c) => c.length > 0);
};
