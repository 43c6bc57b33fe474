import { describe, expect, test } from 'bun:test';
import { applySecurityHeaders, connectOrigins } from './security-headers.ts';

const PAGE_POLICY = "default-src 'self'; script-src 'self' 'nonce-abc123'; frame-ancestors 'none'";

const page = () =>
  new Response('<!doctype html>', {
    headers: { 'content-type': 'text/html', 'content-security-policy': PAGE_POLICY },
  });

describe('security headers', () => {
  test("a page's policy gains connect-src for the API and the media server, http and websocket", () => {
    const response = applySecurityHeaders(page(), {
      connectTo: [
        ...connectOrigins('https://api.lumen.example'),
        ...connectOrigins('wss://media.lumen.example'),
      ],
      permissions: [],
    });
    expect(response.headers.get('content-security-policy')).toBe(
      `${PAGE_POLICY}; connect-src 'self' https://api.lumen.example wss://api.lumen.example https://media.lumen.example wss://media.lumen.example`,
    );
  });

  test('a response SvelteKit wrote no policy for loads nothing and cannot be framed', () => {
    const response = applySecurityHeaders(Response.json({ ok: true }), { connectTo: [], permissions: [] });
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; frame-ancestors 'none'",
    );
  });

  test('the usual headers are set; features an app does not name are switched off', () => {
    const response = applySecurityHeaders(page(), { connectTo: [], permissions: ['camera=(self)'] });
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
    const permissions = response.headers.get('permissions-policy')!;
    expect(permissions).toStartWith('camera=(self), microphone=()');
    expect(permissions).toContain('geolocation=()');
    expect(permissions).not.toContain('camera=()');
  });

  test('connectOrigins pairs http with ws and https with wss, keeping the port', () => {
    expect(connectOrigins('http://localhost:3000/trpc')).toEqual([
      'http://localhost:3000',
      'ws://localhost:3000',
    ]);
    expect(connectOrigins('wss://media.example')).toEqual(['https://media.example', 'wss://media.example']);
  });
});
