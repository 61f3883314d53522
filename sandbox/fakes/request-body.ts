/**
 * Turns a request body into something tests can assert on, the way each provider's server would
 * read it: JSON, x-www-form-urlencoded (with Stripe/qs-style `a[b][0]=x` nesting) or raw text.
 */

/** Parsed JSON, a nested form object, the raw text, or undefined when the body was empty. */
export const parseRequestBody = (raw: Buffer, contentType: string | undefined): unknown => {
  if (raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) {
    // Keep malformed JSON as text so a test can still see what the client actually sent.
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (type === 'application/x-www-form-urlencoded') return parseNestedForm(text);
  return text;
};

type Tree = { [key: string]: Tree | string };

/**
 * `customer=cus_1&line_items[0][price]=p&metadata[a]=b` → `{customer, line_items:[{price}], metadata:{a}}`.
 * Flat keys stay strings, so Graph's form posts (`recipient={"id":"1"}`) come out as plain fields.
 */
export const parseNestedForm = (text: string): Record<string, unknown> => {
  const root: Tree = {};
  for (const [key, value] of new URLSearchParams(text)) {
    const segments = splitKey(key);
    let node = root;
    segments.forEach((rawSegment, i) => {
      const segment = rawSegment === '' ? String(Object.keys(node).length) : rawSegment;
      if (i === segments.length - 1) {
        node[segment] = value;
        return;
      }
      const next = node[segment];
      if (typeof next !== 'object') node[segment] = {};
      node = node[segment] as Tree;
    });
  }
  return arraysFromIndexedObjects(root) as Record<string, unknown>;
};

/** `a[b][0]` → ['a', 'b', '0']; `a[]` pushes, so it gets the next free index. */
const splitKey = (key: string): string[] => {
  const open = key.indexOf('[');
  if (open <= 0) return [key];
  const segments = [key.slice(0, open)];
  for (const match of key.slice(open).matchAll(/\[([^\]]*)\]/g)) segments.push(match[1]!);
  return segments;
};

const arraysFromIndexedObjects = (node: Tree | string): unknown => {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  const converted: Record<string, unknown> = {};
  for (const key of keys) converted[key] = arraysFromIndexedObjects(node[key]!);
  const isList = keys.length > 0 && keys.every((k) => /^\d+$/.test(k));
  if (!isList) return converted;
  return keys.sort((a, b) => Number(a) - Number(b)).map((k) => converted[k]);
};
