import { describe, expect, test } from 'bun:test';
import { loginUrl, safeNext } from './navigation.ts';

describe('safeNext', () => {
  test('keeps same-site paths with their query and hash', () => {
    expect(safeNext('/settings/profile')).toBe('/settings/profile');
    expect(safeNext('/search?q=luna#top')).toBe('/search?q=luna#top');
  });

  test('falls back for anything that could leave the site', () => {
    for (const hostile of [
      'https://evil.example',
      '//evil.example/path',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      'settings',
      '',
      null,
      undefined,
    ]) {
      expect(safeNext(hostile)).toBe('/');
    }
  });

  test('never sends a person back to the sign-in pages', () => {
    expect(safeNext('/login?next=/x')).toBe('/');
    expect(safeNext('/register', '/home')).toBe('/home');
  });
});

test('loginUrl round-trips through safeNext', () => {
  const url = new URL('http://localhost:5173/settings/account?tab=age');
  const next = new URL(loginUrl(url), url).searchParams.get('next');
  expect(safeNext(next)).toBe('/settings/account?tab=age');
});
