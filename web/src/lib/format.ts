import dayjs from 'dayjs';

/** A timestamp as 2024-04-18 09:15:03 (the form Chinese users read on records), in local time. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  return dayjs(value).format('YYYY-MM-DD HH:mm:ss');
}

/** Empty strings become null so a cleared field is cleared on the server too. */
export function nullIfBlank(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}
