/** The studio's local capture (camera, microphone, screen) before and while it is published to LiveKit. */

export interface DeviceOption {
  deviceId: string;
  label: string;
}

export interface DeviceLists {
  cameras: DeviceOption[];
  microphones: DeviceOption[];
}

/** Camera capture asked for; the browser picks the closest the device offers. */
const CAMERA_CONSTRAINTS: MediaTrackConstraints = {
  width: { ideal: 1280 },
  height: { ideal: 720 },
  frameRate: { ideal: 30 },
};
const SCREEN_CONSTRAINTS: MediaTrackConstraints = { frameRate: { ideal: 30 } };

export function mediaDevicesAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function';
}

export function screenShareAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getDisplayMedia === 'function';
}

/** Devices by kind. Labels are empty until the person has allowed access once; those get "Camera 1" and so on. */
export function toDeviceLists(devices: readonly MediaDeviceInfo[]): DeviceLists {
  const pick = (kind: MediaDeviceKind, fallback: string) =>
    devices
      .filter((device) => device.kind === kind && device.deviceId !== '')
      .map((device, index) => ({
        deviceId: device.deviceId,
        label: device.label || `${fallback} ${index + 1}`,
      }));
  return { cameras: pick('videoinput', 'Camera'), microphones: pick('audioinput', 'Microphone') };
}

export async function listDevices(): Promise<DeviceLists> {
  if (!mediaDevicesAvailable()) return { cameras: [], microphones: [] };
  return toDeviceLists(await navigator.mediaDevices.enumerateDevices());
}

function exact(deviceId: string | null): ConstrainDOMString | undefined {
  return deviceId ? { exact: deviceId } : undefined;
}

export async function openCamera(deviceId: string | null): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { ...CAMERA_CONSTRAINTS, deviceId: exact(deviceId) },
    audio: false,
  });
  return stream.getVideoTracks()[0]!;
}

export async function openMicrophone(deviceId: string | null): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { deviceId: exact(deviceId), echoCancellation: true, noiseSuppression: true },
    video: false,
  });
  return stream.getAudioTracks()[0]!;
}

/** A screen, window or tab chosen in the browser's own picker (with its sound when the browser offers it). */
export async function openScreen(): Promise<{ video: MediaStreamTrack; audio: MediaStreamTrack | null }> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: SCREEN_CONSTRAINTS, audio: true });
  return { video: stream.getVideoTracks()[0]!, audio: stream.getAudioTracks()[0] ?? null };
}

/** What went wrong with a camera, microphone or screen, in words (getUserMedia's DOMException names). */
export function describeDeviceError(error: unknown, what: 'camera' | 'microphone' | 'screen'): string {
  const name = error && typeof error === 'object' && 'name' in error ? String(error.name) : '';
  const thing = what === 'screen' ? 'screen sharing' : `your ${what}`;
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return what === 'screen'
        ? 'Screen sharing was cancelled or blocked.'
        : `The browser wasn’t allowed to use ${thing}. Allow it in the address bar’s site settings and try again.`;
    case 'NotFoundError':
    case 'OverconstrainedError':
      return `We couldn’t find ${thing}. Check it’s plugged in, or pick another one.`;
    case 'NotReadableError':
    case 'AbortError':
      return `${thing.charAt(0).toUpperCase()}${thing.slice(1)} is busy — another app may be using it.`;
    default:
      return mediaDevicesAvailable()
        ? `Something stopped ${thing} from starting. Try again, or pick another device.`
        : 'This browser can’t use a camera or microphone here (it needs a secure https:// page).';
  }
}

export function stopTrack(track: MediaStreamTrack | null | undefined): void {
  track?.stop();
}

/** How slowly the microphone meter falls after a loud moment: the share of the last level kept each frame. */
const LEVEL_SMOOTHING = 0.6;

/**
 * Calls `onLevel` with the microphone's loudness (0–1) on every animation frame until the returned function is
 * called. For the studio's meter: a person can see their microphone works before going live.
 */
export function watchLevel(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
  const AudioContextClass = globalThis.AudioContext;
  if (!AudioContextClass) return () => undefined;
  const context = new AudioContextClass();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(new MediaStream([track])).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  let level = 0;
  let frame = 0;
  const tick = () => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    const rms = Math.sqrt(sum / samples.length);
    level = Math.max(Math.min(1, rms * 4), level * LEVEL_SMOOTHING);
    onLevel(level);
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  return () => {
    cancelAnimationFrame(frame);
    void context.close();
  };
}
