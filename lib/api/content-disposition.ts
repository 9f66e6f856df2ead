// Content-Disposition for downloads (RFC 6266), with the file name in both
// forms: `filename` as plain ASCII for old clients, `filename*` in RFC 5987
// UTF-8 percent-encoding for every other. A name is never copied into the
// header as it is: a quote or a semicolon in it would add parameters, and a
// character outside Latin-1 makes Node refuse the header (a 500).

// RFC 5987 attr-char: what may stand unencoded in `filename*`.
const attrChar = /[A-Za-z0-9!#$&+.^_`|~-]/;

function encodeExtValue(value: string): string {
  return [...new TextEncoder().encode(value)]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 0x80 && attrChar.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
    })
    .join("");
}

/** The file name reduced to printable ASCII without quotes, backslashes or percent signs, for `filename`. */
function asciiFallback(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\x20-\x7e]|["\\%;]/g, "_");
}

export function attachment(fileName: string): string {
  return `attachment; filename="${asciiFallback(fileName)}"; filename*=UTF-8''${encodeExtValue(fileName)}`;
}
