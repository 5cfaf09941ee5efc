/** One recorded segment of a camera (stream copy, fragmented MP4 or MPEG-TS), as the segment index lists it. */
export interface RecordedSegment {
  id: number;
  cameraId: string;
  startMs: number;
  endMs: number;
  bytes: number;
  path: string /* absolute */;
  codec: string | null;
  status: 'recording' | 'ok' | 'missing';
}
