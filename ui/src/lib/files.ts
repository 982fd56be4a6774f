/**
 * The file system, through the official Tauri plugins: the save dialog
 * (plugin-dialog) and the system viewer (plugin-opener). The only module
 * that imports them, so tests mock this one. Both plugins call
 * `@tauri-apps/api/core`'s invoke, which fixture mode answers from the fake
 * backend ("plugin:dialog|save", "plugin:opener|open_path").
 */
import { save } from '@tauri-apps/plugin-dialog';
import { openPath } from '@tauri-apps/plugin-opener';
import { toApiError } from './api';

/**
 * Asks where to save a PDF. Resolves to the chosen path, or null when the
 * officer cancels (not an error). Throws an ApiError when no dialog opens.
 */
export async function choosePdfPath(defaultName: string, title?: string): Promise<string | null> {
  try {
    const path = await save({ title, defaultPath: defaultName, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
    return path || null;
  } catch (e) {
    throw toApiError(e);
  }
}

/** Opens a saved file in the system's viewer; throws an ApiError when it cannot. */
export async function openInViewer(path: string): Promise<void> {
  try {
    await openPath(path);
  } catch (e) {
    throw toApiError(e);
  }
}
