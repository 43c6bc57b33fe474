import { expect, test } from 'bun:test';
import {
  codePieces,
  describeMediaError,
  formatBitrate,
  MEDIA_UNREACHABLE_MESSAGE,
  MediaTimeoutError,
  qualityLabel,
} from './livekit.ts';

/** The shape of livekit-client's ConnectionError, without loading the library (it needs a browser). */
function connectionError(reasonName: string) {
  return Object.assign(new Error('could not establish signal connection'), {
    name: 'ConnectionError',
    reasonName,
  });
}

test('a media server that does not answer reads as unreachable', () => {
  for (const reason of ['ServerUnreachable', 'WebSocket', 'Timeout', 'InternalError']) {
    expect(describeMediaError(connectionError(reason))).toEqual({
      kind: 'unreachable',
      message: MEDIA_UNREACHABLE_MESSAGE,
    });
  }
  expect(describeMediaError(new MediaTimeoutError('slow')).kind).toBe('unreachable');
});

test('a refused token and our own hang-up are told apart from an unreachable server', () => {
  expect(describeMediaError(connectionError('NotAllowed')).kind).toBe('refused');
  expect(describeMediaError(connectionError('Cancelled')).kind).toBe('cancelled');
});

test('health figures read as words', () => {
  expect(qualityLabel('excellent')).toBe('Excellent');
  expect(qualityLabel('unknown')).toBe('Measuring…');
  expect(formatBitrate(null)).toBeNull();
  expect(formatBitrate(640_000)).toBe('640 kbps');
  expect(formatBitrate(2_450_000)).toBe('2.5 Mbps');
});

test('the API’s media sentence shows its commands as code', () => {
  expect(codePieces('Start it with `livekit-server --dev`, then reload the page.')).toEqual([
    { text: 'Start it with ', code: false },
    { text: 'livekit-server --dev', code: true },
    { text: ', then reload the page.', code: false },
  ]);
  expect(codePieces('The media server is unreachable right now.')).toEqual([
    { text: 'The media server is unreachable right now.', code: false },
  ]);
});
