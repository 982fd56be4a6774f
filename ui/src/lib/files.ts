/**
 * The file system, through the official Tauri plugins: the open and save
 * dialogs (plugin-dialog) and the system viewer (plugin-opener). The only
 * module that imports them, so tests mock this one. Both plugins call
 * `@tauri-apps/api/core`'s invoke, which fixture mode answers itself
 * ("plugin:dialog|open", "plugin:dialog|save", "plugin:opener|open_path").
 */
import { open, save } from '@tauri-apps/plugin-dialog';
import { openPath } from '@tauri-apps/plugin-opener';
import { toApiError } from './api';
import { EXCHANGE_EXTENSION } from './bindings';

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

/** The files an import reads (the core decides by the extension, and checks the contents). */
const SHEET_EXTENSIONS = ['xlsx', 'xls', 'ods', 'csv'];

/**
 * Asks which spreadsheet to import. Resolves to its path, or null when the
 * officer cancels. Throws an ApiError when no dialog opens.
 */
export async function chooseSheetFile(title: string, filterName: string): Promise<string | null> {
  try {
    const path = await open({ title, multiple: false, directory: false, filters: [{ name: filterName, extensions: SHEET_EXTENSIONS }] });
    return typeof path === 'string' && path ? path : null;
  } catch (e) {
    throw toApiError(e);
  }
}

/**
 * Asks which file to attach (any kind: the core checks size and contents).
 * Resolves to its path, or null when the officer cancels. Throws an ApiError
 * when no dialog opens.
 */
export async function chooseAttachment(title: string): Promise<string | null> {
  try {
    const path = await open({ title, multiple: false, directory: false });
    return typeof path === 'string' && path ? path : null;
  } catch (e) {
    throw toApiError(e);
  }
}

/**
 * Asks where to save a copy of an attached file, offering its own name.
 * Resolves to the chosen path, or null when the officer cancels.
 */
export async function chooseSavePath(defaultName: string, title: string): Promise<string | null> {
  try {
    const path = await save({ title, defaultPath: defaultName });
    return path || null;
  } catch (e) {
    throw toApiError(e);
  }
}

/**
 * Asks which backup to restore (a register file, `*.sqlite3`; the core
 * checks that it is one), starting in `folder` when given (the backups
 * folder). Resolves to its path, or null when the officer cancels. Throws an
 * ApiError when no dialog opens.
 */
export async function chooseBackupFile(title: string, filterName: string, folder?: string | null): Promise<string | null> {
  try {
    const path = await open({
      title,
      multiple: false,
      directory: false,
      defaultPath: folder ?? undefined,
      filters: [{ name: filterName, extensions: ['sqlite3'] }],
    });
    return typeof path === 'string' && path ? path : null;
  } catch (e) {
    throw toApiError(e);
  }
}

/**
 * Asks for a folder (the second backup folder: a USB stick, a share),
 * starting in `folder` when given. Resolves to its path, or null when the
 * officer cancels. Throws an ApiError when no dialog opens.
 */
export async function chooseFolder(title: string, folder?: string | null): Promise<string | null> {
  try {
    const path = await open({ title, multiple: false, directory: true, canCreateDirectories: true, defaultPath: folder ?? undefined });
    return typeof path === 'string' && path ? path : null;
  } catch (e) {
    throw toApiError(e);
  }
}

/**
 * Asks where to save an export of the given extension (xlsx, csv, ics).
 * Resolves to the chosen path, or null when the officer cancels.
 */
export async function chooseExportPath(defaultName: string, extension: string, filterName: string, title?: string): Promise<string | null> {
  try {
    const path = await save({ title, defaultPath: defaultName, filters: [{ name: filterName, extensions: [extension] }] });
    return path || null;
  } catch (e) {
    throw toApiError(e);
  }
}

/**
 * Asks which exchange file to receive (`*.clausebook`; the core checks that
 * it is one). Resolves to its path, or null when the officer cancels.
 */
export async function chooseExchangeFile(title: string, filterName: string): Promise<string | null> {
  try {
    const path = await open({ title, multiple: false, directory: false, filters: [{ name: filterName, extensions: [EXCHANGE_EXTENSION] }] });
    return typeof path === 'string' && path ? path : null;
  } catch (e) {
    throw toApiError(e);
  }
}

/** Asks where to write an exchange file, offering `defaultName`. */
export async function chooseExchangeSavePath(defaultName: string, title: string, filterName: string): Promise<string | null> {
  try {
    const path = await save({ title, defaultPath: defaultName, filters: [{ name: filterName, extensions: [EXCHANGE_EXTENSION] }] });
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
