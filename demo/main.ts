import '../src/index.js';

const uploader = document.querySelector('itty-uploader')!;
const gallery = document.querySelector('#gallery')!;

uploader.addEventListener('itty-upload-success', (event) => {
  const view = document.createElement('itty-file');
  view.file = event.detail.file;
  gallery.prepend(view);
});
