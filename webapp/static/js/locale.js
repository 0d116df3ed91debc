/* Numbers and months as the page's locale writes them (base.html's data-locale, the server's choice; undefined
   lets the browser choose). */
export function pageLocale() {
  return document.documentElement.dataset.locale || undefined;
}

/* "2024-03" as `locale` writes the month (for example "Mar 2024"). */
export function monthLabel(isoMonth, locale) {
  const parts = isoMonth.split("-");
  const month = new Intl.DateTimeFormat(locale, { year: "numeric", month: "short", timeZone: "UTC" });
  return month.format(new Date(Date.UTC(Number(parts[0]), Number(parts[1]) - 1, 1)));
}
