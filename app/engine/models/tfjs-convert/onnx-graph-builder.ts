import { onnx } from 'onnx-proto';

/**
 * Accumulates an ONNX graph (opset 13) and serialises it deterministically: nodes, initializers and
 * value_info keep insertion order, tensors are stored as little-endian raw_data, and nothing time- or
 * host-dependent is written, so the same input always gives the same bytes.
 */

export const OPSET = 13;
export const PRODUCER = 'watchroom-tfjs-convert';
/** Bump when the converter's output changes for the same input (install-time conversion re-runs then). */
export const CONVERTER_VERSION = '1.0.0';

export type OnnxAttr = number | number[] | string | { floats: number[] } | { float: number };

const DT = onnx.TensorProto.DataType;

export interface PhysicalTensor {
  dtype: 'float32' | 'int32' | 'int64';
  dims: number[];
  data: Float32Array | Int32Array | BigInt64Array;
}

function rawBytes(t: PhysicalTensor): Uint8Array {
  const bytes = new Uint8Array(t.data.byteLength);
  const view = new DataView(bytes.buffer);
  const n = t.data.length;
  if (t.data instanceof Float32Array) for (let i = 0; i < n; i++) view.setFloat32(4 * i, t.data[i] ?? 0, true);
  else if (t.data instanceof Int32Array) for (let i = 0; i < n; i++) view.setInt32(4 * i, t.data[i] ?? 0, true);
  else for (let i = 0; i < n; i++) view.setBigInt64(8 * i, t.data[i] ?? 0n, true);
  return bytes;
}

const dataType = (d: PhysicalTensor['dtype']): number => (d === 'float32' ? DT.FLOAT : d === 'int32' ? DT.INT32 : DT.INT64);

function attribute(name: string, v: OnnxAttr): onnx.IAttributeProto {
  const T = onnx.AttributeProto.AttributeType;
  if (typeof v === 'string') return { name, type: T.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error(`attribute ${name}: use { float } for non-integers`);
    return { name, type: T.INT, i: v };
  }
  if (Array.isArray(v)) return { name, type: T.INTS, ints: v };
  if ('floats' in v) return { name, type: T.FLOATS, floats: v.floats };
  return { name, type: T.FLOAT, f: v.float };
}

function valueInfo(name: string, elemType: number, dims: readonly number[]): onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

export class OnnxGraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly valueInfos: onnx.IValueInfoProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();

  /** A name not used yet, derived from `base`. */
  unique(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}__${i}`;
    this.names.add(name);
    return name;
  }

  claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX name used twice: ${name}`);
    this.names.add(name);
    return name;
  }

  addInput(name: string, dims: readonly number[]): void {
    this.inputs.push(valueInfo(this.claim(name), DT.FLOAT, dims));
  }

  addOutput(name: string, dims: readonly number[]): void {
    this.outputs.push(valueInfo(name, DT.FLOAT, dims));
  }

  /** Adds a constant and returns its (unique) name. */
  addInitializer(base: string, t: PhysicalTensor): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims: t.dims, dataType: dataType(t.dtype), rawData: rawBytes(t) });
    return name;
  }

  int64(base: string, values: readonly number[], scalar = false): string {
    return this.addInitializer(base, { dtype: 'int64', dims: scalar ? [] : [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
  }

  float(base: string, value: number): string {
    return this.addInitializer(base, { dtype: 'float32', dims: [], data: Float32Array.of(value) });
  }

  /**
   * Adds a node producing one float tensor named `output` with the given static shape (recorded in
   * value_info so ONNX Runtime checks our shape tracking against its own inference).
   */
  addNode(op: string, inputs: readonly string[], output: string, dims: readonly number[], attrs: Record<string, OnnxAttr> = {}, elemType: number = DT.FLOAT): string {
    const name = output;
    this.nodes.push({
      opType: op,
      name,
      input: [...inputs],
      output: [name],
      attribute: Object.keys(attrs).sort().map((k) => attribute(k, attrs[k] as OnnxAttr)),
    });
    this.valueInfos.push(valueInfo(name, elemType, dims));
    return name;
  }

  /** Serialises the model. Graph outputs are dropped from value_info (they carry their own shape). */
  encode(graphName: string, docString: string): Uint8Array {
    const outputNames = new Set(this.outputs.map((o) => o.name));
    const model: onnx.IModelProto = {
      irVersion: 7,
      producerName: PRODUCER,
      producerVersion: CONVERTER_VERSION,
      docString,
      opsetImport: [{ domain: '', version: OPSET }],
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
        valueInfo: this.valueInfos.filter((v) => !outputNames.has(v.name ?? '')),
      },
    };
    return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
  }
}
