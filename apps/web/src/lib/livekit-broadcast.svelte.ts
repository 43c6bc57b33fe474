import type { Room, Track as TrackType } from 'livekit-client';
import {
  connectRoom,
  describeMediaError,
  loadLivekit,
  type MediaProblemKind,
  webRtcAvailable,
} from './livekit.ts';
import type { MediaToken } from './streams.ts';

/** How often the studio reads the outgoing bitrate while connected. */
export const HEALTH_INTERVAL_MS = 2_000;

/** `connected` means the browser is publishing to the stream's room. */
export type BroadcastState = 'idle' | 'connecting' | 'connected' | Exclude<MediaProblemKind, 'cancelled'>;

/** What the browser sends: one video track (camera or screen) and one microphone. */
export interface BroadcastTracks {
  video: MediaStreamTrack | null;
  videoSource: 'camera' | 'screen';
  audio: MediaStreamTrack | null;
}

type Kind = 'video' | 'audio';

/** Viewers' LiveKit identities (`u:{userId}:{nonce}`, `g:{nonce}`); the host and an OBS ingress are not viewers. */
function isViewer(identity: string): boolean {
  return identity.startsWith('u:') || identity.startsWith('g:');
}

/** The studio's publish session: connects with a host token, publishes the preview's tracks, reports health. */
export class Broadcast {
  state = $state<BroadcastState>('idle');
  message = $state<string | null>(null);
  /** livekit-client's ConnectionQuality of our own connection. */
  quality = $state('unknown');
  /** Outgoing media, all tracks together; null until measured. */
  bitrateBps = $state<number | null>(null);
  /** Viewers in the room right now, as LiveKit sees them. */
  viewersInRoom = $state(0);
  #room: Room | null = null;
  #published = new Map<Kind, MediaStreamTrack>();
  #healthTimer: ReturnType<typeof setInterval> | undefined;

  get connected(): boolean {
    return this.state === 'connected';
  }

  /** Joins the room and publishes `tracks`. Resolves false (with `state` and `message` set) when it could not. */
  async connect(token: MediaToken, tracks: BroadcastTracks): Promise<boolean> {
    await this.disconnect();
    this.#set('connecting');
    if (!webRtcAvailable()) return this.#fail(new Error('no WebRTC'));
    const lk = await loadLivekit();
    const room = new lk.Room({ dynacast: true });
    this.#room = room;
    const countViewers = () => {
      this.viewersInRoom = [...room.remoteParticipants.values()].filter((p) => isViewer(p.identity)).length;
    };
    room
      .on(lk.RoomEvent.ParticipantConnected, countViewers)
      .on(lk.RoomEvent.ParticipantDisconnected, countViewers)
      .on(lk.RoomEvent.ConnectionQualityChanged, (quality, participant) => {
        if (participant === room.localParticipant) this.quality = quality;
      })
      .on(lk.RoomEvent.Disconnected, () => {
        if (this.#room !== room) return;
        this.#stopHealth();
        this.#set('unreachable', 'The connection to the media server was lost.');
      });
    try {
      await connectRoom(room, token.url, token.token);
      countViewers();
      await this.setTracks(tracks);
    } catch (error) {
      if (this.#room === room) this.#room = null;
      await room.disconnect().catch(() => undefined);
      return this.#fail(error);
    }
    this.#set('connected');
    this.#startHealth();
    return true;
  }

  /** Publishes what changed since the last call (a new camera, the screen instead of the camera, no mic…). */
  async setTracks(tracks: BroadcastTracks): Promise<void> {
    const room = this.#room;
    if (!room) return;
    const { Track } = await loadLivekit();
    const wanted: [Kind, MediaStreamTrack | null, TrackType.Source][] = [
      [
        'video',
        tracks.video,
        tracks.videoSource === 'screen' ? Track.Source.ScreenShare : Track.Source.Camera,
      ],
      ['audio', tracks.audio, Track.Source.Microphone],
    ];
    for (const [kind, track, source] of wanted) {
      const current = this.#published.get(kind);
      if (current === track) continue;
      // The preview owns its tracks: unpublishing must not stop them.
      if (current) await room.localParticipant.unpublishTrack(current, false);
      this.#published.delete(kind);
      if (track) {
        await room.localParticipant.publishTrack(track, { source, name: source });
        this.#published.set(kind, track);
      }
    }
  }

  async disconnect(): Promise<void> {
    const room = this.#room;
    this.#room = null;
    this.#published.clear();
    this.#stopHealth();
    this.quality = 'unknown';
    this.bitrateBps = null;
    this.viewersInRoom = 0;
    if (room) await room.disconnect(false).catch(() => undefined);
    this.#set('idle');
  }

  #startHealth() {
    this.#stopHealth();
    this.#healthTimer = setInterval(() => {
      const room = this.#room;
      if (!room) return;
      let total = 0;
      for (const publication of room.localParticipant.trackPublications.values())
        total += publication.track?.currentBitrate ?? 0;
      this.bitrateBps = total > 0 ? total : null;
      this.quality = room.localParticipant.connectionQuality;
    }, HEALTH_INTERVAL_MS);
  }

  #stopHealth() {
    clearInterval(this.#healthTimer);
    this.#healthTimer = undefined;
  }

  #fail(error: unknown): false {
    const problem = describeMediaError(error);
    this.#set(problem.kind === 'cancelled' ? 'idle' : problem.kind, problem.message);
    return false;
  }

  #set(state: BroadcastState, message: string | null = null) {
    this.state = state;
    this.message = message;
  }
}
