import { expect, test } from 'bun:test';
import { describeDeviceError, toDeviceLists } from './livekit-devices.ts';

const device = (kind: MediaDeviceKind, deviceId: string, label = '') =>
  ({ kind, deviceId, label, groupId: '', toJSON: () => ({}) }) as MediaDeviceInfo;

test('devices are grouped by kind, and unnamed ones get a readable name', () => {
  const lists = toDeviceLists([
    device('videoinput', 'cam-a', 'FaceTime HD'),
    device('videoinput', 'cam-b'),
    device('audioinput', 'mic-a'),
    device('audiooutput', 'speaker'),
    device('audioinput', ''),
  ]);
  expect(lists.cameras).toEqual([
    { deviceId: 'cam-a', label: 'FaceTime HD' },
    { deviceId: 'cam-b', label: 'Camera 2' },
  ]);
  expect(lists.microphones).toEqual([{ deviceId: 'mic-a', label: 'Microphone 1' }]);
});

test('getUserMedia failures become sentences', () => {
  const named = (name: string) => Object.assign(new Error(name), { name });
  expect(describeDeviceError(named('NotAllowedError'), 'camera')).toContain(
    'wasn’t allowed to use your camera',
  );
  expect(describeDeviceError(named('NotReadableError'), 'microphone')).toContain('busy');
  expect(describeDeviceError(named('NotAllowedError'), 'screen')).toBe(
    'Screen sharing was cancelled or blocked.',
  );
});
