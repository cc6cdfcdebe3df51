import type { Pack } from './en.js';

/**
 * Français : infinitif pour les actions, vouvoiement pour les demandes. Typographie française : espace fine
 * insécable (U+202F, écrite `\u202f`) avant « : », « ? », « ! » et « ; », apostrophe typographique (’).
 * Le pluriel `many` sert aux millions (« 1 000 000 de fichiers »).
 */
const pack = {
  prompt: 'Déposer des fichiers ici, les coller ou',
  browse: 'Parcourir les fichiers',
  dropInvalid: 'Ces fichiers ne sont pas acceptés ici',
  pageDropOverlay: 'Déposer les fichiers pour les envoyer',
  listLabel: 'Envois',

  cancel: 'Annuler l’envoi de {name}',
  retry: 'Réessayer l’envoi de {name}',
  remove: 'Retirer {name}',
  pause: 'Mettre en pause l’envoi de {name}',
  resume: 'Reprendre l’envoi de {name}',
  move: 'Déplacer {name}',
  progressLabel: 'Envoi de {name}',

  statusQueued: 'En attente',
  statusPreparing: 'Préparation…',
  statusUploading: '{percent}',
  statusPaused: 'En pause à {percent}',
  statusOffline: 'En attente du réseau',
  statusFinalizing: 'Finalisation',
  statusProcessing: 'Traitement',
  statusDone: 'Envoyé',
  statusFailed: 'Échec',
  statusCanceled: 'Annulé',
  statusRejected: 'Non ajouté',
  statusInterrupted: 'Sélectionner à nouveau ce fichier pour reprendre',
  restartedFromStart: 'Cet envoi ne peut pas reprendre\u202f: il recommence depuis le début.',

  rejectType: 'Le type du fichier {name} n’est pas accepté ({accept}).',
  rejectTooLarge: 'Le fichier {name} est trop volumineux\u202f: la limite est de {limit}.',
  rejectTooSmall: 'Le fichier {name} est trop petit\u202f: le minimum est de {limit}.',
  rejectCount: {
    one: 'Le fichier {name} n’a pas été ajouté\u202f: {count} fichier au maximum.',
    many: 'Le fichier {name} n’a pas été ajouté\u202f: {count} de fichiers au maximum.',
    other: 'Le fichier {name} n’a pas été ajouté\u202f: {count} fichiers au maximum.',
  },
  rejectDuplicate: 'Le fichier {name} est déjà dans la liste.',
  rejectTooNarrow: 'Le fichier {name} fait {width} pixels de large\u202f: le minimum est de {limit}.',
  rejectTooWide: 'Le fichier {name} fait {width} pixels de large\u202f: la limite est de {limit}.',
  rejectTooShort: 'Le fichier {name} fait {height} pixels de haut\u202f: le minimum est de {limit}.',
  rejectTooTall: 'Le fichier {name} fait {height} pixels de haut\u202f: la limite est de {limit}.',
  rejectDurationShort: 'Le fichier {name} dure {duration}\u202f: le minimum est de {limit}.',
  rejectDurationLong: 'Le fichier {name} dure {duration}\u202f: la limite est de {limit}.',
  rejectTotalSize: 'Le fichier {name} n’a pas été ajouté\u202f: l’ensemble des fichiers ne doit pas dépasser {limit}.',
  rejectCustom: '{name}\u202f: {message}',
  rejectCheckFailed: 'Le fichier {name} n’a pas pu être vérifié\u202f: il n’a pas été ajouté.',

  errorSignFailed: 'L’envoi n’a pas pu démarrer.',
  errorInvalidTarget: 'L’adresse d’envoi n’est pas valide.',
  errorUploadFailed: 'Le service de stockage a refusé le fichier.',
  errorNetwork: 'La connexion a été perdue.',
  errorTimeout: 'L’envoi ne répond plus.',
  errorExpired: 'Le lien d’envoi a expiré.',
  errorAborted: 'L’envoi a été interrompu.',
  errorInvalidResponse: 'La réponse du service de stockage est illisible.',
  errorRejected: 'Le fichier a été refusé.',
  errorCompleteFailed: 'Le fichier a été envoyé, mais n’a pas pu être enregistré.',
  errorTransformFailed: 'Le fichier n’a pas pu être préparé pour l’envoi.',
  errorUnavailable: 'Une partie de l’outil d’envoi n’a pas pu être chargée.',
  errorSessionLost: 'Le service de stockage a perdu l’envoi, qui a donc recommencé depuis le début.',

  summaryLabel: 'Progression globale',
  summaryFiles: {
    one: '{done} sur {count} fichier',
    many: '{done} sur {count} de fichiers',
    other: '{done} sur {count} fichiers',
  },
  summaryBytes: '{loaded} sur {total}',
  summarySpeed: '{size}/s',
  summaryTimeLeft: 'encore {duration} environ',
  summaryFailed: { one: '{count} en échec', many: '{count} en échec', other: '{count} en échec' },
  uploadFiles: { one: 'Envoyer {count} fichier', many: 'Envoyer {count} de fichiers', other: 'Envoyer {count} fichiers' },
  pauseAll: 'Tout mettre en pause',
  resumeAll: 'Tout reprendre',
  cancelAll: 'Tout annuler',
  retryFailed: 'Réessayer les échecs',
  clearFinished: 'Retirer les envois terminés',

  announceStart: 'Envoi de {name}',
  announceProgress: '{name}\u202f: {percent} envoyés',
  announceDone: '{name} envoyé',
  announceFailed: 'Échec de l’envoi de {name}\u202f: {reason}',
  announceRejected: '{name} n’a pas été ajouté\u202f: {reason}',
  announcePaused: 'Envoi de {name} en pause',
  announceResumed: 'Envoi de {name} repris',
  announceMoved: '{name} déplacé en position {position} sur {total}',
  announceAllDone: {
    one: '{count} fichier envoyé',
    many: 'Les {count} de fichiers ont été envoyés',
    other: 'Les {count} fichiers ont été envoyés',
  },
  announceSummary: 'Envoyés\u202f: {succeeded}, échecs\u202f: {failed}',

  valueMissing: 'Veuillez envoyer un fichier.',
  tooFewFiles: {
    one: 'Veuillez envoyer au moins {count} fichier.',
    many: 'Veuillez envoyer au moins {count} de fichiers.',
    other: 'Veuillez envoyer au moins {count} fichiers.',
  },
  uploadsInProgress: 'Envois en cours',
  uploadFirst: 'Veuillez d’abord envoyer les fichiers sélectionnés',
  leaveWhileUploading: 'Des envois sont encore en cours. Quitter la page quand même\u202f?',
} satisfies Pack;

export default pack;
