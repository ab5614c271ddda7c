/** Go's unicode.IsSpace set (JavaScript's \s minus U+FEFF, plus U+0085). */
export const GO_SPACE = '\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
export const GO_SPACE_RE = new RegExp(`[${GO_SPACE}]`, 'u');
export const GO_LEADING_SPACE_RE = new RegExp(`^[${GO_SPACE}]+`, 'u');

/** strings.TrimSpace. */
export function goTrimSpace(text: string): string {
  return text.replace(new RegExp(`^[${GO_SPACE}]+|[${GO_SPACE}]+$`, 'gu'), '');
}
