import { describe, expect, test } from 'bun:test';
import { livekitConfig, planMediaServer } from './plan.ts';

const defaults = {
  livekitServer: '/usr/local/bin/livekit-server',
  alreadyAnswering: false,
  apiPort: 3000,
  livekitUrl: 'ws://localhost:7880',
  apiKey: 'devkey',
  apiSecret: 'secret',
};

describe('bun run dev and the media server', () => {
  test('livekit-server on the PATH: it runs in dev mode on loopback, its webhooks posted to the API', () => {
    const plan = planMediaServer(defaults);
    expect(plan.kind).toBe('run');
    if (plan.kind !== 'run') return;
    expect(plan.command).toEqual([
      '/usr/local/bin/livekit-server',
      '--dev',
      '--bind',
      '127.0.0.1',
      '--config-body',
      livekitConfig(defaults),
    ]);
    expect(livekitConfig(defaults)).toBe(
      [
        'port: 7880',
        'logging:',
        '  level: warn',
        'webhook:',
        '  api_key: devkey',
        '  urls:',
        '    - http://127.0.0.1:3000/webhooks/livekit',
      ].join('\n'),
    );
    expect(plan.line).toContain('ws://localhost:7880');
  });

  test('the API’s own port, LiveKit port and keys are the ones used', () => {
    const input = {
      ...defaults,
      apiPort: 4100,
      livekitUrl: 'ws://127.0.0.1:7990',
      apiKey: 'lumen-dev',
      apiSecret: 'a-longer-local-secret',
    };
    const plan = planMediaServer(input);
    if (plan.kind !== 'run') throw new Error('expected livekit-server to run');
    expect(plan.command).toContain('--keys');
    expect(plan.command).toContain('lumen-dev: a-longer-local-secret');
    const config = plan.command.at(-1)!;
    expect(config).toContain('port: 7990');
    expect(config).toContain('api_key: lumen-dev');
    expect(config).toContain('http://127.0.0.1:4100/webhooks/livekit');
  });

  test('not installed: one line saying how to install it, and nothing runs', () => {
    const plan = planMediaServer({ ...defaults, livekitServer: null });
    expect(plan.kind).toBe('skip');
    expect(plan.line).not.toContain('\n');
    expect(plan.line).toContain('curl -sSL https://get.livekit.io | bash');
    expect(plan.line).toContain('https://github.com/livekit/livekit/releases');
    expect(plan.line).toContain('streams go live without video');
  });

  test('a media server already running, or one elsewhere, is used instead of starting another', () => {
    const running = planMediaServer({ ...defaults, alreadyAnswering: true });
    expect(running).toEqual({
      kind: 'skip',
      line: 'A media server already answers at ws://localhost:7880: using it.',
    });
    const cloud = planMediaServer({ ...defaults, livekitUrl: 'wss://lumen.livekit.cloud' });
    expect(cloud.kind).toBe('skip');
    expect(cloud.line).toContain('wss://lumen.livekit.cloud');
  });
});
