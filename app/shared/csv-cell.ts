/**
 * CSV injection (OWASP "CSV Injection"): a spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and, in
 * some, a tab or carriage return) as a formula, even when the cell is quoted. Every CSV Watchroom writes passes
 * its text cells through this one function: such a cell gets a leading `'`, which spreadsheets show as text.
 * Numbers are written as numbers (a negative count never occurs; a number is never a formula).
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCsvCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}
