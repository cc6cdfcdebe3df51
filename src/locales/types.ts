/**
 * A message with plural forms: the keys are the CLDR plural categories that `Intl.PluralRules` gives for the
 * language (`other` always); `{count}` selects the form.
 */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralMessage;
