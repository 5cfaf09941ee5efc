/** Overlay colours that stay readable on dark video; fixed for common classes, hashed for the rest. */
const FIXED: Record<string, string> = { person: '#4fc3f7', car: '#ffb74d', truck: '#ff8a65', bus: '#ba68c8', bicycle: '#aed581', motorcycle: '#f06292', face: '#fff176' };
const PALETTE = ['#4dd0e1', '#81c784', '#ffd54f', '#e57373', '#9575cd', '#f48fb1', '#a1887f', '#90a4ae', '#dce775', '#64b5f6'];

export function classColour(cls: string): string {
  const fixed = FIXED[cls];
  if (fixed) return fixed;
  let h = 0;
  for (let i = 0; i < cls.length; i++) h = (h * 31 + cls.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}
