/**
 * Enrolment photos picked from disk (a plain file input: works in the browser and in Electron's sandboxed
 * renderer alike). Each is decoded by the browser and sent as a JPEG at most MAX_SIDE pixels on its longer side:
 * the host's socket takes at most 1 MiB per message, and a face needs far fewer pixels than a camera photo has.
 */
const MAX_SIDE = 1280;
/** What all photos of one enrolment may take together (base64 characters), under the socket's 1 MiB. */
export const MAX_ENROL_CHARS = 900_000;

export interface PickedPhoto {
  key: string;
  /** The file's name, for the preview's text. */
  file: string;
  /** JPEG as a data: URL (the preview), null when the browser could not read it as a picture. */
  dataUrl: string | null;
}

let seq = 0;

/** Reads one picked file; a file that is not a picture comes back with `dataUrl: null`. */
export async function readPhoto(file: File): Promise<PickedPhoto> {
  const key = `p${++seq}`;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    return { key, file: file.name, dataUrl: null };
  }
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * scale));
    canvas.height = Math.max(1, Math.round(bitmap.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) return { key, file: file.name, dataUrl: null };
    ctx.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return { key, file: file.name, dataUrl: canvas.toDataURL('image/jpeg', 0.9) };
  } finally {
    bitmap.close();
  }
}

/** The base64 body of a data: URL (what `faces:enrol` takes). */
export const base64Of = (dataUrl: string): string => dataUrl.slice(dataUrl.indexOf(',') + 1);
