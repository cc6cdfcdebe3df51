import type { Pack } from './en.js';

/**
 * Español: tuteo en las indicaciones, infinitivo en los botones. El plural `many` es el
 * de los millones («1.000.000 de archivos»). Los resúmenes con números usan «Etiqueta: N» para no forzar la
 * concordancia («Subidos: 1»).
 */
const pack = {
  prompt: 'Suelta archivos aquí, pégalos o',
  browse: 'Seleccionar archivos',
  dropInvalid: 'Estos archivos no se admiten aquí',
  pageDropOverlay: 'Suelta los archivos para subirlos',
  listLabel: 'Subidas',

  cancel: 'Cancelar la subida de {name}',
  retry: 'Reintentar la subida de {name}',
  remove: 'Quitar {name}',
  pause: 'Pausar la subida de {name}',
  resume: 'Reanudar la subida de {name}',
  move: 'Mover {name}',
  progressLabel: 'Subida de {name}',

  statusQueued: 'En espera',
  statusPreparing: 'Preparando…',
  statusUploading: '{percent}',
  statusPaused: 'En pausa al {percent}',
  statusOffline: 'Esperando la conexión',
  statusFinalizing: 'Finalizando',
  statusProcessing: 'Procesando',
  statusDone: 'Subido',
  statusFailed: 'Error',
  statusCanceled: 'Cancelado',
  statusRejected: 'No añadido',
  statusInterrupted: 'Vuelve a seleccionar este archivo para reanudar',
  restartedFromStart: 'Esta subida no se puede reanudar: vuelve a empezar desde el principio.',

  rejectType: 'El archivo {name} no es de un tipo admitido ({accept}).',
  rejectTooLarge: 'El archivo {name} es demasiado grande: el límite es {limit}.',
  rejectTooSmall: 'El archivo {name} es demasiado pequeño: el mínimo es {limit}.',
  rejectCount: {
    one: 'No se ha añadido {name}: solo se permite un archivo.',
    many: 'No se ha añadido {name}: se permiten como máximo {count} de archivos.',
    other: 'No se ha añadido {name}: se permiten como máximo {count} archivos.',
  },
  rejectDuplicate: 'El archivo {name} ya está en la lista.',
  rejectTooNarrow: 'El archivo {name} mide {width} píxeles de ancho: el mínimo es {limit}.',
  rejectTooWide: 'El archivo {name} mide {width} píxeles de ancho: el límite es {limit}.',
  rejectTooShort: 'El archivo {name} mide {height} píxeles de alto: el mínimo es {limit}.',
  rejectTooTall: 'El archivo {name} mide {height} píxeles de alto: el límite es {limit}.',
  rejectDurationShort: 'El archivo {name} dura {duration}: el mínimo es {limit}.',
  rejectDurationLong: 'El archivo {name} dura {duration}: el límite es {limit}.',
  rejectTotalSize: 'No se ha añadido {name}: todos los archivos juntos pueden ocupar como máximo {limit}.',
  rejectCustom: '{name}: {message}',
  rejectCheckFailed: 'No se ha podido comprobar {name}, así que no se ha añadido.',

  errorSignFailed: 'No se ha podido iniciar la subida.',
  errorInvalidTarget: 'La dirección de subida no es válida.',
  errorUploadFailed: 'El servicio de almacenamiento ha rechazado el archivo.',
  errorNetwork: 'Se ha perdido la conexión.',
  errorTimeout: 'La subida ha dejado de responder.',
  errorExpired: 'El enlace de subida ha caducado.',
  errorAborted: 'Se ha detenido la subida.',
  errorInvalidResponse: 'El servicio de almacenamiento ha enviado una respuesta que no se puede leer.',
  errorRejected: 'Se ha rechazado el archivo.',
  errorCompleteFailed: 'El archivo se ha subido, pero no se ha podido guardar.',
  errorTransformFailed: 'No se ha podido preparar el archivo para subirlo.',
  errorUnavailable: 'No se ha podido cargar una parte de la herramienta de subida.',
  errorSessionLost: 'El servicio de almacenamiento ha perdido la subida, así que ha vuelto a empezar.',

  summaryLabel: 'Progreso total',
  summaryFiles: {
    one: '{done} de {count} archivo',
    many: '{done} de {count} de archivos',
    other: '{done} de {count} archivos',
  },
  summaryBytes: '{loaded} de {total}',
  summarySpeed: '{size}/s',
  summaryTimeLeft: 'tiempo restante: {duration} aprox.',
  summaryFailed: { one: '{count} con error', many: '{count} con errores', other: '{count} con errores' },
  uploadFiles: { one: 'Subir {count} archivo', many: 'Subir {count} de archivos', other: 'Subir {count} archivos' },
  pauseAll: 'Pausar todo',
  resumeAll: 'Reanudar todo',
  cancelAll: 'Cancelar todo',
  retryFailed: 'Reintentar los fallidos',
  clearFinished: 'Quitar los terminados',

  announceStart: 'Subiendo {name}',
  announceProgress: '{name}: {percent} subido',
  announceDone: '{name} subido',
  announceFailed: 'Error al subir {name}: {reason}',
  announceRejected: 'No se ha añadido {name}: {reason}',
  announcePaused: 'Subida de {name} en pausa',
  announceResumed: 'Subida de {name} reanudada',
  announceMoved: '{name} movido a la posición {position} de {total}',
  announceAllDone: {
    one: '{count} archivo subido',
    many: 'Se han subido los {count} de archivos',
    other: 'Se han subido los {count} archivos',
  },
  announceSummary: 'Subidos: {succeeded}; con errores: {failed}',

  valueMissing: 'Sube un archivo.',
  tooFewFiles: {
    one: 'Sube al menos {count} archivo.',
    many: 'Sube al menos {count} de archivos.',
    other: 'Sube al menos {count} archivos.',
  },
  uploadsInProgress: 'Hay subidas en curso',
  uploadFirst: 'Primero sube los archivos seleccionados',
  leaveWhileUploading: 'Todavía hay subidas en curso. ¿Quieres salir de todos modos?',
} satisfies Pack;

export default pack;
