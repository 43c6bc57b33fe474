import { describe, expect, test } from 'bun:test';
import { loginPathFor, safeRedirectPath } from './safe-redirect.ts';

describe('safeRedirectPath', () => {
  test('keeps in-app paths with their query', () => {
    expect(safeRedirectPath('/users?page=2')).toBe('/users?page=2');
  });

  test.each([
    null,
    undefined,
    '',
    'users',
    'https://evil.example/',
    '//evil.example/x',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'javascript:alert(1)',
  ])('sends %p back to the dashboard', (candidate) => {
    expect(safeRedirectPath(candidate)).toBe('/');
  });

  test('never loops back to /login or /logout', () => {
    expect(safeRedirectPath('/login')).toBe('/');
    expect(safeRedirectPath('/login?redirectTo=/x')).toBe('/');
    expect(safeRedirectPath('/logout')).toBe('/');
  });
});

describe('loginPathFor', () => {
  test('remembers where the person was going', () => {
    const path = loginPathFor(new URL('http://localhost:5174/users?q=a&b=1'));
    expect(path).toBe('/login?redirectTo=%2Fusers%3Fq%3Da%26b%3D1');
    const back = new URL(path, 'http://localhost:5174').searchParams.get('redirectTo');
    expect(safeRedirectPath(back)).toBe('/users?q=a&b=1');
  });

  test('the dashboard needs no redirectTo', () => {
    expect(loginPathFor(new URL('http://localhost:5174/'))).toBe('/login');
  });
});
