// C0 controls, DEL and C1 controls: a terminal obeys them (clear the screen,
// set the title, move the cursor) instead of showing them
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g

/** Text safe to show on a terminal: each control character written as \xHH. */
export function printable(text: string): string {
  return text.replaceAll(CONTROL, c => `\\x${c.codePointAt(0)!.toString(16).toUpperCase().padStart(2, '0')}`)
}
