/* Numbers and months as the page's locale writes them (base.html's data-locale, the server's choice); undefined
   lets the browser choose. */
export function pageLocale() {
  return document.documentElement.dataset.locale || undefined;
}
