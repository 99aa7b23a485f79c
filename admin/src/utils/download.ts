/** The file name the server gives (`Content-Disposition`), else `fallback`. */
export const fileNameFrom = (headers: Headers | undefined, fallback: string) => {
  const match = /filename="?([^";]+)"?/i.exec(headers?.get('content-disposition') ?? '');
  return match ? match[1] : fallback;
};

/** Today as `YYYY-MM-DD`, for a file name when the server gives none. */
export const today = () => new Date().toISOString().slice(0, 10);

/**
 * Hands a file fetched by the admin (with its token, which a plain link cannot carry) to the
 * browser as a download.
 */
export const saveFile = (data: Blob, name: string) => {
  const url = URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // The browser has taken the file once the click is handled.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
};
