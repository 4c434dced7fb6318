// Shared display helpers: exact money and table cells.

let currency = 'EUR';
export const setCurrency = (code) => { if (code) currency = code; };

// Amounts arrive as strings of minor units (they can exceed what a JavaScript number holds exactly): split them with
// BigInt and let Intl format the exact decimal string.
export function money(minor) {
  if (minor === null || minor === undefined) return 'unknown';
  const format = new Intl.NumberFormat(undefined, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits;
  const amount = BigInt(minor);
  const negative = amount < 0n;
  const units = (negative ? -amount : amount).toString().padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : units.slice(0, -digits) + '.' + units.slice(-digits);
  return format.format((negative ? '-' : '') + decimal);
}

export const when = (iso) => iso ? new Date(iso).toLocaleString() : '';
export const signed = (n) => (n > 0 ? '+' : '') + n;
export const attributesOf = (v) => Object.entries(v.attributes || {}).map(([k, value]) => k + ': ' + value).join(', ');

export function cell(text, numeric) {
  const td = document.createElement('td');
  td.textContent = text === null || text === undefined ? '' : String(text);
  if (numeric) td.className = 'num';
  return td;
}

export function emptyRow(tbody, columns, text) {
  const tr = document.createElement('tr');
  const td = cell(text);
  td.colSpan = columns;
  td.className = 'empty';
  tr.append(td);
  tbody.append(tr);
}

export function fillTable(tbody, rows, columns, emptyText) {
  tbody.replaceChildren();
  if (rows.length === 0) return emptyRow(tbody, columns.length, emptyText);
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.dataset.sku = row.sku;
    for (const [key, numeric, format] of columns) tr.append(cell(format ? format(row[key]) : row[key], numeric));
    tbody.append(tr);
  }
}

export const $ = (id) => document.getElementById(id);
