import { readApiError } from '@app/api/client';
import type { RemoteTrack, Room } from 'livekit-client';
import {
  connectRoom,
  describeMediaError,
  loadLivekit,
  type MediaProblemKind,
  webRtcAvailable,
} from './livekit.ts';
import type { MediaToken } from './streams.ts';

/**
 * Where a viewer's player is: `connecting`, `waiting` (in the room, no video yet), `playing`, `ended` (the room
 * closed), or a problem (`unreachable`, `refused`, `unsupported`, `failed`, `denied` — the API gave no token).
 */
export type PlaybackState =
  | 'idle'
  | 'connecting'
  | 'waiting'
  | 'playing'
  | 'ended'
  | 'denied'
  | Exclude<MediaProblemKind, 'cancelled'>;

export interface PlaybackTargets {
  /** Where video is shown (the newest video track, a screen share before a camera). */
  video: () => HTMLVideoElement | undefined;
  /** A hidden box the audio elements go in (one per audio track). */
  audio: () => HTMLElement | undefined;
}

/** A subscribe-only LiveKit session for one stream: connects, attaches remote tracks, reports its state. */
export class Playback {
  state = $state<PlaybackState>('idle');
  message = $state<string | null>(null);
  /** The browser blocked sound until a click ("Click to unmute"). */
  audioBlocked = $state(false);
  /** The browser blocked even muted video until a click. */
  videoBlocked = $state(false);
  #room: Room | null = null;
  #videoTrack: RemoteTrack | null = null;
  #attempt = 0;
  readonly #getToken: () => Promise<MediaToken>;
  readonly #targets: PlaybackTargets;

  constructor(getToken: () => Promise<MediaToken>, targets: PlaybackTargets) {
    this.#getToken = getToken;
    this.#targets = targets;
  }

  /** Gets a token and joins the room; any earlier session is closed first. */
  async connect(): Promise<void> {
    const attempt = ++this.#attempt;
    await this.#close();
    this.#set('connecting');
    if (!webRtcAvailable()) return this.#fail(new Error('no WebRTC'));
    let token: MediaToken;
    try {
      token = await this.#getToken();
    } catch (error) {
      if (attempt !== this.#attempt) return;
      const problem = readApiError(error);
      // CONFLICT: the stream stopped between the page load and now.
      this.#set(problem.code === 'CONFLICT' ? 'ended' : 'denied', problem.message);
      return;
    }
    const lk = await loadLivekit();
    if (attempt !== this.#attempt) return;
    const room = new lk.Room({ adaptiveStream: true });
    this.#room = room;
    room
      .on(lk.RoomEvent.TrackSubscribed, (track) => this.#attach(track))
      .on(lk.RoomEvent.TrackUnsubscribed, (track) => this.#detach(track))
      .on(lk.RoomEvent.AudioPlaybackStatusChanged, () => (this.audioBlocked = !room.canPlaybackAudio))
      .on(lk.RoomEvent.VideoPlaybackStatusChanged, () => (this.videoBlocked = !room.canPlaybackVideo))
      .on(lk.RoomEvent.Disconnected, (reason) => {
        if (this.#room !== room) return;
        const closed = reason === lk.DisconnectReason.ROOM_DELETED;
        this.#set(closed ? 'ended' : 'unreachable', closed ? 'The stream has ended.' : null);
      });
    try {
      await connectRoom(room, token.url, token.token);
    } catch (error) {
      if (attempt === this.#attempt) this.#fail(error);
      return;
    }
    if (attempt !== this.#attempt) return;
    for (const participant of room.remoteParticipants.values())
      for (const publication of participant.trackPublications.values())
        if (publication.track) this.#attach(publication.track);
    this.audioBlocked = !room.canPlaybackAudio;
    if (this.state === 'connecting') this.#set(this.#videoTrack ? 'playing' : 'waiting');
  }

  /** Call from a click: browsers allow sound (and blocked video) only after the person interacts. */
  async unmute(): Promise<void> {
    await this.#room?.startAudio();
    if (this.videoBlocked) await this.#room?.startVideo();
    this.audioBlocked = !(this.#room?.canPlaybackAudio ?? true);
    this.videoBlocked = !(this.#room?.canPlaybackVideo ?? true);
  }

  async destroy(): Promise<void> {
    this.#attempt++;
    await this.#close();
  }

  #attach(track: RemoteTrack) {
    if (track.kind === 'audio') {
      const element = track.attach();
      this.#targets.audio()?.append(element);
      return;
    }
    const video = this.#targets.video();
    if (!video || track.kind !== 'video') return;
    // A screen share wins over a camera; otherwise the newest video track is shown.
    if (this.#videoTrack?.source === 'screen_share' && track.source !== 'screen_share') return;
    this.#videoTrack?.detach(video);
    this.#videoTrack = track;
    track.attach(video);
    if (this.state === 'connecting' || this.state === 'waiting') this.#set('playing');
  }

  #detach(track: RemoteTrack) {
    for (const element of track.detach()) if (element.tagName === 'AUDIO') element.remove();
    if (track !== this.#videoTrack) return;
    this.#videoTrack = null;
    if (this.state === 'playing') this.#set('waiting');
  }

  async #close() {
    const room = this.#room;
    this.#room = null;
    this.#videoTrack = null;
    this.audioBlocked = false;
    this.videoBlocked = false;
    if (room) await room.disconnect().catch(() => undefined);
    for (const element of this.#targets.audio()?.querySelectorAll('audio') ?? []) element.remove();
  }

  #fail(error: unknown) {
    const problem = describeMediaError(error);
    if (problem.kind === 'cancelled') return;
    this.#set(problem.kind, problem.message);
  }

  #set(state: PlaybackState, message: string | null = null) {
    this.state = state;
    this.message = message;
  }
}
