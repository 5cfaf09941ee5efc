import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures } from '../test/support/shared-fixtures';
import { CamerasPage } from './pages/cameras-page';
import { LivePage } from './pages/live-page';
import { RulesEditorPage } from './pages/rules-editor-page';
import { useAppSession } from './support/app-session';
import { ARTIFACTS } from './support/browser';

const app = useAppSession();
const { openApp, pageErrors } = app;

describe('rule editor on the live frame (headless host + Chromium)', () => {
  it('draws a line and a zone, saves them, and finds them again after a reload; a zero-length line is refused', async () => {
    let page = await openApp(app.host.url);
    const cameras = new CamerasPage(page);
    await cameras.open();
    const id = await cameras.addCamera({ name: 'Rules cam', source: fixtures.video('intel_one_by_one_person.mp4'), analysisFps: 5 });
    const live = new LivePage(page);
    await live.open();
    await live.waitForState(id, 'online');

    let editor = new RulesEditorPage(page);
    await editor.openFromTile(id);
    await editor.drawLine([0.1, 0.7], [0.6, 0.7]);
    await editor.drawZone([[0.55, 0.3], [0.9, 0.3], [0.9, 0.9]]);
    expect(await editor.ruleIds()).toEqual(['line-1', 'zone-1']);
    expect(await editor.problems()).toEqual([]);

    // Beside the selected rule: what it would have counted over the stored tracks, and count-quality warnings.
    await page.click('[data-testid=rule-item][data-rule-id=line-1]');
    expect(await editor.dryRunText()).toMatch(/^Would have counted \d+ in \/ \d+ out/);
    expect(await editor.qualityCodes()).toEqual([]);
    await editor.drawLine([0.2, 0.995], [0.8, 0.995]);
    expect(await editor.qualityCodes()).toContain('line-near-edge');
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    await page.locator('[data-testid=rule-dry-run]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(ARTIFACTS, 'rules-dry-run.png') });
    await editor.undo();

    // A line whose two points coincide is shown as a problem and cannot be saved; undo removes it.
    await editor.drawLine([0.3, 0.2], [0.3, 0.2]);
    expect((await editor.problems()).join('\n')).toMatch(/line "line-2": segment 1 has zero length/);
    expect(await editor.canSave()).toBe(false);
    await editor.undo();
    expect(await editor.problems()).toEqual([]);

    // Drag a vertex of the zone, then save.
    await editor.tool('select');
    await editor.click([0.7, 0.6]); // inside the zone: selects it
    await editor.drag([0.9, 0.9], [0.8, 0.95]);
    await editor.save();

    page = await openApp(app.host.url);
    await new LivePage(page).waitForState(id, 'online');
    editor = new RulesEditorPage(page);
    await editor.openFromTile(id);
    await page.waitForSelector('[data-testid=rule-item][data-rule-id=zone-1]');
    expect(await editor.ruleIds()).toEqual(['line-1', 'zone-1']);
    expect(pageErrors).toEqual([]);
  });
});
