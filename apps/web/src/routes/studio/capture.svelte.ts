import type { BroadcastTracks } from '#lib/livekit-broadcast.svelte.ts';
import {
  type DeviceLists,
  describeDeviceError,
  listDevices,
  mediaDevicesAvailable,
  openCamera,
  openMicrophone,
  openScreen,
  stopTrack,
} from '#lib/livekit-devices.ts';

/**
 * The studio's camera, microphone and screen: which devices exist, which are chosen, and the live tracks the
 * preview shows and the broadcast publishes. Tracks stay here; the broadcast only borrows them.
 */
export class Capture {
  devices = $state<DeviceLists>({ cameras: [], microphones: [] });
  cameraId = $state<string | null>(null);
  microphoneId = $state<string | null>(null);
  source = $state<'camera' | 'screen'>('camera');
  camera = $state.raw<MediaStreamTrack | null>(null);
  screen = $state.raw<MediaStreamTrack | null>(null);
  microphone = $state.raw<MediaStreamTrack | null>(null);
  problem = $state<string | null>(null);
  busy = $state(false);
  readonly supported = mediaDevicesAvailable();

  get video(): MediaStreamTrack | null {
    return this.source === 'screen' ? this.screen : this.camera;
  }

  get tracks(): BroadcastTracks {
    return { video: this.video, videoSource: this.source, audio: this.microphone };
  }

  get on(): boolean {
    return this.camera !== null || this.screen !== null || this.microphone !== null;
  }

  /** Turns on the chosen camera and microphone (the browser asks for permission the first time). */
  async start(): Promise<void> {
    await this.#run(async () => {
      const problems: string[] = [];
      await this.#openCamera(this.cameraId).catch((error) =>
        problems.push(describeDeviceError(error, 'camera')),
      );
      await this.#openMicrophone(this.microphoneId).catch((error) =>
        problems.push(describeDeviceError(error, 'microphone')),
      );
      // Device names are only readable once access was granted.
      await this.refreshDevices();
      if (problems.length > 0) this.problem = problems.join(' ');
    });
  }

  async chooseCamera(deviceId: string | null): Promise<void> {
    this.cameraId = deviceId;
    if (this.camera) await this.#run(() => this.#openCamera(deviceId), 'camera');
  }

  async chooseMicrophone(deviceId: string | null): Promise<void> {
    this.microphoneId = deviceId;
    if (this.microphone) await this.#run(() => this.#openMicrophone(deviceId), 'microphone');
  }

  async toggleCamera(): Promise<void> {
    if (this.camera) return this.#replace('camera', null);
    await this.#run(() => this.#openCamera(this.cameraId), 'camera');
  }

  async toggleMicrophone(): Promise<void> {
    if (this.microphone) return this.#replace('microphone', null);
    await this.#run(() => this.#openMicrophone(this.microphoneId), 'microphone');
  }

  /** The browser's own picker; its sound is dropped (the microphone is the stream's audio). */
  async shareScreen(): Promise<void> {
    await this.#run(async () => {
      const { video, audio } = await openScreen();
      stopTrack(audio);
      this.#replace('screen', video);
      this.source = 'screen';
    }, 'screen');
  }

  useCamera(): void {
    this.source = 'camera';
    this.#replace('screen', null);
  }

  async refreshDevices(): Promise<void> {
    this.devices = await listDevices().catch(() => this.devices);
    this.cameraId =
      this.camera?.getSettings().deviceId ?? this.cameraId ?? this.devices.cameras[0]?.deviceId ?? null;
    this.microphoneId =
      this.microphone?.getSettings().deviceId ??
      this.microphoneId ??
      this.devices.microphones[0]?.deviceId ??
      null;
  }

  stopAll(): void {
    this.#replace('camera', null);
    this.#replace('screen', null);
    this.#replace('microphone', null);
    this.source = 'camera';
  }

  async #openCamera(deviceId: string | null) {
    // Only one camera at a time: some devices refuse a second capture while the first is open.
    this.#replace('camera', null);
    this.#replace('camera', await openCamera(deviceId));
  }

  async #openMicrophone(deviceId: string | null) {
    this.#replace('microphone', null);
    this.#replace('microphone', await openMicrophone(deviceId));
  }

  #replace(slot: 'camera' | 'screen' | 'microphone', track: MediaStreamTrack | null) {
    const old = this[slot];
    if (old === track) return;
    stopTrack(old);
    this[slot] = track;
    // An unplugged camera or a screen share stopped from the browser's own bar ends the track.
    track?.addEventListener('ended', () => {
      if (this[slot] !== track) return;
      this[slot] = null;
      if (slot === 'screen') this.source = 'camera';
    });
  }

  async #run(action: () => Promise<void>, what?: 'camera' | 'microphone' | 'screen') {
    this.busy = true;
    this.problem = null;
    try {
      await action();
    } catch (error) {
      this.problem = describeDeviceError(error, what ?? 'camera');
    } finally {
      this.busy = false;
    }
  }
}
