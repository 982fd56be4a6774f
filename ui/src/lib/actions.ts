/** Deletions with an undo toast: the core returns a deletion id, and restore takes it back. */
import { api } from './api';
import { dataChanged, refreshPartners } from './app.svelte';
import { errorLine } from './errors';
import { t } from './i18n';
import { locale } from './locale.svelte';
import { showToast, showUndo } from './toasts.svelte';

export async function undoable(
  remove: () => Promise<string>,
  message: string,
  after?: { deleted?: () => void; restored?: () => void },
): Promise<boolean> {
  let deletion: string;
  try {
    deletion = await remove();
  } catch (e) {
    showToast({ kind: 'error', text: errorLine(e, locale.lang) });
    return false;
  }
  after?.deleted?.();
  await refreshPartners().catch(() => {});
  dataChanged();
  showUndo(message, t('common.undo'), async () => {
    try {
      await api.restore(deletion);
      await refreshPartners().catch(() => {});
      dataChanged();
      after?.restored?.();
      showToast({ kind: 'success', text: t('clauses.restored') });
    } catch (e) {
      showToast({ kind: 'error', text: errorLine(e, locale.lang) });
    }
  });
  return true;
}
