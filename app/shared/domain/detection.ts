/** A box in normalised frame coordinates: [x1, y1, x2, y2], each 0..1, origin top-left. */
export type Box = [number, number, number, number];

export interface Detection {
  /** Class name from the model's manifest, e.g. "person". */
  cls: string;
  classId: number;
  score: number;
  box: Box;
  /** Confirmed track id (per camera) once the tracker has one. */
  track?: number;
  /**
   * The tracker set it aside: it has not moved since it was first seen, for long enough to be a fixture (a sign,
   * a parked vehicle). It is kept out of counts and zone occupancy; the overlay shows it as not counted.
   */
  setAside?: true;
}

/**
 * Everything known about one analysed frame. Travels from the camera worker to the renderer beside its JPEG
 * (never through the global store), so overlays are painted on the very frame they were computed from.
 */
export interface FrameHeader {
  cameraId: string;
  /** Frame sequence number since the camera's worker (re)started. */
  seq: number;
  /** Presentation time of this frame in seconds since the stream started (from the decoder). */
  pts: number;
  /** Wall-clock time (epoch ms) at which the frame left the decoder. */
  capturedAt: number;
  /** Source frame size in pixels (before any scaling for display). */
  width: number;
  height: number;
  /** null when detection is off for this camera; [] when nothing was found. */
  detections: Detection[] | null;
  /** Inference time for this frame, ms (absent when detection is off). */
  inferenceMs?: number;
  /** Wall-clock time (epoch ms) at which detections were ready. */
  detectedAt?: number;
  /** Model that produced the detections. */
  modelId?: string;
  /** Rolling analysis figures for the HUD. */
  stats?: { analysisFps: number; droppedFrames: number };
  /**
   * Present when the detector did not run on this frame although detection is on (motion-gated detection):
   * `idle` nothing moved where it matters and no live tracks; `load` the camera's analysis rate is reduced
   * because the detector cannot keep up. Such a frame has `detections: []` and still reaches the tracker.
   */
  gated?: FrameGatedReason;
  /** Motion found in this frame (normalised boxes), when the camera's motion check ran; for the overlay. */
  motionBoxes?: Box[];
  /** The camera's analysis rate while reduced because of load (fps); absent at its configured rate. */
  reducedFps?: number;
}

/** Why a frame went out without a detector run (see FrameHeader.gated). */
export type FrameGatedReason = 'idle' | 'load';

export interface LiveFrame extends FrameHeader {
  /** The displayed picture, JPEG. */
  jpeg: Uint8Array;
}
