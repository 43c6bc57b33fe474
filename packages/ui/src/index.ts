export { default as Avatar } from './Avatar.svelte';
export { default as Button } from './Button.svelte';
export { default as EmptyState } from './EmptyState.svelte';
export { default as Field, type FieldControlProps } from './Field.svelte';
export { default as LoadMore } from './LoadMore.svelte';
export { MorePages, type Page } from './more-pages.svelte.ts';
export { default as Spinner } from './Spinner.svelte';
export { default as ThemeToggle } from './ThemeToggle.svelte';
export { default as Toasts } from './Toasts.svelte';
export { applyTheme, nextTheme, parseTheme, THEME_COOKIE, THEMES, type Theme } from './theme.ts';
export { MAX_TOASTS, TOAST_DURATION_MS, type ToastItem, type ToastKind, toast } from './toast.svelte.ts';
export {
  default as WordFilterEditor,
  type WordFilterMode,
  type WordFilterTerm,
} from './WordFilterEditor.svelte';
