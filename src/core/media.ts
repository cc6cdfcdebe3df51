/** The `kind` of a File object for a MIME type: `image`, `video` or `audio` by its top-level type, else `other`. */
export const kindOf = (type: string): 'image' | 'video' | 'audio' | 'other' =>
  (/^(image|video|audio)(\/|$)/.exec(type)?.[1] as 'image' | 'video' | 'audio' | undefined) ?? 'other';
