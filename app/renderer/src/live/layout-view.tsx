import { useState } from 'react';
import type { CameraView } from '../../../shared/domain/camera';
import type { LayoutBody } from '../../../shared/ipc/layouts.contract';
import { t } from '../i18n/en';
import { selectFullIndex } from '../store/layouts/layouts.selectors';
import { useActions, useRoot } from '../store/store';
import { CameraTile } from './camera-tile';

const DRAG_TYPE = 'application/x-watchroom-camera';

/** Camera chips to drag into tiles. */
export function CameraPalette({ cameras }: { cameras: readonly CameraView[] }) {
  return (
    <div className="palette" role="list" aria-label={t.layouts.cameras}>
      <span className="muted small">{t.layouts.cameras}</span>
      {cameras.map((c) => (
        <span
          key={c.id}
          role="listitem"
          className="chip"
          draggable
          data-testid="camera-chip"
          data-camera-id={c.id}
          onDragStart={(e) => {
            e.dataTransfer.setData(DRAG_TYPE, c.id);
            e.dataTransfer.effectAllowed = 'copy';
          }}
        >
          {c.name}
        </span>
      ))}
    </div>
  );
}

function LayoutCell({ body, index, cameras }: { body: LayoutBody; index: number; cameras: readonly CameraView[] }) {
  const tile = body.tiles[index]!;
  const { assignTile, setFullIndex, spanTile } = useActions();
  const full = useRoot(selectFullIndex);
  const [over, setOver] = useState(false);
  const camera = tile.cameraId ? cameras.find((c) => c.id === tile.cameraId) : undefined;
  // A small tile can grow to 2×2; on a camera's tile the button sits in the header band, never over the picture.
  const canSpan = full === null && body.columns > 1 && tile.colSpan === 1 && tile.col + 2 <= body.columns && tile.row + 2 <= body.rows;
  const style = full === index ? undefined : { gridColumn: `${tile.col + 1} / span ${tile.colSpan}`, gridRow: `${tile.row + 1} / span ${tile.rowSpan}` };
  return (
    <div
      className={`layout-cell${over ? ' layout-cell--over' : ''}`}
      style={style}
      data-testid="layout-tile"
      data-index={index}
      data-camera-id={camera?.id ?? ''}
      onDragOver={(e) => {
        if (e.dataTransfer.types.includes(DRAG_TYPE)) {
          e.preventDefault();
          setOver(true);
        }
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        const id = e.dataTransfer.getData(DRAG_TYPE);
        if (id) assignTile(index, id);
      }}
    >
      {camera ? (
        <CameraTile
          camera={camera}
          focused={full === index}
          toggleOn="dblclick"
          onToggleFocus={() => setFullIndex(full === index ? null : index)}
          headerAction={canSpan ? { short: t.layouts.widenShort, label: t.layouts.widen, testId: 'tile-span', onClick: () => spanTile(index, 2, 2) } : undefined}
        />
      ) : (
        <div className="layout-cell__empty">{t.layouts.emptyTile}</div>
      )}
      <div className="layout-cell__tools">
        <select
          aria-label={t.layouts.chooseCamera}
          value={tile.cameraId ?? ''}
          onChange={(e) => assignTile(index, e.target.value || null)}
          data-testid="tile-camera-select"
          onClick={(e) => e.stopPropagation()}
          onKeyDown={(e) => e.stopPropagation()}
        >
          <option value="">{t.layouts.none}</option>
          {cameras.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
        {canSpan && !camera && (
          <button type="button" className="btn btn--small" onClick={() => spanTile(index, 2, 2)} data-testid="tile-span">
            {t.layouts.widen}
          </button>
        )}
      </div>
    </div>
  );
}

/** The saved/edited layout: a grid of tiles (with spans), each a drop target; one tile full-window on demand. */
export function LayoutView({ body, cameras }: { body: LayoutBody; cameras: readonly CameraView[] }) {
  const full = useRoot(selectFullIndex);
  const shown = full !== null && body.tiles[full] ? [full] : body.tiles.map((_, i) => i);
  const grid = full !== null ? { gridTemplateColumns: '1fr', gridTemplateRows: '1fr' } : { gridTemplateColumns: `repeat(${body.columns}, minmax(0, 1fr))`, gridTemplateRows: `repeat(${body.rows}, minmax(0, 1fr))` };
  return (
    <div className="grid grid--layout" data-testid="layout-grid" data-grid={body.grid} data-columns={body.columns} data-full={full ?? ''} style={grid}>
      {shown.map((i) => (
        <LayoutCell key={`${i}-${body.tiles[i]!.col}-${body.tiles[i]!.row}`} body={body} index={i} cameras={cameras} />
      ))}
    </div>
  );
}
