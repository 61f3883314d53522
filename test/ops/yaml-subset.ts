/**
 * A parser for the strict YAML subset docker-compose.yml is written in, so the compose test needs no YAML
 * library: block mappings and block lists by two-space indentation, JSON-style double-quoted strings and
 * flow lists, plain scalars, `{}`, comments, `&anchor` on a mapping and `<<: *anchor` merges.
 * Anything else (block scalars, flow mappings, tabs, single quotes) is refused with its line number, which
 * keeps the compose file inside what this parser — and a reader — can check.
 */
export class YamlSubsetError extends Error {}

type Line = { no: number; indent: number; text: string };

const stripComment = (text: string) => {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && text[i - 1] !== '\\') inString = !inString;
    if (c === '#' && !inString && (i === 0 || /\s/.test(text[i - 1]!))) return text.slice(0, i).trimEnd();
  }
  return text.trimEnd();
};

const toLines = (source: string): Line[] =>
  source.split(/\r?\n/).flatMap((raw, i) => {
    if (/\t/.test(raw.match(/^\s*/)![0])) throw new YamlSubsetError(`line ${i + 1}: tabs are not allowed for indentation`);
    const text = stripComment(raw);
    if (text.trim() === '') return [];
    return [{ no: i + 1, indent: text.length - text.trimStart().length, text: text.trim() }];
  });

export const parseYamlSubset = (source: string): unknown => {
  const lines = toLines(source);
  const anchors = new Map<string, unknown>();
  let pos = 0;

  const scalar = (raw: string, no: number): unknown => {
    if (raw.startsWith('*')) {
      if (!anchors.has(raw.slice(1))) throw new YamlSubsetError(`line ${no}: unknown alias ${raw}`);
      return anchors.get(raw.slice(1));
    }
    if (raw.startsWith('"') || raw.startsWith('[')) {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        throw new YamlSubsetError(`line ${no}: ${raw.startsWith('"') ? 'quoted string' : 'flow list'} must be valid JSON: ${raw}`);
      }
    }
    if (raw === '{}') return {};
    if (/^[{'|>&!%@`]/.test(raw)) throw new YamlSubsetError(`line ${no}: unsupported YAML syntax: ${raw}`);
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (raw === 'null' || raw === '~') return null;
    if (/^-?\d+$/.test(raw)) return Number(raw);
    return raw;
  };

  const block = (indent: number): unknown => {
    const first = lines[pos];
    if (!first || first.indent < indent) return null;
    if (first.indent !== indent) throw new YamlSubsetError(`line ${first.no}: expected indentation ${indent}, found ${first.indent}`);
    return first.text.startsWith('- ') || first.text === '-' ? list(indent) : mapping(indent);
  };

  /** The value after `key:` (or after `- `): inline, or a nested block on the following lines. */
  const valueAfter = (rest: string, line: Line): unknown => {
    const anchor = /^&([\w-]+)$/.exec(rest);
    if (rest === '' || anchor) {
      const next = lines[pos];
      const value = next && next.indent > line.indent ? block(next.indent) : null;
      if (anchor) anchors.set(anchor[1]!, value);
      return value;
    }
    return scalar(rest, line.no);
  };

  const mapping = (indent: number): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const merged = new Set<string>();
    while (pos < lines.length && lines[pos]!.indent === indent && !lines[pos]!.text.startsWith('- ')) {
      const line = lines[pos++]!;
      const m = /^("(?:[^"\\]|\\.)*"|[^\s:"][^:]*?):(?:\s+(.*))?$/.exec(line.text);
      if (!m) throw new YamlSubsetError(`line ${line.no}: expected "key: value", found: ${line.text}`);
      const key = m[1]!.startsWith('"') ? (JSON.parse(m[1]!) as string) : m[1]!;
      const value = valueAfter((m[2] ?? '').trim(), line);
      if (key === '<<') {
        if (!value || typeof value !== 'object' || Array.isArray(value))
          throw new YamlSubsetError(`line ${line.no}: << must merge a mapping alias`);
        for (const [k, v] of Object.entries(value)) {
          if (Object.prototype.hasOwnProperty.call(out, k)) continue;
          Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
          merged.add(k);
        }
        continue;
      }
      // Keys merged in with << may be overridden by the mapping's own keys; other repeats are mistakes.
      if (Object.prototype.hasOwnProperty.call(out, key) && !merged.delete(key))
        throw new YamlSubsetError(`line ${line.no}: duplicate key ${key}`);
      Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };

  const list = (indent: number): unknown[] => {
    const out: unknown[] = [];
    while (pos < lines.length && lines[pos]!.indent === indent && (lines[pos]!.text.startsWith('- ') || lines[pos]!.text === '-')) {
      const line = lines[pos]!;
      const rest = line.text.slice(1).trim();
      if (/^("(?:[^"\\]|\\.)*"|[^\s:"[][^:]*?):(\s|$)/.test(rest)) {
        // "- key: value" starts a mapping whose other keys sit at the column after "- ".
        lines[pos] = { no: line.no, indent: indent + 2, text: rest };
        out.push(mapping(indent + 2));
      } else {
        pos++;
        out.push(valueAfter(rest, line));
      }
    }
    return out;
  };

  const doc = block(0);
  if (pos < lines.length) throw new YamlSubsetError(`line ${lines[pos]!.no}: unexpected indentation`);
  return doc;
};
