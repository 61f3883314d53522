/**
 * A streaming CSV reader (RFC 4180: quoted cells, doubled quotes, CRLF or LF, line breaks inside quotes): rows come
 * out as the bytes arrive, each with the line it started on, so an import never holds the whole file.
 */
export type CsvRow = { line: number; cells: string[] };

export async function* readCsvRows(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<CsvRow> {
  const decoder = new TextDecoder('utf-8');
  let cells: string[] = [];
  let cell = '';
  let isQuoted = false;
  let quotePending = false;
  let line = 1;
  let rowLine = 1;
  let isRowEmpty = true;
  const endCell = () => {
    cells.push(cell);
    cell = '';
  };
  const endRow = (): CsvRow | undefined => {
    endCell();
    const row = isRowEmpty && cells.length === 1 ? undefined : { line: rowLine, cells };
    cells = [];
    isRowEmpty = true;
    return row;
  };
  let isFirstChunk = true;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (isFirstChunk && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    isFirstChunk = false;
    for (const ch of text) {
      if (isQuoted) {
        if (quotePending) {
          quotePending = false;
          if (ch === '"') {
            cell += '"';
            continue;
          }
          isQuoted = false;
        } else if (ch === '"') {
          quotePending = true;
          continue;
        } else {
          if (ch === '\n') line++;
          cell += ch;
          continue;
        }
      }
      if (ch === '"' && cell === '') {
        isQuoted = true;
        isRowEmpty = false;
      } else if (ch === ',') {
        endCell();
        isRowEmpty = false;
      } else if (ch === '\n') {
        const row = endRow();
        if (row) yield row;
        line++;
        rowLine = line;
      } else if (ch !== '\r') {
        cell += ch;
        isRowEmpty = false;
      }
    }
  }
  const row = endRow();
  if (row) yield row;
}
