import type { TfAttrValue, TfNode } from './tfjs-model';

/** Thrown for anything the converter does not understand; the message always names the op and the node. */
export class ConvertError extends Error {
  override name = 'ConvertError';
}

export const nodeLabel = (node: TfNode): string => `node "${node.name}" (op ${node.op})`;

const b64 = (s: string): string => Buffer.from(s, 'base64').toString('utf8');

/** Attributes every op may carry that never change the computation (types, grappler hints). */
const ALWAYS_IGNORED = new Set(['T', 'dtype', 'Tidx', 'Tshape', 'Tpaddings', 'Tdim', 'N', 'TI', 'Taxis', 'Tindices', 'Tparams', 'Index', 'SrcT', 'DstT', 'Truncate', 'TArgs', 'device']);

/** Typed access to a node's attributes, refusing attributes the op handler did not declare. */
export class Attrs {
  constructor(private readonly node: TfNode, known: readonly string[]) {
    const allowed = new Set(known);
    for (const key of Object.keys(node.attr ?? {})) {
      if (key.startsWith('_') || ALWAYS_IGNORED.has(key) || allowed.has(key)) continue;
      throw new ConvertError(`${nodeLabel(node)}: unsupported attribute "${key}"`);
    }
  }

  private raw(key: string): TfAttrValue | undefined {
    return this.node.attr?.[key];
  }

  has(key: string): boolean {
    return this.raw(key) !== undefined;
  }

  string(key: string, fallback?: string): string {
    const v = this.raw(key);
    if (v?.s !== undefined) return b64(v.s);
    if (fallback !== undefined) return fallback;
    throw new ConvertError(`${nodeLabel(this.node)}: missing string attribute "${key}"`);
  }

  int(key: string, fallback?: number): number {
    const v = this.raw(key);
    if (v?.i !== undefined) return Number(v.i);
    if (fallback !== undefined) return fallback;
    throw new ConvertError(`${nodeLabel(this.node)}: missing int attribute "${key}"`);
  }

  float(key: string, fallback?: number): number {
    const v = this.raw(key);
    if (v?.f !== undefined) return Number(v.f);
    if (fallback !== undefined) return fallback;
    throw new ConvertError(`${nodeLabel(this.node)}: missing float attribute "${key}"`);
  }

  bool(key: string, fallback = false): boolean {
    const v = this.raw(key);
    return v?.b !== undefined ? Boolean(v.b) : fallback;
  }

  ints(key: string, fallback?: number[]): number[] {
    const v = this.raw(key);
    if (v?.list) return (v.list.i ?? []).map(Number);
    if (fallback !== undefined) return fallback;
    throw new ConvertError(`${nodeLabel(this.node)}: missing int list attribute "${key}"`);
  }

  strings(key: string): string[] {
    return (this.raw(key)?.list?.s ?? []).map(b64);
  }

  /** Refuses anything but NHWC (the layout the converter maps to ONNX's NCHW). */
  requireNhwc(): void {
    const f = this.string('data_format', 'NHWC');
    if (f !== 'NHWC') throw new ConvertError(`${nodeLabel(this.node)}: data_format ${f} is not supported (only NHWC)`);
  }
}

/** The Placeholder's declared shape (-1 for unknown dimensions). */
export function placeholderShape(node: TfNode): number[] | undefined {
  const dims = node.attr?.shape?.shape?.dim;
  if (!dims) return undefined;
  return dims.map((d) => Number(d.size ?? -1));
}
