/** Light and dark follow the system unless the user picked one with the toggle. */
export type Theme = 'light' | 'dark';

const KEY = 'hookway.theme';

export function systemTheme(): Theme {
  return window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export function savedTheme(): Theme | null {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : null;
}

export function applyTheme(theme: Theme | null): void {
  if (theme) {
    document.documentElement.dataset['theme'] = theme;
    localStorage.setItem(KEY, theme);
  } else {
    delete document.documentElement.dataset['theme'];
    localStorage.removeItem(KEY);
  }
}
