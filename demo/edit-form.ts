// The demo's edit form: a gallery that already holds photos (demo/edit-endpoints.ts is the app's server).
import type { IttyUploaderElement } from 'itty-uploader';

export async function editForm(form: HTMLFormElement, saved: HTMLElement) {
  const uploader = form.querySelector<IttyUploaderElement>('itty-uploader')!;

  // Load the stored files: they show as uploaded rows, count for `required`, and are what form.reset() restores.
  uploader.value = await (await fetch('/api/edit/photos')).json();

  // Metadata ittybit keeps with each new file (at most 32 keys, texts of at most 2,048 characters).
  uploader.meta = (source) => ({ album: 'holiday', original_name: source.name.slice(0, 2048) });

  // A stored file the user removes is deleted on the app's server first; the row goes only if that worked.
  uploader.addEventListener('itty-remove', async (event) => {
    const { item } = event.detail;
    event.preventDefault();
    if (item.status !== 'done' || !confirm(`Delete ${item.file.filename ?? 'this file'}?`)) return;
    const answer = await fetch(`/api/edit/photos/${encodeURIComponent(item.file.id ?? '')}`, { method: 'DELETE' });
    if (answer.ok) uploader.remove(item.id);
  });

  // Save on submit: the photos in their order (the browser waits while an upload or its completion call runs).
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = await fetch('/api/edit/photos', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(uploader.value),
    });
    // What was saved is what a reset goes back to.
    uploader.value = await answer.json();
    saved.textContent = `Saved ${uploader.value.length} photos at ${new Date().toLocaleTimeString()}.`;
  });
}
