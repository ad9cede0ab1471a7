/** The languages koe speaks; every sentence it says exists once per locale. */
export type Locale = 'ja' | 'en';
