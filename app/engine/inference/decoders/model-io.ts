/** An ONNX model's declared inputs/outputs (from ORT session metadata); dims are numbers or symbolic names. */
export interface IoValue {
  name: string;
  shape: ReadonlyArray<number | string>;
}
export interface ModelIo {
  inputs: IoValue[];
  outputs: IoValue[];
}

export const isFixed = (d: number | string | undefined): d is number => typeof d === 'number' && d > 0;
export const fmtShape = (s: ReadonlyArray<number | string>): string => `[${s.map((d) => (isFixed(d) ? d : '?')).join(',')}]`;
